package dev.mlops.monitoring.internal;

import dev.mlops.api.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * An immutable snapshot of one column's profile: counts, moments and the serialized sketches, with the derived
 * views (distribution, distinct estimate, frequent items) computed on first use. Thread-safe.
 */
public final class ColumnSketch {
    private final String name;
    private final DataType type;
    private final long count;
    private final long nulls;
    private final long nan;
    private final long infinite;
    private final Moments moments;
    private final byte[] kll;
    private final byte[] hll;
    private final byte[] items;
    private final SortedMap<Double, Long> valueCounts;
    private final double distinct;
    private final double distinctLower;
    private final double distinctUpper;
    private final List<Item> frequentItems;
    private final long itemsMaxError;
    private volatile Ecdf ecdf;

    /**
     * One frequent item with its estimated count and bounds.
     *
     * @param value the item
     * @param estimate the estimated count
     * @param lowerBound a lower bound on the true count
     * @param upperBound an upper bound on the true count
     */
    public record Item(String value, long estimate, long lowerBound, long upperBound) {
    }

    /**
     * Creates a snapshot; validates the serialized sketches by reading them.
     *
     * @param name the column name
     * @param type the column type
     * @param count rows seen
     * @param nulls null rows
     * @param nan NaN values
     * @param infinite infinite values
     * @param moments the moments of the finite values (not retained; copied)
     * @param kll the serialized KLL sketch, or null for non-numeric columns
     * @param hll the serialized HLL sketch
     * @param items the serialized frequent-items sketch, or null for numeric columns
     * @param valueCounts exact counts per numeric value, or null when there were too many values (copied)
     * @throws IllegalArgumentException if a sketch cannot be read
     */
    public ColumnSketch(String name, DataType type, long count, long nulls, long nan, long infinite, Moments moments,
            byte[] kll, byte[] hll, byte[] items, SortedMap<Double, Long> valueCounts) {
        this.name = name;
        this.type = type;
        this.count = count;
        this.nulls = nulls;
        this.nan = nan;
        this.infinite = infinite;
        this.moments = moments.copy();
        this.kll = kll;
        this.hll = hll;
        this.items = items;
        this.valueCounts = valueCounts == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(valueCounts));
        try {
            if (kll != null) {
                KllDoublesSketch k = KllDoublesSketch.heapify(Memory.wrap(kll));
                if (k.getN() != moments.n()) {
                    throw new IllegalArgumentException("the quantile sketch holds " + k.getN()
                            + " values but the moments count " + moments.n());
                }
            }
            HllSketch h = HllSketch.heapify(hll);
            this.distinct = h.getEstimate();
            this.distinctLower = h.getLowerBound(2);
            this.distinctUpper = h.getUpperBound(2);
            if (items != null) {
                ItemsSketch<String> s = ItemsSketch.getInstance(Memory.wrap(items), ColumnAccumulator.STRINGS);
                List<Item> list = new ArrayList<>();
                for (ItemsSketch.Row<String> r : s.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
                    list.add(new Item(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()));
                }
                list.sort((a, b) -> a.estimate() != b.estimate() ? Long.compare(b.estimate(), a.estimate())
                        : a.value().compareTo(b.value()));
                this.frequentItems = List.copyOf(list);
                this.itemsMaxError = s.getMaximumError();
            } else {
                this.frequentItems = List.of();
                this.itemsMaxError = 0;
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("the quantile sketch")) {
                throw iae;
            }
            throw new IllegalArgumentException("a sketch of column '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return the column name */
    public String name() {
        return name;
    }

    /** @return the column type */
    public DataType type() {
        return type;
    }

    /** @return rows seen, nulls included */
    public long count() {
        return count;
    }

    /** @return null rows */
    public long nullCount() {
        return nulls;
    }

    /** @return NaN values */
    public long nanCount() {
        return nan;
    }

    /** @return infinite values */
    public long infiniteCount() {
        return infinite;
    }

    /** @return the moments of the finite values (a copy) */
    public Moments moments() {
        return moments.copy();
    }

    /** @return the number of valid values: not null, and for numbers finite */
    public long validCount() {
        return count - nulls - nan - infinite;
    }

    /** @return whether the column is numeric (double, long or timestamp) */
    public boolean numeric() {
        return kll != null;
    }

    /** @return the serialized KLL sketch, or null; callers must not modify it */
    public byte[] kllBytes() {
        return kll;
    }

    /** @return the serialized HLL sketch; callers must not modify it */
    public byte[] hllBytes() {
        return hll;
    }

    /** @return the serialized frequent-items sketch, or null; callers must not modify it */
    public byte[] itemsBytes() {
        return items;
    }

    /** @return exact counts per numeric value, or null when there were more distinct values than counted */
    public SortedMap<Double, Long> valueCounts() {
        return valueCounts;
    }

    /** @return the HLL distinct-count estimate */
    public double distinct() {
        return distinct;
    }

    /** @return the lower bound of the distinct count at about 95% confidence */
    public double distinctLower() {
        return distinctLower;
    }

    /** @return the upper bound of the distinct count at about 95% confidence */
    public double distinctUpper() {
        return distinctUpper;
    }

    /** @return the frequent items, most frequent first */
    public List<Item> frequentItems() {
        return frequentItems;
    }

    /** @return the largest possible error of a frequent-item count (0 while counts are exact) */
    public long itemsMaxError() {
        return itemsMaxError;
    }

    /** @return the distribution of the finite values from the quantile sketch, empty for non-numeric columns */
    public Ecdf ecdf() {
        Ecdf e = ecdf;
        if (e == null) {
            e = kll == null ? Ecdf.empty() : Ecdf.ofSketch(KllDoublesSketch.heapify(Memory.wrap(kll)));
            ecdf = e;
        }
        return e;
    }

    /**
     * Returns the merge of this snapshot and another of the same column.
     *
     * @param other the other snapshot
     * @param config the sketch sizes of the result
     * @return the merged snapshot
     */
    public ColumnSketch merge(ColumnSketch other, SketchConfig config) {
        ColumnAccumulator acc = new ColumnAccumulator(name, type, config);
        acc.merge(this);
        acc.merge(other);
        return acc.snapshot();
    }
}
