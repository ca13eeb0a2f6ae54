package dev.mlops.tracking;

/**
 * What a logging call does when the bounded queue in front of the store is full, that is when the store cannot
 * keep up with the rate of logging.
 */
public enum BackpressurePolicy {
    /** The caller waits until the writer has made room. Nothing is lost. The default. */
    BLOCK,
    /** The call fails at once with {@link dev.mlops.api.UnavailableException}; the value is not logged. */
    FAIL
}
