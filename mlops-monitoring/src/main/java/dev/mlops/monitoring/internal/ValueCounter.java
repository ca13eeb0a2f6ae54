package dev.mlops.monitoring.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Exact counts of the distinct values of a numeric column while there are at most {@code limit} of them; past that
 * it gives up (and frees its table), since a column with many distinct values is binned, not counted. Mergeable.
 * Not thread-safe.
 */
public final class ValueCounter {
    private final int limit;
    private double[] keys;
    private long[] counts;
    private boolean[] used;
    private int size;
    private boolean overflowed;

    /**
     * Creates an empty counter.
     *
     * @param limit the most distinct values counted
     */
    public ValueCounter(int limit) {
        this.limit = limit;
        int capacity = Integer.highestOneBit(Math.max(4, limit) * 2) * 2;
        keys = new double[capacity];
        counts = new long[capacity];
        used = new boolean[capacity];
    }

    /**
     * Counts one value.
     *
     * @param x a finite value
     */
    public void add(double x) {
        add(x, 1);
    }

    /**
     * Counts a value several times.
     *
     * @param x a finite value
     * @param times how many times
     */
    public void add(double x, long times) {
        if (overflowed) {
            return;
        }
        x += 0.0; // one key for -0.0 and 0.0
        int mask = keys.length - 1;
        long bits = Double.doubleToLongBits(x);
        int i = (int) (bits ^ (bits >>> 29) ^ (bits >>> 47)) * 0x9E3779B9 >>> 7 & mask;
        while (used[i]) {
            if (keys[i] == x) {
                counts[i] += times;
                return;
            }
            i = (i + 1) & mask;
        }
        if (size == limit) {
            overflowed = true;
            keys = null;
            counts = null;
            used = null;
            return;
        }
        used[i] = true;
        keys[i] = x;
        counts[i] = times;
        size++;
    }

    /**
     * Merges another counter into this one.
     *
     * @param other the other counter
     */
    public void merge(ValueCounter other) {
        if (other.overflowed) {
            markOverflowed();
            return;
        }
        for (Map.Entry<Double, Long> e : other.counts().entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    /** Gives up counting. */
    public void markOverflowed() {
        overflowed = true;
        keys = null;
        counts = null;
        used = null;
    }

    /**
     * Tells whether there were more distinct values than the limit.
     *
     * @return true once the counter gave up
     */
    public boolean overflowed() {
        return overflowed;
    }

    /**
     * Returns the limit.
     *
     * @return the most distinct values counted
     */
    public int limit() {
        return limit;
    }

    /**
     * Returns the counts by value.
     *
     * @return a sorted map, empty once overflowed
     */
    public TreeMap<Double, Long> counts() {
        TreeMap<Double, Long> m = new TreeMap<>();
        if (!overflowed) {
            for (int i = 0; i < keys.length; i++) {
                if (used[i]) {
                    m.put(keys[i], counts[i]);
                }
            }
        }
        return m;
    }
}
