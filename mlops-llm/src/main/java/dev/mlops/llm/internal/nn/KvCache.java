package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of the tokens seen so far, per layer, so that each new token attends to them without recomputing
 * them. Holds native memory until closed. Not thread-safe: one cache per generation.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    /**
     * Creates an empty cache.
     *
     * @param layers the model's layer count
     */
    public KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** @return the number of cached positions */
    public int length() {
        return length;
    }

    /**
     * Appends a layer's new keys and values and returns all of them.
     *
     * @param layer the layer
     * @param k new keys (B, heads, n, headSize)
     * @param v new values (B, heads, n, headSize)
     * @return all keys and values so far
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray allK = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2);
        NDArray allV = values[layer] == null ? v.duplicate() : values[layer].concat(v, 2);
        NDScope.unregister(allK, allV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = allK;
        values[layer] = allV;
        if (layer == keys.length - 1) {
            length = (int) allK.getShape().get(2);
        }
        return new NDArray[] {allK, allV};
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
        }
        length = 0;
    }
}
