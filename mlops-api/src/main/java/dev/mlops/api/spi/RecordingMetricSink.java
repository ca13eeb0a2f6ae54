package dev.mlops.api.spi;

import dev.mlops.api.ConflictException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link MetricSink} that keeps everything in memory: for tests, notebooks, and code that wants to inspect what it
 * logged. It enforces the same parameter immutability as a tracked run. Thread-safe.
 */
public final class RecordingMetricSink implements MetricSink {
    private final TimeSource time;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, List<MetricPoint>> metrics = new LinkedHashMap<>();

    /** Creates an empty recorder on the system clock. */
    public RecordingMetricSink() {
        this(TimeSource.system());
    }

    /**
     * Creates an empty recorder.
     *
     * @param time the clock that timestamps metric points
     */
    public RecordingMetricSink(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public synchronized void logParam(String key, String value) {
        checkKey(key);
        Objects.requireNonNull(value, () -> "value of parameter '" + key + "'");
        String previous = params.putIfAbsent(key, value);
        if (previous != null && !previous.equals(value)) {
            throw new ConflictException("parameter '" + key + "' was logged as '" + previous
                    + "' and cannot change to '" + value + "'");
        }
    }

    @Override
    public synchronized void logMetric(String key, double value, long step) {
        checkKey(key);
        metrics.computeIfAbsent(key, k -> new ArrayList<>()).add(new MetricPoint(key, value, step, time.now()));
    }

    @Override
    public synchronized void setTag(String key, String value) {
        checkKey(key);
        tags.put(key, Objects.requireNonNull(value, () -> "value of tag '" + key + "'"));
    }

    /**
     * Returns the logged parameters.
     *
     * @return a snapshot in logging order
     */
    public synchronized Map<String, String> params() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Returns the tags.
     *
     * @return a snapshot in first-set order
     */
    public synchronized Map<String, String> tags() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * Returns the names of the metrics logged so far.
     *
     * @return a snapshot in first-logged order
     */
    public synchronized List<String> metricKeys() {
        return List.copyOf(metrics.keySet());
    }

    /**
     * Returns a metric's history.
     *
     * @param key the metric name
     * @return the points in logging order
     * @throws NotFoundException if the metric was never logged
     */
    public synchronized List<MetricPoint> history(String key) {
        List<MetricPoint> points = metrics.get(key);
        if (points == null) {
            throw new NotFoundException("metric '" + key + "' was not logged; logged metrics are " + metrics.keySet());
        }
        return List.copyOf(points);
    }

    /**
     * Returns a metric's most recently logged value.
     *
     * @param key the metric name
     * @return the last value
     * @throws NotFoundException if the metric was never logged
     */
    public synchronized double last(String key) {
        List<MetricPoint> points = history(key);
        return points.get(points.size() - 1).value();
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidArgumentException("key must not be empty");
        }
    }
}
