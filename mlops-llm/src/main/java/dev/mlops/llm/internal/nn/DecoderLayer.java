package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-norm block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}, with residual dropout. */
public final class DecoderLayer extends NetBlock {
    private final LayerNormBlock ln1;
    private final Attention attention;
    private final LayerNormBlock ln2;
    private final Mlp mlp;
    private final float dropout;

    DecoderLayer(LayerNormBlock ln1, Attention attention, LayerNormBlock ln2, Mlp mlp, double dropout) {
        this.ln1 = addChildBlock("ln_1", ln1);
        this.attention = addChildBlock("attn", attention);
        this.ln2 = addChildBlock("ln_2", ln2);
        this.mlp = addChildBlock("mlp", mlp);
        this.dropout = (float) dropout;
    }

    /** @return the first layer norm */
    public LayerNormBlock ln1() {
        return ln1;
    }

    /** @return the attention */
    public Attention attention() {
        return attention;
    }

    /** @return the second layer norm */
    public LayerNormBlock ln2() {
        return ln2;
    }

    /** @return the MLP */
    public Mlp mlp() {
        return mlp;
    }

    /**
     * Applies the block.
     *
     * @param w where parameter values come from
     * @param x input (B, T, d)
     * @param bias the attention mask, or null
     * @param cache past keys and values, or null
     * @param layer this block's index
     * @param training whether dropout applies
     * @return output (B, T, d)
     */
    public NDArray apply(Weights w, NDArray x, NDArray bias, KvCache cache, int layer, boolean training) {
        NDArray a = attention.apply(w, ln1.apply(w, x), bias, cache, layer, training);
        NDArray h = x.add(drop(a, training));
        NDArray m = mlp.apply(w, ln2.apply(w, h), training);
        return h.add(drop(m, training));
    }

    private NDArray drop(NDArray y, boolean training) {
        return training && dropout > 0 ? y.getNDArrayInternal().dropout(y, dropout, true).get(0) : y;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(apply(p -> ps.getValue(p, x.getDevice(), training), x, bias, null, 0, training));
    }
}
