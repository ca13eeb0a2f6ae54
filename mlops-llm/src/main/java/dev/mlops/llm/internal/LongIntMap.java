package dev.mlops.llm.internal;

import java.util.Arrays;

/**
 * A small open-addressing map from non-zero {@code long} keys to {@code int} counts, for n-gram counting without
 * boxing. Not thread-safe; each computation uses its own.
 */
public final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    /**
     * Creates a map sized for an expected number of keys.
     *
     * @param expected the expected number of keys
     */
    public LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Adds to a key's count.
     *
     * @param key a non-zero key
     * @param delta the amount
     */
    public void add(long key, int delta) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] += delta;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = delta;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Raises a key's count to at least a value.
     *
     * @param key a non-zero key
     * @param value the value
     */
    public void max(long key, int value) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                if (values[i] < value) {
                    values[i] = value;
                }
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Takes one from a key's count if it is positive.
     *
     * @param key a non-zero key
     * @return true if the count was positive
     */
    public boolean takeOne(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                if (values[i] > 0) {
                    values[i]--;
                    return true;
                }
                return false;
            }
            if (k == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Returns a key's count.
     *
     * @param key a non-zero key
     * @return the count, 0 if absent
     */
    public int get(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Copies every entry into another map, keeping the larger count per key.
     *
     * @param target the map to merge into
     */
    public void maxInto(LongIntMap target) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                target.max(keys[i], values[i]);
            }
        }
    }

    /**
     * Returns the number of keys.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /** Removes every entry. */
    public void clear() {
        Arrays.fill(keys, 0L);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                add(oldKeys[i], oldValues[i]);
            }
        }
    }
}
