package dev.mlops.api.spi;

import java.util.Map;

/**
 * Somewhere to log parameters, metrics and tags: a tracked run, an in-memory recorder, or nothing.
 *
 * <p>Code that trains, tunes, evaluates or monitors takes a sink instead of depending on the tracking module; the
 * host application passes a run. Implementations state their own thread-safety; the ones in this library are safe
 * for concurrent use.
 */
public interface MetricSink {
    /**
     * Logs a parameter. Parameters are immutable once logged: logging the same key again with the same value is
     * allowed, with another value it is an error.
     *
     * @param key the parameter name
     * @param value the value as text
     * @throws dev.mlops.api.ConflictException if the key was logged before with another value
     * @throws dev.mlops.api.InvalidArgumentException if the key or value breaks the sink's limits
     */
    void logParam(String key, String value);

    /**
     * Logs a metric value at a step.
     *
     * @param key the metric name
     * @param value the value; NaN and infinities are allowed
     * @param step the step (epoch, iteration, window index); any value, as in MLflow
     * @throws dev.mlops.api.InvalidArgumentException if the key breaks the sink's limits
     */
    void logMetric(String key, double value, long step);

    /**
     * Sets a tag, replacing any previous value.
     *
     * @param key the tag name
     * @param value the value
     * @throws dev.mlops.api.InvalidArgumentException if the key or value breaks the sink's limits
     */
    void setTag(String key, String value);

    /**
     * Logs several parameters; values are converted with {@link String#valueOf(Object)}.
     *
     * @param params parameter values by name
     * @throws dev.mlops.api.ConflictException if a key was logged before with another value
     */
    default void logParams(Map<String, ?> params) {
        params.forEach((k, v) -> logParam(k, String.valueOf(v)));
    }

    /**
     * Logs a metric at step 0.
     *
     * @param key the metric name
     * @param value the value
     */
    default void logMetric(String key, double value) {
        logMetric(key, value, 0);
    }

    /**
     * Logs several metrics at one step.
     *
     * @param metrics values by metric name
     * @param step the step
     */
    default void logMetrics(Map<String, ? extends Number> metrics, long step) {
        metrics.forEach((k, v) -> logMetric(k, v.doubleValue(), step));
    }

    /**
     * Returns a sink that discards everything.
     *
     * @return the no-op sink
     */
    static MetricSink noop() {
        return NoopMetricSink.INSTANCE;
    }
}
