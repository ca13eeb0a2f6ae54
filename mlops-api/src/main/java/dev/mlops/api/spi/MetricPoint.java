package dev.mlops.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One logged metric value.
 *
 * @param key the metric name
 * @param value the value; NaN and infinities are allowed
 * @param step the step it was logged at
 * @param timestamp when it was logged
 */
public record MetricPoint(String key, double value, long step, Instant timestamp) {
    /**
     * Validates the point.
     *
     * @throws NullPointerException if the key or timestamp is null
     */
    public MetricPoint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
