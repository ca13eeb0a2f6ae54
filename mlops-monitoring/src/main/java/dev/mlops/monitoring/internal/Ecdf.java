package dev.mlops.monitoring.internal;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * A one-dimensional distribution of finite values as a right-continuous step function: distinct values in ascending
 * order with the cumulative weight of all values up to and including each. Built either from sorted raw values
 * (exact, weight 1 per value) or from the sorted view of a KLL sketch (approximate, with the sketch's rank error).
 *
 * <p>Immutable and thread-safe.
 */
public final class Ecdf {
    private static final Ecdf EMPTY = new Ecdf(new double[0], new double[0], 0, 0.0, 0.0);

    private final double[] values;
    private final double[] cumulative;
    private final long count;
    private final double rankError;
    private final double massError;

    private Ecdf(double[] values, double[] cumulative, long count, double rankError, double massError) {
        this.values = values;
        this.cumulative = cumulative;
        this.count = count;
        this.rankError = rankError;
        this.massError = massError;
    }

    /**
     * Returns the empty distribution.
     *
     * @return a distribution of no values
     */
    public static Ecdf empty() {
        return EMPTY;
    }

    /**
     * Builds the exact distribution of sorted finite values.
     *
     * @param sorted values in ascending order, all finite; not modified and not retained
     * @param length how many leading values of the array to use
     * @return the distribution
     */
    public static Ecdf ofSorted(double[] sorted, int length) {
        if (length == 0) {
            return EMPTY;
        }
        double[] v = new double[length];
        double[] c = new double[length];
        int k = 0;
        for (int i = 0; i < length; i++) {
            double x = sorted[i];
            if (k > 0 && x == v[k - 1]) {
                c[k - 1] = i + 1;
            } else {
                v[k] = x;
                c[k] = i + 1;
                k++;
            }
        }
        return new Ecdf(Arrays.copyOf(v, k), Arrays.copyOf(c, k), length, 0.0, 0.0);
    }

    /**
     * Builds the distribution a KLL sketch describes.
     *
     * @param sketch the sketch of finite values; not modified
     * @return the distribution, with the sketch's a-priori rank error (0 when the sketch holds every value)
     */
    public static Ecdf ofSketch(KllDoublesSketch sketch) {
        if (sketch.isEmpty()) {
            return EMPTY;
        }
        DoublesSortedView view = sketch.getSortedView();
        double[] q = view.getQuantiles();
        long[] w = view.getCumulativeWeights();
        double[] v = new double[q.length];
        double[] c = new double[q.length];
        int k = 0;
        for (int i = 0; i < q.length; i++) {
            double x = q[i] + 0.0;
            if (k > 0 && x == v[k - 1]) {
                c[k - 1] = w[i];
            } else {
                v[k] = x;
                c[k] = w[i];
                k++;
            }
        }
        boolean approximate = sketch.isEstimationMode();
        return new Ecdf(Arrays.copyOf(v, k), Arrays.copyOf(c, k), sketch.getN(),
                approximate ? sketch.getNormalizedRankError(false) : 0.0,
                approximate ? sketch.getNormalizedRankError(true) : 0.0);
    }

    /**
     * Returns the number of values described.
     *
     * @return the sample size
     */
    public long count() {
        return count;
    }

    /**
     * Tells whether no value is described.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * Returns the bound on {@code |F(x) - F_true(x)|} for any single {@code x} (0 when exact). For a sketch it is
     * the KLL a-priori normalized rank error at 99% confidence.
     *
     * @return the rank error
     */
    public double rankError() {
        return rankError;
    }

    /**
     * Returns the bound on the error of the mass between two points (0 when exact).
     *
     * @return the mass error
     */
    public double massError() {
        return massError;
    }

    /**
     * Returns the number of distinct values retained.
     *
     * @return the number of steps
     */
    public int steps() {
        return values.length;
    }

    /**
     * Returns a distinct value by position.
     *
     * @param i the position, ascending
     * @return the value
     */
    public double value(int i) {
        return values[i];
    }

    /**
     * Returns the fraction of values up to and including the value at a position.
     *
     * @param i the position
     * @return the cumulative fraction
     */
    public double cumulativeFraction(int i) {
        return cumulative[i] / total();
    }

    /**
     * Returns the smallest value.
     *
     * @return the minimum, or NaN when empty
     */
    public double min() {
        return values.length == 0 ? Double.NaN : values[0];
    }

    /**
     * Returns the largest value.
     *
     * @return the maximum, or NaN when empty
     */
    public double max() {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    /**
     * Returns the fraction of values at or below a point.
     *
     * @param x the point
     * @return {@code F(x)}
     */
    public double cdf(double x) {
        int i = upperBound(x);
        return i == 0 ? 0.0 : cumulative[i - 1] / total();
    }

    /**
     * Returns the fraction of values strictly below a point.
     *
     * @param x the point
     * @return {@code F(x-)}
     */
    public double cdfBelow(double x) {
        int i = lowerBound(x);
        return i == 0 ? 0.0 : cumulative[i - 1] / total();
    }

    /**
     * Returns the smallest value whose cumulative fraction reaches a rank (the inverse of {@link #cdf}).
     *
     * @param rank a fraction in [0, 1]
     * @return the quantile, or NaN when empty
     */
    public double quantile(double rank) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double target = rank * total();
        int lo = 0;
        int hi = values.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return values[lo];
    }

    private double total() {
        return cumulative[cumulative.length - 1];
    }

    /** First index whose value is greater than x. */
    private int upperBound(double x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose value is not less than x. */
    private int lowerBound(double x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
