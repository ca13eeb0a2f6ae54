package dev.mlops.tracking.tuning;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of one trial.
 *
 * @param number the trial's number in the study, from 0
 * @param state where it stands
 * @param params the values of its active parameters
 * @param values one objective value per direction, for a complete trial; empty otherwise
 * @param intermediate intermediate values by step
 * @param cost the cost it reported
 * @param start when it started
 * @param end when it ended, or {@code null} while running
 * @param error the failure, for a failed trial, or {@code null}
 * @param runId the trial's run in a tracked study, or {@code null}
 */
public record FrozenTrial(int number, TrialState state, Map<String, Object> params, List<Double> values,
        NavigableMap<Long, Double> intermediate, double cost, Instant start, Instant end, String error,
        String runId) {
    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a required part is null
     */
    public FrozenTrial {
        Objects.requireNonNull(state, "state");
        params = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        values = List.copyOf(values);
        intermediate = Collections.unmodifiableNavigableMap(new TreeMap<>(intermediate));
        Objects.requireNonNull(start, "start");
    }

    /**
     * Returns the single objective value of a complete trial.
     *
     * @return the value
     * @throws IllegalStateException if the trial is not complete or has several values
     */
    public double value() {
        if (values.size() != 1) {
            throw new IllegalStateException("trial " + number + " has " + values.size() + " values (state " + state
                    + ")");
        }
        return values.get(0);
    }

    /**
     * Returns how long the trial ran.
     *
     * @return the duration, or {@code null} while running
     */
    public Duration duration() {
        return end == null ? null : Duration.between(start, end);
    }

    /**
     * Returns the last reported intermediate value's step, or -1 when none was reported.
     *
     * @return the step
     */
    public long lastStep() {
        return intermediate.isEmpty() ? -1 : intermediate.lastKey();
    }
}
