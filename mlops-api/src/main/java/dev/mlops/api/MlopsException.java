package dev.mlops.api;

import java.util.Objects;

/**
 * The root of every exception this library throws on purpose.
 *
 * <p>The exceptions are unchecked so that fluent code and notebook sessions stay readable. Each subtype
 * names one {@link ErrorCode}; messages name the offending value and where it came from.
 */
public class MlopsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception of the given kind.
     *
     * @param code the kind of failure
     * @param message what went wrong, naming the offending value
     */
    public MlopsException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates an exception of the given kind with a cause.
     *
     * @param code the kind of failure
     * @param message what went wrong, naming the offending value
     * @param cause the underlying failure, or {@code null}
     */
    public MlopsException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Returns the kind of failure.
     *
     * @return the error code
     */
    public ErrorCode code() {
        return code;
    }
}
