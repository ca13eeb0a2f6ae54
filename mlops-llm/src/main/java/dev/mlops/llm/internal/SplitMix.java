package dev.mlops.llm.internal;

/**
 * A seeded SplitMix64 generator with an unbiased bounded draw, written out here so that a seed gives the same
 * resamples on every JDK. Not thread-safe.
 */
public final class SplitMix {
    private long state;

    /**
     * Creates a generator.
     *
     * @param seed the seed
     */
    public SplitMix(long seed) {
        this.state = seed;
    }

    /**
     * Returns the next 64 random bits.
     *
     * @return a long
     */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns a uniform integer in {@code [0, bound)} by rejection, without modulo bias.
     *
     * @param bound a positive bound
     * @return the draw
     */
    public int nextInt(int bound) {
        int bits;
        int value;
        do {
            bits = (int) (nextLong() >>> 33);
            value = bits % bound;
            // Reject draws from the last, incomplete block of size bound (the sum overflows there).
        } while (bits - value + (bound - 1) < 0);
        return value;
    }
}
