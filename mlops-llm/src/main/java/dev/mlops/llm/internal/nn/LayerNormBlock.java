package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Layer normalization over the last dimension with a learned scale ({@code weight}) and shift ({@code bias}). */
public final class LayerNormBlock extends NetBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final float epsilon;
    private final Shape normalized;

    /**
     * Creates the block.
     *
     * @param size the normalized width
     * @param epsilon added to the variance
     */
    public LayerNormBlock(int size, double epsilon) {
        this.weight = param("weight", Parameter.Type.GAMMA, ai.djl.training.initializer.Initializer.ONES, size);
        this.bias = param("bias", Parameter.Type.BETA, ai.djl.training.initializer.Initializer.ZEROS, size);
        this.epsilon = (float) epsilon;
        this.normalized = new Shape(size);
    }

    /** @return the scale */
    public Parameter weight() {
        return weight;
    }

    /** @return the shift */
    public Parameter bias() {
        return bias;
    }

    /**
     * Normalizes.
     *
     * @param w where parameter values come from
     * @param x input (..., size)
     * @return the normalized input
     */
    public NDArray apply(Weights w, NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, normalized, w.get(weight), w.get(bias), epsilon).get(0);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(p -> ps.getValue(p, x.getDevice(), training), x));
    }
}
