package dev.mlops.api.tuning;

/** Whether an objective is to be made small or large. */
public enum Direction {
    /** Smaller is better (losses, errors, costs). */
    MINIMIZE,
    /** Larger is better (accuracy, AUC, BLEU). */
    MAXIMIZE;

    /**
     * Tells whether {@code a} is strictly better than {@code b} in this direction.
     *
     * @param a one value
     * @param b another value
     * @return true when {@code a} is better
     */
    public boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }

    /**
     * Maps a value so that smaller is always better: itself when minimizing, its negation when maximizing.
     *
     * @param value the value
     * @return the value to minimize
     */
    public double toMinimized(double value) {
        return this == MINIMIZE ? value : -value;
    }
}
