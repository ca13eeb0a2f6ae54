package dev.mlops.api;

/**
 * Thrown when a resource an operation needs (a file, a database, a server) cannot be reached or used.
 */
public class UnavailableException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public UnavailableException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause the underlying failure
     */
    public UnavailableException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
