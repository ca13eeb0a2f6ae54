package dev.mlops.monitoring.stream;

import dev.mlops.monitoring.drift.DriftReport;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A window of the inference log as it stands: its rows, its drift against the reference, and its performance over
 * the labels received so far.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the window's index, from 0
 * @param start the window's start (time windows: aligned to the epoch; count windows: the first prediction's time)
 * @param end the window's end (exclusive for time windows; the last prediction's time for count windows)
 * @param rows the predictions in the window
 * @param labelled how many of them have a label
 * @param closed whether the window has closed (no more predictions join it)
 * @param complete whether its performance is final (every row labelled, or the label wait is over)
 * @param drift the drift of the window against the reference, or null when there is no reference or it is open
 * @param metrics every metric of the window by name: {@code rows}, {@code labelled}, {@code drift.share},
 *     {@code drift.columns}, {@code drift.<column>} (each tested column's statistic), and {@code accuracy},
 *     {@code f1}, {@code precision}, {@code recall}, {@code auc} (classification) or {@code rmse}, {@code mae}
 *     (regression) over the labelled rows
 */
public record WindowSummary(long index, Instant start, Instant end, int rows, int labelled, boolean closed,
        boolean complete, DriftReport drift, Map<String, Double> metrics) {
    /**
     * Validates the summary and copies the metrics.
     *
     * @throws NullPointerException if a part is null
     */
    public WindowSummary {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        metrics = Map.copyOf(metrics);
    }

    /**
     * Returns one metric.
     *
     * @param name the metric's name
     * @return the value, or empty when the window does not have it (yet)
     */
    public Optional<Double> metric(String name) {
        return Optional.ofNullable(metrics.get(name));
    }
}
