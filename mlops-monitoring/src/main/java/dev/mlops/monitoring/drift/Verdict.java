package dev.mlops.monitoring.drift;

/** The outcome of a drift test. */
public enum Verdict {
    /** The statistic crossed the threshold. */
    DRIFT,
    /** The statistic stayed within the threshold. */
    NO_DRIFT,
    /** A sample was too small (or empty) for a verdict; the result says which and why instead of guessing. */
    INSUFFICIENT_DATA
}
