package dev.mlops.monitoring.internal;

/**
 * Sizes of the sketches in a profile.
 *
 * @param kllK the KLL accuracy parameter k (rank error about 1.33% at k = 200)
 * @param hllLgK log2 of the HyperLogLog register count (relative error about 1.6% at 12)
 * @param itemsLgMaxMapSize log2 of the frequent-items map size (exact counts for up to 3/4 of the map size)
 * @param valueLimit the most distinct numeric values counted exactly
 */
public record SketchConfig(int kllK, int hllLgK, int itemsLgMaxMapSize, int valueLimit) {
    /** The defaults: k = 200, lgK = 12, a map of 1024 items, 100 exact numeric values. */
    public static final SketchConfig DEFAULT = new SketchConfig(200, 12, 10, 100);
}
