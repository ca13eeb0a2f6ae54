package dev.mlops.monitoring.internal;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.LongColumn;
import dev.mlops.api.StringColumn;
import dev.mlops.api.TimestampColumn;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One side of a drift comparison for one column: the valid values as a distribution (numbers) or as category counts
 * (strings and booleans), either exact (from a frame, with the sorted values kept) or approximate (from a profile's
 * sketches). Immutable and thread-safe once built.
 */
public final class ColumnSample {
    /** Numeric columns with at most this many distinct values (known exactly) are compared value by value. */
    public static final int VALUE_LIMIT = 100;

    private final String name;
    private final DataType type;
    private final long rows;
    private final long valid;
    private final Ecdf ecdf;
    private final double[] sorted;
    private final double populationStd;
    private final double min;
    private final double max;
    private final SortedMap<Double, Long> numericCounts;
    private final Map<String, Long> categories;
    private final long categoryError;

    private ColumnSample(String name, DataType type, long rows, long valid, Ecdf ecdf, double[] sorted,
            double populationStd, double min, double max, SortedMap<Double, Long> numericCounts,
            Map<String, Long> categories, long categoryError) {
        this.name = name;
        this.type = type;
        this.rows = rows;
        this.valid = valid;
        this.ecdf = ecdf;
        this.sorted = sorted;
        this.populationStd = populationStd;
        this.min = min;
        this.max = max;
        this.numericCounts = numericCounts;
        this.categories = categories;
        this.categoryError = categoryError;
    }

    /**
     * Builds the exact sample of a frame column.
     *
     * @param name the column name
     * @param column the column
     * @return the sample
     */
    public static ColumnSample of(String name, Column column) {
        int n = column.size();
        if (column instanceof StringColumn || column instanceof BooleanColumn) {
            Map<String, Long> counts = new HashMap<>();
            long valid = 0;
            for (int i = 0; i < n; i++) {
                if (!column.isNull(i)) {
                    counts.merge(String.valueOf(column.get(i)), 1L, Long::sum);
                    valid++;
                }
            }
            return new ColumnSample(name, column.type(), n, valid, null, null, Double.NaN, Double.NaN, Double.NaN, null,
                    Map.copyOf(counts), 0);
        }
        double[] values = new double[n];
        int k = 0;
        boolean anyNull = column.nullCount() > 0;
        if (column instanceof DoubleColumn d) {
            DoubleBuffer b = d.values();
            b.get(0, values, 0, n);
            for (int i = 0; i < n; i++) {
                double x = values[i];
                if (Double.isFinite(x) && !(anyNull && d.isNull(i))) {
                    values[k++] = x + 0.0;
                }
            }
        } else {
            LongBuffer b = column instanceof LongColumn l ? l.values() : ((TimestampColumn) column).micros();
            for (int i = 0; i < n; i++) {
                if (!(anyNull && column.isNull(i))) {
                    values[k++] = b.get(i);
                }
            }
        }
        double[] sortedValues = k == n ? values : Arrays.copyOf(values, k);
        Arrays.sort(sortedValues);
        return ofSorted(name, column.type(), n, sortedValues);
    }

    /**
     * Builds the exact sample of sorted finite values.
     *
     * @param name the column name
     * @param type the column type
     * @param rows the rows, missing ones included
     * @param sortedValues the valid values in ascending order (retained, not copied)
     * @return the sample
     */
    public static ColumnSample ofSorted(String name, DataType type, long rows, double[] sortedValues) {
        int k = sortedValues.length;
        Moments m = new Moments();
        m.addAll(sortedValues, k);
        TreeMap<Double, Long> counts = new TreeMap<>();
        for (int i = 0; i < k && counts != null; ) {
            int j = i;
            while (j < k && sortedValues[j] == sortedValues[i]) {
                j++;
            }
            if (counts.size() == VALUE_LIMIT) {
                counts = null;
            } else {
                counts.put(sortedValues[i], (long) (j - i));
            }
            i = j;
        }
        return new ColumnSample(name, type, rows, k, Ecdf.ofSorted(sortedValues, k), sortedValues,
                Math.sqrt(m.populationVariance()), m.min(), m.max(), counts, null, 0);
    }

    /**
     * Builds the approximate sample a profile's column describes.
     *
     * @param sketch the column's profile
     * @return the sample
     */
    public static ColumnSample of(ColumnSketch sketch) {
        if (sketch.numeric()) {
            Moments m = sketch.moments();
            return new ColumnSample(sketch.name(), sketch.type(), sketch.count(), sketch.validCount(), sketch.ecdf(),
                    null, Math.sqrt(m.populationVariance()), m.min(), m.max(), sketch.valueCounts(), null, 0);
        }
        Map<String, Long> counts = new HashMap<>();
        for (ColumnSketch.Item i : sketch.frequentItems()) {
            counts.put(i.value(), i.estimate());
        }
        return new ColumnSample(sketch.name(), sketch.type(), sketch.count(), sketch.validCount(), null, null,
                Double.NaN, Double.NaN, Double.NaN, null, Map.copyOf(counts), sketch.itemsMaxError());
    }

    /** @return the column name */
    public String name() {
        return name;
    }

    /** @return the column type */
    public DataType type() {
        return type;
    }

    /** @return whether values are numbers (double, long, timestamp) */
    public boolean numeric() {
        return categories == null;
    }

    /** @return the rows, missing ones included */
    public long rows() {
        return rows;
    }

    /** @return the valid values */
    public long valid() {
        return valid;
    }

    /** @return the rows left out: null, NaN or infinite */
    public long missing() {
        return rows - valid;
    }

    /** @return the distribution of the values (numeric samples) */
    public Ecdf ecdf() {
        return ecdf;
    }

    /** @return the sorted raw values, or null when the sample came from a sketch */
    public double[] sorted() {
        return sorted;
    }

    /** @return whether the sample holds raw values */
    public boolean exact() {
        return numeric() ? sorted != null || ecdf.rankError() == 0 : categoryError == 0;
    }

    /** @return the population standard deviation of numeric values */
    public double populationStd() {
        return populationStd;
    }

    /** @return the smallest valid value (exact, also for sketches), NaN when empty or not numeric */
    public double min() {
        return min;
    }

    /** @return the largest valid value (exact, also for sketches), NaN when empty or not numeric */
    public double max() {
        return max;
    }

    /** @return exact counts per numeric value, or null when there are more than {@value #VALUE_LIMIT} */
    public SortedMap<Double, Long> numericCounts() {
        return numericCounts;
    }

    /** @return counts per category (strings and booleans) */
    public Map<String, Long> categories() {
        return categories;
    }

    /** @return the largest error of a category count (0 when exact) */
    public long categoryError() {
        return categoryError;
    }
}
