package dev.mlops.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One report about a long-running task.
 *
 * @param task the task's name, for instance {@code "materialize driver_stats"}
 * @param phase whether the task started, advanced, finished or failed
 * @param done units of work done so far
 * @param total units of work in all, or {@code -1} when unknown
 * @param elapsed time since the task started
 * @param message an optional remark (the failure's message for {@link Phase#FAILED}), or {@code null}
 */
public record ProgressEvent(String task, Phase phase, long done, long total, Duration elapsed, String message) {
    /**
     * Validates the event.
     *
     * @throws NullPointerException if the task, phase or elapsed time is null
     */
    public ProgressEvent {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * Returns the fraction done.
     *
     * @return a value in [0, 1], or NaN when the total is unknown
     */
    public double fraction() {
        return total <= 0 ? (total == 0 ? 1.0 : Double.NaN) : Math.min(1.0, (double) done / total);
    }

    /** The life-cycle step an event reports. */
    public enum Phase {
        /** The task began. */
        STARTED,
        /** Work was done. */
        ADVANCED,
        /** The task completed. */
        FINISHED,
        /** The task stopped with an error. */
        FAILED
    }
}
