package dev.mlops.monitoring;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.monitoring.internal.ColumnSketch;
import dev.mlops.monitoring.internal.Ecdf;
import dev.mlops.monitoring.internal.Moments;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The profile of one column: counts, missing values, distinct count, and for numbers the range, mean, standard
 * deviation, quantiles and histogram; for strings and booleans the frequent values.
 *
 * <p>Counts, the range, the mean and the standard deviation are exact. The distinct count comes from a HyperLogLog
 * sketch (exact for small counts, about 1.6% relative error at the default size); quantiles and histograms come from
 * a KLL sketch with the rank error {@link #rankError()} (0 while the sketch holds every value). Values are
 * <em>valid</em> when they are not null and, for numbers, not NaN and not infinite; NaN and infinities are counted
 * apart and left out of every statistic. Timestamps are profiled as epoch microseconds.
 *
 * <p>Immutable and thread-safe.
 */
public final class ColumnProfile {
    private final ColumnSketch sketch;

    ColumnProfile(ColumnSketch sketch) {
        this.sketch = sketch;
    }

    ColumnSketch sketch() {
        return sketch;
    }

    /**
     * Returns the column name.
     *
     * @return the name
     */
    public String name() {
        return sketch.name();
    }

    /**
     * Returns the column type.
     *
     * @return the type
     */
    public DataType type() {
        return sketch.type();
    }

    /**
     * Tells whether the column is profiled as numbers (double, long and timestamp columns).
     *
     * @return true for numeric and timestamp columns
     */
    public boolean isNumeric() {
        return sketch.numeric();
    }

    /**
     * Returns the number of rows seen, nulls included.
     *
     * @return the row count
     */
    public long count() {
        return sketch.count();
    }

    /**
     * Returns the number of null rows.
     *
     * @return the null count
     */
    public long nullCount() {
        return sketch.nullCount();
    }

    /**
     * Returns the number of NaN values (double columns only).
     *
     * @return the NaN count
     */
    public long nanCount() {
        return sketch.nanCount();
    }

    /**
     * Returns the number of infinite values (double columns only).
     *
     * @return the count of positive and negative infinities
     */
    public long infiniteCount() {
        return sketch.infiniteCount();
    }

    /**
     * Returns the number of valid values: not null, not NaN, not infinite.
     *
     * @return the valid count
     */
    public long validCount() {
        return sketch.validCount();
    }

    /**
     * Returns the share of rows that are null or NaN.
     *
     * @return a fraction in [0, 1], 0 for an empty column
     */
    public double missingFraction() {
        return count() == 0 ? 0.0 : (double) (nullCount() + nanCount()) / count();
    }

    /**
     * Returns the estimated number of distinct valid values.
     *
     * @return the HyperLogLog estimate, rounded
     */
    public long distinctCount() {
        return Math.round(sketch.distinct());
    }

    /**
     * Returns a lower bound of the distinct count at about 95% confidence.
     *
     * @return the lower bound
     */
    public long distinctLowerBound() {
        return (long) Math.floor(sketch.distinctLower());
    }

    /**
     * Returns an upper bound of the distinct count at about 95% confidence.
     *
     * @return the upper bound
     */
    public long distinctUpperBound() {
        return (long) Math.ceil(sketch.distinctUpper());
    }

    /**
     * Returns the smallest valid value.
     *
     * @return the minimum, or NaN for a non-numeric column or one without valid values
     */
    public double min() {
        return sketch.moments().min();
    }

    /**
     * Returns the largest valid value.
     *
     * @return the maximum, or NaN for a non-numeric column or one without valid values
     */
    public double max() {
        return sketch.moments().max();
    }

    /**
     * Returns the mean of the valid values.
     *
     * @return the mean, or NaN without valid values
     */
    public double mean() {
        return sketch.moments().mean();
    }

    /**
     * Returns the sample standard deviation of the valid values (n - 1 in the denominator, as pandas).
     *
     * @return the standard deviation, or NaN below two valid values
     */
    public double stddev() {
        return Math.sqrt(sketch.moments().sampleVariance());
    }

    /**
     * Returns the population standard deviation of the valid values (n in the denominator, as numpy).
     *
     * @return the standard deviation, or NaN without valid values
     */
    public double populationStddev() {
        return Math.sqrt(sketch.moments().populationVariance());
    }

    /**
     * Returns an approximate quantile: the smallest retained value whose estimated rank reaches {@code rank}.
     *
     * @param rank a fraction in [0, 1], for instance 0.5 for the median
     * @return the quantile, or NaN for a non-numeric column or one without valid values
     * @throws InvalidArgumentException if the rank is outside [0, 1]
     */
    public double quantile(double rank) {
        if (!(rank >= 0 && rank <= 1)) {
            throw new InvalidArgumentException("a quantile rank must be in [0, 1], but was " + rank);
        }
        return sketch.ecdf().quantile(rank);
    }

    /**
     * Returns the approximate fraction of valid values at or below a point.
     *
     * @param x the point
     * @return the fraction, within {@link #rankError()} of the truth at 99% confidence; NaN when there are no
     *     valid numeric values
     */
    public double cdf(double x) {
        Ecdf e = sketch.ecdf();
        return e.isEmpty() ? Double.NaN : e.cdf(x);
    }

    /**
     * Returns the bound on the error of {@link #cdf} and of the rank of {@link #quantile}, at 99% confidence: the
     * KLL sketch's normalized rank error, or 0 while the sketch holds every value.
     *
     * @return the rank error as a fraction
     */
    public double rankError() {
        return sketch.ecdf().rankError();
    }

    /**
     * Returns a histogram with equal-width bins between the minimum and the maximum, estimated from the quantile
     * sketch.
     *
     * @param bins the number of bins, 1 or more
     * @return the histogram, with no bins for a non-numeric column or one without valid values
     * @throws InvalidArgumentException if bins is less than 1
     */
    public Histogram histogram(int bins) {
        if (bins < 1) {
            throw new InvalidArgumentException("a histogram needs at least 1 bin, but bins was " + bins);
        }
        Ecdf e = sketch.ecdf();
        if (e.isEmpty()) {
            return new Histogram(List.of(), List.of(), 0);
        }
        Moments m = sketch.moments();
        double lo = m.min();
        double hi = m.max();
        int b = hi > lo ? bins : 1;
        List<Double> edges = new ArrayList<>(b + 1);
        List<Long> counts = new ArrayList<>(b);
        double width = (hi - lo) / b;
        edges.add(lo);
        double below = 0;
        long n = e.count();
        long assigned = 0;
        for (int i = 1; i <= b; i++) {
            double edge = i == b ? hi : lo + i * width;
            edges.add(edge);
            double f = i == b ? 1.0 : e.cdfBelow(edge);
            long c = i == b ? n - assigned : Math.round((f - below) * n);
            counts.add(c);
            assigned += c;
            below = f;
        }
        return new Histogram(edges, counts, (long) Math.ceil(e.massError() * n));
    }

    /**
     * Returns the frequent values of a string or boolean column, most frequent first.
     *
     * @param limit the most items to return
     * @return up to {@code limit} items; empty for numeric columns (see {@link #valueCounts()})
     */
    public List<FrequentItem> frequentItems(int limit) {
        List<FrequentItem> out = new ArrayList<>();
        for (ColumnSketch.Item i : sketch.frequentItems()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new FrequentItem(i.value(), i.estimate(), i.lowerBound(), i.upperBound()));
        }
        return out;
    }

    /**
     * Returns the exact count of each valid value of a numeric column with few distinct values.
     *
     * @return the counts by value, or empty when the column had more distinct values than the profiler counts
     *     exactly (100 by default) or is not numeric
     */
    public Optional<SortedMap<Double, Long>> valueCounts() {
        return Optional.ofNullable(sketch.valueCounts());
    }

    @Override
    public String toString() {
        return "ColumnProfile[" + name() + ":" + type().jsonName() + ", count=" + count() + ", nulls=" + nullCount()
                + ", distinct~" + distinctCount() + (isNumeric() ? ", mean=" + mean() + ", min=" + min() + ", max="
                + max() : "") + "]";
    }
}
