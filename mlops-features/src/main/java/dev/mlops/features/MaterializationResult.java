package dev.mlops.features;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one materialization of a view into the online store did.
 *
 * @param view the view
 * @param viewVersion the view's definition version
 * @param start the window start (exclusive), or null when the window was open at the start
 * @param end the window end (inclusive): the time the online values are as of
 * @param rowsWritten the entity rows written
 * @param chunks the writes to the online store the rows were split into
 * @param elapsed how long it took
 */
public record MaterializationResult(String view, int viewVersion, Instant start, Instant end, long rowsWritten,
        int chunks, Duration elapsed) {
    /** Validates the result. */
    public MaterializationResult {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
