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
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The live state of one column's profile: counts, moments and sketches, updated value by value or a column at a
 * time, and merged with other states. Numeric and timestamp columns feed a KLL quantile sketch (timestamps as epoch
 * microseconds), every column feeds a HyperLogLog sketch, strings and booleans feed a frequent-items sketch. Not
 * thread-safe.
 */
public final class ColumnAccumulator {
    static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();
    private static final int CHUNK = 4096;

    private final String name;
    private final DataType type;
    private final SketchConfig config;
    private long count;
    private long nulls;
    private long nan;
    private long infinite;
    private final Moments moments = new Moments();
    private final KllDoublesSketch kll;
    private HllSketch hll;
    private final ItemsSketch<String> items;
    private final ValueCounter counter;
    private double[] chunk;
    private int chunkSize;

    /**
     * Creates an empty state.
     *
     * @param name the column name
     * @param type the column type
     * @param config the sketch sizes
     */
    public ColumnAccumulator(String name, DataType type, SketchConfig config) {
        this.name = name;
        this.type = type;
        this.config = config;
        boolean numeric = isNumeric(type);
        this.kll = numeric ? KllDoublesSketch.newHeapInstance(config.kllK()) : null;
        this.counter = numeric ? new ValueCounter(config.valueLimit()) : null;
        this.items = numeric ? null : new ItemsSketch<>(1 << config.itemsLgMaxMapSize());
        // HLL_8 updates several times faster than HLL_4; snapshots are stored in the smaller HLL_4 form.
        this.hll = new HllSketch(config.hllLgK(), TgtHllType.HLL_8);
        this.chunk = numeric ? new double[CHUNK] : null;
    }

    static boolean isNumeric(DataType type) {
        return type == DataType.DOUBLE || type == DataType.LONG || type == DataType.TIMESTAMP;
    }

    /**
     * Returns the column name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the column type.
     *
     * @return the type
     */
    public DataType type() {
        return type;
    }

    /** Counts a null. */
    public void addNull() {
        count++;
        nulls++;
    }

    /**
     * Adds a double (for LONG and TIMESTAMP columns, the value converted).
     *
     * @param x the value; NaN and infinities are counted apart
     */
    public void addDouble(double x) {
        count++;
        if (Double.isNaN(x)) {
            nan++;
        } else if (Double.isInfinite(x)) {
            infinite++;
        } else {
            hll.update(x + 0.0);
            buffer(x + 0.0);
        }
    }

    /**
     * Adds a long (LONG values, or TIMESTAMP microseconds).
     *
     * @param x the value
     */
    public void addLong(long x) {
        count++;
        hll.update(x);
        buffer((double) x);
    }

    /**
     * Adds a boolean.
     *
     * @param b the value
     */
    public void addBoolean(boolean b) {
        addString(b ? "true" : "false");
    }

    /**
     * Adds a string.
     *
     * @param s the value, not null
     */
    public void addString(String s) {
        count++;
        hll.update(s);
        items.update(s);
    }

    /**
     * Adds a boxed value of the column's type.
     *
     * @param value the value, or null
     * @throws IllegalArgumentException if the value does not fit the column type
     */
    public void addObject(Object value) {
        if (value == null) {
            addNull();
            return;
        }
        switch (type) {
            case DOUBLE -> {
                if (!(value instanceof Number n)) {
                    throw wrong(value);
                }
                addDouble(n.doubleValue());
            }
            case LONG -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    addLong(((Number) value).longValue());
                } else {
                    throw wrong(value);
                }
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw wrong(value);
                }
                addBoolean(b);
            }
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw wrong(value);
                }
                addString(s);
            }
            case TIMESTAMP -> {
                if (value instanceof java.time.Instant i) {
                    addLong(TimestampColumn.toMicros(i));
                } else if (value instanceof java.time.OffsetDateTime o) {
                    addLong(TimestampColumn.toMicros(o.toInstant()));
                } else {
                    throw wrong(value);
                }
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
    }

    private IllegalArgumentException wrong(Object value) {
        return new IllegalArgumentException("column '" + name + "' of type " + type.jsonName() + " cannot hold "
                + value.getClass().getSimpleName() + " value '" + value + "'");
    }

    /**
     * Adds every row of a column of this state's type, a chunk at a time.
     *
     * @param column the column
     */
    public void addColumn(Column column) {
        int n = column.size();
        if (column instanceof DoubleColumn c) {
            DoubleBuffer values = c.values();
            boolean anyNull = c.nullCount() > 0;
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                flush();
                values.get(start, chunk, 0, len);
                int k = 0;
                for (int i = 0; i < len; i++) {
                    double x = chunk[i];
                    if (anyNull && c.isNull(start + i)) {
                        nulls++;
                    } else if (Double.isNaN(x)) {
                        nan++;
                    } else if (Double.isInfinite(x)) {
                        infinite++;
                    } else {
                        x += 0.0;
                        chunk[k++] = x;
                        hll.update(x);
                    }
                }
                count += len;
                chunkSize = k;
                flush();
            }
        } else if (column instanceof LongColumn c) {
            addLongs(c.values(), c, n);
        } else if (column instanceof TimestampColumn c) {
            addLongs(c.micros(), c, n);
        } else if (column instanceof BooleanColumn c) {
            for (int i = 0; i < n; i++) {
                if (c.isNull(i)) {
                    addNull();
                } else {
                    addBoolean(c.getBoolean(i));
                }
            }
        } else if (column instanceof StringColumn c) {
            for (int i = 0; i < n; i++) {
                if (c.isNull(i)) {
                    addNull();
                } else {
                    addString(c.getString(i));
                }
            }
        }
    }

    private void addLongs(LongBuffer values, Column c, int n) {
        boolean anyNull = c.nullCount() > 0;
        for (int i = 0; i < n; i++) {
            if (anyNull && c.isNull(i)) {
                addNull();
            } else {
                addLong(values.get(i));
            }
        }
    }

    private void buffer(double x) {
        chunk[chunkSize++] = x;
        if (chunkSize == CHUNK) {
            flush();
        }
    }

    private void flush() {
        if (chunkSize == 0) {
            return;
        }
        moments.addAll(chunk, chunkSize);
        kll.update(chunk, 0, chunkSize);
        if (!counter.overflowed()) {
            for (int i = 0; i < chunkSize && !counter.overflowed(); i++) {
                counter.add(chunk[i]);
            }
        }
        chunkSize = 0;
    }

    /**
     * Merges a snapshot into this state.
     *
     * @param other a snapshot of a column with the same name and type
     * @throws IllegalArgumentException if the name or type differs
     */
    public void merge(ColumnSketch other) {
        if (!other.name().equals(name) || other.type() != type) {
            throw new IllegalArgumentException("cannot merge column '" + other.name() + "' (" + other.type().jsonName()
                    + ") into column '" + name + "' (" + type.jsonName() + ")");
        }
        flush();
        count += other.count();
        nulls += other.nullCount();
        nan += other.nanCount();
        infinite += other.infiniteCount();
        moments.merge(other.moments());
        if (kll != null && other.kllBytes() != null) {
            kll.merge(KllDoublesSketch.heapify(Memory.wrap(other.kllBytes())));
        }
        Union union = new Union(config.hllLgK());
        union.update(hll);
        union.update(HllSketch.heapify(other.hllBytes()));
        hll = union.getResult(TgtHllType.HLL_8);
        if (items != null && other.itemsBytes() != null) {
            items.merge(ItemsSketch.getInstance(Memory.wrap(other.itemsBytes()), STRINGS));
        }
        if (counter != null) {
            if (other.valueCounts() == null) {
                counter.markOverflowed();
            } else {
                for (Map.Entry<Double, Long> e : other.valueCounts().entrySet()) {
                    counter.add(e.getKey(), e.getValue());
                }
            }
        }
    }

    /**
     * Takes an immutable snapshot; the state stays usable.
     *
     * @return the snapshot
     */
    public ColumnSketch snapshot() {
        flush();
        return new ColumnSketch(name, type, count, nulls, nan, infinite, moments.copy(),
                kll == null ? null : kll.toByteArray(), hll.copyAs(TgtHllType.HLL_4).toCompactByteArray(),
                items == null ? null : items.toByteArray(STRINGS),
                counter == null || counter.overflowed() ? null : counter.counts());
    }
}
