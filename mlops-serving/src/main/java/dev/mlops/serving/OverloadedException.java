package dev.mlops.serving;

import dev.mlops.api.UnavailableException;

/** Thrown at once when the micro-batching queue is full; the request was not queued. Retry later. */
public class OverloadedException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was full
     */
    public OverloadedException(String message) {
        super(message);
    }
}
