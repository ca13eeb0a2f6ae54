package dev.mlops.api;

/**
 * Thrown when a request contradicts stored state, for instance a parameter re-logged with another value.
 */
public class ConflictException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause the underlying failure
     */
    public ConflictException(String message, Throwable cause) {
        super(ErrorCode.CONFLICT, message, cause);
    }
}
