package dev.mlops.monitoring.stream;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert raised by an {@link AlertRule} on a window.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rule the rule's name
 * @param metric the metric it watches
 * @param value the metric's value in the window that raised it
 * @param lower the lowest value that does not breach (NaN when unbounded below)
 * @param upper the highest value that does not breach (NaN when unbounded above)
 * @param consecutive how many windows in a row breached
 * @param window the index of the window that raised it
 * @param windowStart when that window started
 * @param windowEnd when it ended
 * @param raisedAt when the alert was raised
 * @param message a sentence that explains the alert
 */
public record Alert(String rule, String metric, double value, double lower, double upper, int consecutive,
        long window, Instant windowStart, Instant windowEnd, Instant raisedAt, String message) {
    /**
     * Validates the alert.
     *
     * @throws NullPointerException if a part is null
     */
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(message, "message");
    }
}
