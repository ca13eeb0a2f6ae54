package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention with separate query, key and value projections (GPT-2 stores them fused as
 * {@code c_attn}; the weight exchange splits and joins them) and an output projection {@code c_proj}.
 */
public final class Attention extends NetBlock {
    private final int heads;
    private final int headSize;
    private final float dropout;
    private final float scale;
    private final Projection query;
    private final Projection key;
    private final Projection value;
    private final Projection output;

    Attention(int size, int heads, double dropout, Projection q, Projection k, Projection v, Projection o) {
        this.heads = heads;
        this.headSize = size / heads;
        this.dropout = (float) dropout;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        this.query = addChildBlock("q", q);
        this.key = addChildBlock("k", k);
        this.value = addChildBlock("v", v);
        this.output = addChildBlock("c_proj", o);
    }

    /** @return the query projection */
    public Projection query() {
        return query;
    }

    /** @return the key projection */
    public Projection key() {
        return key;
    }

    /** @return the value projection */
    public Projection value() {
        return value;
    }

    /** @return the output projection */
    public Projection output() {
        return output;
    }

    /**
     * Attends.
     *
     * @param w where parameter values come from
     * @param x input (B, T, d)
     * @param bias additive mask (B or 1, 1, T, S), or null when every query may see every key
     * @param cache past keys and values, or null
     * @param layer this layer's index in the cache
     * @param training whether dropout applies
     * @return output (B, T, d)
     */
    public NDArray apply(Weights w, NDArray x, NDArray bias, KvCache cache, int layer, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        NDArray q = split(query.apply(w, x, training), b, t);
        NDArray k = split(key.apply(w, x, training), b, t);
        NDArray v = split(value.apply(w, x, training), b, t);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray scores = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), scale);
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray p = scores.softmax(-1);
        if (training && dropout > 0) {
            p = p.getNDArrayInternal().dropout(p, dropout, true).get(0);
        }
        NDArray o = p.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headSize);
        return output.apply(w, o, training);
    }

    private NDArray split(NDArray y, long b, long t) {
        return y.reshape(b, t, heads, headSize).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(apply(p -> ps.getValue(p, x.getDevice(), training), x, bias, null, 0, training));
    }
}
