package dev.mlops.monitoring.drift;

import dev.mlops.api.InvalidArgumentException;

/**
 * How numeric columns are binned for the histogram-based measures (Jensen-Shannon, PSI, Hellinger, and chi-square
 * on numbers), and for the distributions drawn in reports. Numeric columns with at most 20 distinct values (known
 * exactly) are compared value by value instead, and categorical columns category by category.
 *
 * <p>Bins are {@code (-inf, e1), [e1, e2), ..., [e_last, +inf)} over the inner edges, so a current value outside the
 * reference range still lands in an outer bin. Empty bins are smoothed only for PSI, whose logarithm needs non-zero
 * shares: a share below {@code epsilon} (an empty bin in particular) is raised to {@code epsilon}, and both
 * histograms are renormalized to sum to 1.
 *
 * <p>Against a stored profile, equal-width edges are exact (the profile keeps the exact minimum and maximum), while
 * reference-quantile edges are the sketch's approximate quantiles; the stated sketch error then covers the shares of
 * those edges, not a change of edges.
 *
 * <p>Immutable and thread-safe.
 *
 * @param strategy where the edges go
 * @param bins the number of bins, or 0 for Sturges' rule {@code ceil(log2 n) + 1} on the combined sample size
 * @param epsilon the floor of a bin's share for PSI
 */
public record Binning(Strategy strategy, int bins, double epsilon) {
    /** Where bin edges go. */
    public enum Strategy {
        /** Equal-width bins over the combined range of reference and current values (Evidently's choice). */
        EQUAL_WIDTH,
        /** Bins at the quantiles of the reference, so each holds about the same share of the reference. */
        REFERENCE_QUANTILES
    }

    /** The default smoothing share, as Evidently's. */
    public static final double DEFAULT_EPSILON = 1e-4;

    /**
     * Validates the binning.
     *
     * @throws InvalidArgumentException if bins is negative or above 10,000, or epsilon is not in (0, 0.01]
     */
    public Binning {
        if (strategy == null) {
            throw new InvalidArgumentException("binning strategy must not be null");
        }
        if (bins < 0 || bins > 10_000 || bins == 1) {
            throw new InvalidArgumentException("bins must be 0 (Sturges' rule) or between 2 and 10000, but was " + bins);
        }
        if (!(epsilon > 0 && epsilon <= 0.01)) {
            throw new InvalidArgumentException("epsilon must be in (0, 0.01], but was " + epsilon);
        }
    }

    /**
     * Equal-width bins over the combined range, their number by Sturges' rule (the default).
     *
     * @return the binning
     */
    public static Binning sturges() {
        return new Binning(Strategy.EQUAL_WIDTH, 0, DEFAULT_EPSILON);
    }

    /**
     * Equal-width bins over the combined range.
     *
     * @param bins the number of bins, at least 2
     * @return the binning
     * @throws InvalidArgumentException if bins is out of range
     */
    public static Binning equalWidth(int bins) {
        if (bins < 2) {
            throw new InvalidArgumentException("equal-width binning needs at least 2 bins, but bins was " + bins);
        }
        return new Binning(Strategy.EQUAL_WIDTH, bins, DEFAULT_EPSILON);
    }

    /**
     * Bins at the reference's quantiles (deciles for 10), as is usual for PSI.
     *
     * @param bins the number of bins, at least 2
     * @return the binning
     * @throws InvalidArgumentException if bins is out of range
     */
    public static Binning referenceQuantiles(int bins) {
        if (bins < 2) {
            throw new InvalidArgumentException("quantile binning needs at least 2 bins, but bins was " + bins);
        }
        return new Binning(Strategy.REFERENCE_QUANTILES, bins, DEFAULT_EPSILON);
    }

    /**
     * Returns this binning with another smoothing share.
     *
     * @param newEpsilon the share given to an empty bin for PSI
     * @return the binning
     */
    public Binning withEpsilon(double newEpsilon) {
        return new Binning(strategy, bins, newEpsilon);
    }
}
