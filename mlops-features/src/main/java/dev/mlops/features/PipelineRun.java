package dev.mlops.features;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one pipeline run wrote.
 *
 * @param pipeline the pipeline
 * @param view the feature view written
 * @param windowStart the window's start (exclusive), or null when it was open at the start
 * @param windowEnd the window's end (inclusive), or null when there was nothing to do
 * @param rowsWritten the rows now in the view for the window (they replaced the window's earlier rows)
 * @param watermark the pipeline's watermark after the run, or null when it has none
 * @param planSha256 the SHA-256 of the pipeline's definition (source and steps)
 * @param elapsed how long the run took
 */
public record PipelineRun(String pipeline, String view, Instant windowStart, Instant windowEnd, long rowsWritten,
        Instant watermark, String planSha256, Duration elapsed) {
    /** Validates the run. */
    public PipelineRun {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(planSha256, "planSha256");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * Returns whether the run had nothing to do (no source rows after the watermark).
     *
     * @return true if nothing was written or replaced
     */
    public boolean isEmpty() {
        return windowEnd == null;
    }
}
