package dev.mlops.monitoring.drift;

import dev.mlops.api.DataType;
import java.util.Objects;

/**
 * The drift result of one column.
 *
 * <p>Immutable and thread-safe.
 *
 * @param column the column name
 * @param role feature, prediction or target
 * @param type the column type
 * @param method the test or distance used
 * @param verdict drift, no drift, or not enough data for a verdict
 * @param statistic the test statistic or distance (NaN when there was not enough data)
 * @param pValue the p-value for tests, NaN for distances
 * @param effectSize the method's effect size (see {@link DriftMethod}), comparable across sample sizes
 * @param threshold the significance level for tests, the distance threshold for distances
 * @param referenceSize valid reference values (not null, not NaN, not infinite)
 * @param currentSize valid current values
 * @param referenceMissing reference rows left out (null, NaN or infinite)
 * @param currentMissing current rows left out
 * @param statisticError a bound on the statistic's error when a side came from a sketch: at 99% confidence for KS
 *     and the Wasserstein distances, a first-order estimate for the histogram measures; 0 when exact; NaN when
 *     unknown (frequent-item counts past the sketch's exact range)
 * @param detail a sentence that explains the verdict
 * @param shares the distributions compared (or, for KS and Wasserstein, binned for display)
 */
public record ColumnDrift(String column, ColumnRole role, DataType type, DriftMethod method, Verdict verdict,
        double statistic, double pValue, double effectSize, double threshold, long referenceSize, long currentSize,
        long referenceMissing, long currentMissing, double statisticError, String detail, BinnedShares shares) {
    /**
     * Validates the result.
     *
     * @throws NullPointerException if a part is null
     */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(shares, "shares");
    }

    /**
     * Tells whether the column drifted.
     *
     * @return true when the verdict is {@link Verdict#DRIFT}
     */
    public boolean drifted() {
        return verdict == Verdict.DRIFT;
    }

    /**
     * Tells whether both sides were raw values (no sketch involved).
     *
     * @return true when the statistic is exact
     */
    public boolean exact() {
        return statisticError == 0.0;
    }
}
