package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An affine map {@code y = x W + b} with the weight stored as (in, out), the layout of GPT-2's {@code Conv1D}, and an
 * optional low-rank adapter: {@code y += (alpha / r) * dropout(x) A^T B^T} with {@code A} (r, in) and {@code B}
 * (out, r) as PEFT stores them. The adapter can be merged into the weight and taken out again.
 */
public final class Projection extends NetBlock {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private Parameter loraA;
    private Parameter loraB;
    private float scale;
    private float loraDropout;
    private boolean merged;

    /**
     * Creates the projection.
     *
     * @param in input width
     * @param out output width
     * @param weightInit how the weight is filled
     * @param biasInit how the bias is filled
     */
    public Projection(int in, int out, ai.djl.training.initializer.Initializer weightInit,
            ai.djl.training.initializer.Initializer biasInit) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Parameter.Type.WEIGHT, weightInit, in, out);
        this.bias = param("bias", Parameter.Type.BIAS, biasInit, out);
    }

    /** @return the input width */
    public int in() {
        return in;
    }

    /** @return the output width */
    public int out() {
        return out;
    }

    /** @return the weight, (in, out) */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias */
    public Parameter bias() {
        return bias;
    }

    /** @return the adapter's A (r, in), or null */
    public Parameter loraA() {
        return loraA;
    }

    /** @return the adapter's B (out, r), or null */
    public Parameter loraB() {
        return loraB;
    }

    /** @return the adapter's input dropout, 0 without an adapter */
    public float loraDropout() {
        return loraA == null ? 0f : loraDropout;
    }

    /** @return true when an adapter is attached */
    public boolean hasLora() {
        return loraA != null;
    }

    /** @return true when the attached adapter is merged into the weight */
    public boolean isMerged() {
        return merged;
    }

    /**
     * Applies the projection.
     *
     * @param w where parameter values come from
     * @param x input (..., in)
     * @param training whether adapter dropout applies
     * @return output (..., out)
     */
    public NDArray apply(Weights w, NDArray x, boolean training) {
        NDArray y = x.matMul(w.get(weight)).add(w.get(bias));
        if (loraA != null && !merged) {
            NDArray xa = training && loraDropout > 0 ? x.getNDArrayInternal().dropout(x, loraDropout, true).get(0) : x;
            NDArray delta = xa.matMul(w.get(loraA).transpose()).matMul(w.get(loraB).transpose());
            y = y.add(delta.mul(scale));
        }
        return y;
    }

    /**
     * Attaches an adapter: A uniform in +-1/sqrt(in), B zero, so the output is unchanged until B is trained.
     *
     * @param manager the manager that owns the model's parameters
     * @param rank r
     * @param alpha the scaling numerator
     * @param dropout dropout on the adapter's input during training
     * @param seed the seed for A
     * @param name the projection's name, mixed into the seed
     */
    public void attachLora(NDManager manager, int rank, double alpha, double dropout, long seed, String name) {
        if (loraA != null) {
            throw new IllegalStateException("an adapter is already attached to " + name);
        }
        loraA = param("lora_A", Parameter.Type.WEIGHT, new SeededInitializer(SeededInitializer.Kind.UNIFORM,
                1.0 / Math.sqrt(in), seed, name + ".lora_A"), rank, in);
        loraB = param("lora_B", Parameter.Type.WEIGHT, new SeededInitializer(SeededInitializer.Kind.ZEROS, 0, seed,
                name + ".lora_B"), out, rank);
        loraA.initialize(manager, DataType.FLOAT32);
        loraB.initialize(manager, DataType.FLOAT32);
        this.scale = (float) (alpha / rank);
        this.loraDropout = (float) dropout;
        this.merged = false;
    }

    /** Removes the adapter (unmerging it first) and frees its arrays. */
    public void detachLora() {
        if (loraA == null) {
            return;
        }
        if (merged) {
            unmerge();
        }
        parameters.remove(loraA.getName());
        parameters.remove(loraB.getName());
        loraA.close();
        loraB.close();
        loraA = null;
        loraB = null;
    }

    /** Adds the adapter's product into the weight; the adapter then no longer runs separately. */
    @SuppressWarnings("try")
    public void merge() {
        if (loraA == null || merged) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            weight.getArray().addi(delta());
        }
        merged = true;
    }

    /** Subtracts the adapter's product from the weight again. */
    @SuppressWarnings("try")
    public void unmerge() {
        if (loraA == null || !merged) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            weight.getArray().subi(delta());
        }
        merged = false;
    }

    private NDArray delta() {
        return loraA.getArray().transpose().matMul(loraB.getArray().transpose()).mul(scale);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(p -> ps.getValue(p, x.getDevice(), training), x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }
}
