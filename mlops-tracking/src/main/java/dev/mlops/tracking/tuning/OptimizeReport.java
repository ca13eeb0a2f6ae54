package dev.mlops.tracking.tuning;

import java.time.Duration;

/**
 * What one {@link Study#optimize} call did.
 *
 * @param started trials started
 * @param complete trials that completed
 * @param pruned trials the pruner stopped
 * @param failed trials that failed
 * @param cost the cost the trials reported
 * @param elapsed wall time
 * @param stopReason why no further trial started
 */
public record OptimizeReport(int started, int complete, int pruned, int failed, double cost, Duration elapsed,
        StopReason stopReason) {
    /** Why an optimization stopped. */
    public enum StopReason {
        /** The trial budget was used. */
        MAX_TRIALS,
        /** The time budget ran out. */
        MAX_DURATION,
        /** The cost budget was used. */
        MAX_COST,
        /** The sampler had nothing left to propose. */
        SAMPLER_EXHAUSTED,
        /** {@link Study#stop()} was called. */
        STOPPED
    }
}
