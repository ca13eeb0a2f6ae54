package dev.mlops.serving;

import dev.mlops.api.UnavailableException;

/** Thrown when a queued prediction did not finish within its timeout; the request is dropped. */
public class PredictionTimeoutException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out
     */
    public PredictionTimeoutException(String message) {
        super(message);
    }
}
