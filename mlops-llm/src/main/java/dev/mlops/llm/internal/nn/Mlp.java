package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.mlops.llm.model.Gpt2Config;

/** The feed-forward half of a block: {@code c_fc}, the activation, {@code c_proj}. */
public final class Mlp extends NetBlock {
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);

    private final Projection up;
    private final Projection down;
    private final Gpt2Config.Activation activation;

    Mlp(Projection up, Projection down, Gpt2Config.Activation activation) {
        this.up = addChildBlock("c_fc", up);
        this.down = addChildBlock("c_proj", down);
        this.activation = activation;
    }

    /** @return the widening projection */
    public Projection up() {
        return up;
    }

    /** @return the narrowing projection */
    public Projection down() {
        return down;
    }

    /**
     * Applies the MLP.
     *
     * @param w where parameter values come from
     * @param x input (..., d)
     * @param training whether adapter dropout applies
     * @return output (..., d)
     */
    public NDArray apply(Weights w, NDArray x, boolean training) {
        return down.apply(w, activate(up.apply(w, x, training)), training);
    }

    private NDArray activate(NDArray h) {
        return switch (activation) {
            case GELU_TANH -> {
                NDArray inner = Scalars.times(h.add(Scalars.times(h.mul(h).mul(h), 0.044715f)), GELU_C).tanh()
                        .add(1f);
                yield Scalars.times(h.mul(inner), 0.5f);
            }
            case GELU -> Scalars.times(h.mul(Scalars.times(h, SQRT_HALF).erf().add(1f)), 0.5f);
            case RELU -> h.getNDArrayInternal().relu();
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(p -> ps.getValue(p, x.getDevice(), training), x, training));
    }
}
