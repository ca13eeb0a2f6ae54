package dev.mlops.api;

/**
 * The kind of failure an {@link MlopsException} reports, stable enough to map onto protocol status codes
 * (for instance HTTP statuses in a REST endpoint).
 */
public enum ErrorCode {
    /** The named thing does not exist. */
    NOT_FOUND(404),
    /** Something with that identity exists already. */
    ALREADY_EXISTS(409),
    /** An argument or an input document is malformed or out of range. */
    INVALID_ARGUMENT(400),
    /** The request contradicts stored state (for instance re-logging a parameter with another value). */
    CONFLICT(409),
    /** Stored data failed an integrity check (a digest, a size or a format marker). */
    INTEGRITY(500),
    /** A resource the operation needs (a file, a database, a server) could not be reached or used. */
    UNAVAILABLE(503),
    /** Anything else: a defect or an unexpected state. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * Returns the HTTP status that best matches this kind of failure.
     *
     * @return an HTTP status code
     */
    public int httpStatus() {
        return httpStatus;
    }
}
