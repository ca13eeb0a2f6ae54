package dev.mlops.api;

/**
 * Thrown when stored data fails an integrity check: a digest, a size or a format marker does not match.
 */
public class IntegrityException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value
     */
    public IntegrityException(String message) {
        super(ErrorCode.INTEGRITY, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause the underlying failure
     */
    public IntegrityException(String message, Throwable cause) {
        super(ErrorCode.INTEGRITY, message, cause);
    }
}
