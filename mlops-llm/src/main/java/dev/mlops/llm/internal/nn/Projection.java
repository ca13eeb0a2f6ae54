package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
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
    private NDArray int8Weight;
    private NDArray int8Scale;
    private Int8Workspace workspace;

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

    /** @return true when the weight is held as 8-bit integers with one scale per output column */
    public boolean isQuantized() {
        return int8Weight != null;
    }

    /** @return the 8-bit weight (in, out), or null when the weight is 32-bit */
    public NDArray int8Weight() {
        return int8Weight;
    }

    /** @return the buffers the 8-bit weight is converted into, or null when the weight is 32-bit */
    public Int8Workspace int8Workspace() {
        return workspace;
    }

    /** @return the scales of the 8-bit weight's columns (out), or null when the weight is 32-bit */
    public NDArray int8Scale() {
        return int8Scale;
    }

    /**
     * Holds the weight as 8-bit integers from now on and frees the 32-bit array; the weight parameter stays declared
     * but frozen and empty. Every forward pass then multiplies by the integers converted to the input's type (into
     * the shared buffers when no gradient is recorded) and scales the product's columns.
     *
     * @param values the integers (in, out), INT8, on the weight's manager
     * @param scales the column scales (out), FLOAT32, on the weight's manager
     * @param buffers where inference converts the integers, shared by the model's projections
     * @throws IllegalStateException if an adapter is attached or the weight is already quantized
     */
    public void quantize(NDArray values, NDArray scales, Int8Workspace buffers) {
        if (loraA != null) {
            throw new IllegalStateException("an adapter is attached; merge it into a saved model or detach it "
                    + "before quantizing");
        }
        if (int8Weight != null) {
            throw new IllegalStateException("the weight is already quantized");
        }
        int8Weight = values;
        int8Scale = scales;
        workspace = buffers;
        weight.freeze(true);
        weight.close();
    }

    /**
     * Returns the weight's current values as 32-bit floats: the parameter's own array, or a new dequantized array
     * that the caller closes (an enclosing {@code NDScope} does).
     *
     * @return the weight (in, out)
     */
    public NDArray weightValues() {
        return int8Weight == null ? weight.getArray()
                : int8Weight.toType(DataType.FLOAT32, false).mul(int8Scale);
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
        NDArray y = (int8Weight == null ? x.matMul(w.get(weight)) : int8MatMul(x)).add(w.get(bias));
        if (loraA != null && !merged) {
            NDArray xa = training && loraDropout > 0 ? x.getNDArrayInternal().dropout(x, loraDropout, true).get(0) : x;
            NDArray delta = xa.matMul(w.get(loraA).transpose()).matMul(w.get(loraB).transpose());
            y = y.add(Scalars.times(delta, scale));
        }
        return y;
    }

    private NDArray int8MatMul(NDArray x) {
        // (x W_q) diag(s) equals x (W_q diag(s)). Inference converts into the model's shared buffer; while gradients
        // are recorded the product keeps its operand for the backward pass, so it gets a copy of its own, freed as
        // soon as the graph lets go of it.
        NDArray product;
        if (JniUtils.isGradMode()) {
            NDArray converted = int8Weight.toType(x.getDataType(), false);
            product = x.matMul(converted);
            converted.close();
        } else {
            product = workspace.matMul(x, int8Weight);
        }
        return product.mul(int8Scale.getDataType() == x.getDataType() ? int8Scale
                : int8Scale.toType(x.getDataType(), false));
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
        if (int8Weight != null) {
            throw new IllegalStateException("an adapter cannot be merged into an 8-bit weight");
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
