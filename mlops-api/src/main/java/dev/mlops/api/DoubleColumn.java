package dev.mlops.api;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.DoubleStream;

/**
 * A column of 64-bit floating-point values with nulls. NaN and the infinities are values, distinct from null.
 *
 * <p>Immutable and thread-safe.
 */
public final class DoubleColumn extends Column {
    private final double[] data;

    DoubleColumn(double[] data, int offset, int length, boolean[] nulls) {
        super(offset, length, nulls);
        this.data = data;
    }

    /**
     * Creates a column without nulls from a copy of the values.
     *
     * @param values the values
     * @return the column
     */
    public static DoubleColumn of(double... values) {
        return new DoubleColumn(values.clone(), 0, values.length, null);
    }

    /**
     * Creates a column from boxed values, where {@code null} elements become null rows.
     *
     * @param values the values
     * @return the column
     */
    public static DoubleColumn ofNullable(Double... values) {
        Builder b = builder(values.length);
        for (Double v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    /**
     * Returns a new builder.
     *
     * @param expectedRows a capacity hint
     * @return an empty builder
     */
    public static Builder builder(int expectedRows) {
        return new Builder(expectedRows);
    }

    @Override
    public DataType type() {
        return DataType.DOUBLE;
    }

    /**
     * Returns a row's value.
     *
     * @param row a 0-based row index
     * @return the value
     * @throws IndexOutOfBoundsException if the row is outside the column
     * @throws IllegalStateException if the row is null
     */
    public double getDouble(int row) {
        if (isNull(row)) {
            throw new IllegalStateException("row " + row + " of a double column is null");
        }
        return data[offset + row];
    }

    /**
     * Returns a row's value, or a fallback for a null row.
     *
     * @param row a 0-based row index
     * @param ifNull the value to return for a null row
     * @return the value or the fallback
     */
    public double getDouble(int row, double ifNull) {
        return isNull(row) ? ifNull : data[offset + row];
    }

    /**
     * Returns a read-only view of the values without copying them. Positions of null rows hold unspecified values;
     * consult {@link #isNull(int)}.
     *
     * @return a read-only buffer of {@link #size()} values
     */
    public DoubleBuffer values() {
        return DoubleBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * Returns a copy of the values, with {@code ifNull} at null rows.
     *
     * @param ifNull the value to place at null rows, for instance {@code Double.NaN}
     * @return a new array of {@link #size()} values
     */
    public double[] toArray(double ifNull) {
        double[] copy = Arrays.copyOfRange(data, offset, offset + length);
        if (nulls != null) {
            for (int i = 0; i < length; i++) {
                if (nulls[offset + i]) {
                    copy[i] = ifNull;
                }
            }
        }
        return copy;
    }

    /**
     * Streams the non-null values.
     *
     * @return a stream of the values that are not null
     */
    public DoubleStream stream() {
        DoubleStream all = Arrays.stream(data, offset, offset + length);
        if (nulls == null) {
            return all;
        }
        return java.util.stream.IntStream.range(0, length).filter(i -> !nulls[offset + i]).mapToDouble(i -> data[offset + i]);
    }

    @Override
    public DoubleColumn slice(int from, int to) {
        checkRange(from, to);
        return new DoubleColumn(data, offset + from, to - from, nulls);
    }

    @Override
    Object boxed(int absoluteIndex) {
        return data[absoluteIndex];
    }

    @Override
    DoubleColumn take(int[] rows) {
        double[] taken = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = data[offset + Objects.checkIndex(rows[i], length)];
        }
        return new DoubleColumn(taken, 0, rows.length, takeNulls(rows));
    }

    @Override
    int compareRows(int a, int b) {
        return Double.compare(data[offset + a], data[offset + b]);
    }

    @Override
    boolean sameValue(int row, Column other, int otherRow) {
        DoubleColumn o = (DoubleColumn) other;
        return Double.doubleToLongBits(data[offset + row]) == Double.doubleToLongBits(o.data[o.offset + otherRow]);
    }

    @Override
    int hashValue(int row) {
        return Double.hashCode(data[offset + row]);
    }

    @Override
    void digestValue(int row, DigestWriter out) {
        out.writeLong(Double.doubleToLongBits(data[offset + row]));
    }

    /** Accumulates a double column. Not thread-safe. */
    public static final class Builder extends Column.Builder {
        private double[] values;

        Builder(int expectedRows) {
            values = new double[Math.max(0, expectedRows)];
        }

        @Override
        public DataType type() {
            return DataType.DOUBLE;
        }

        @Override
        public Builder addNull() {
            appendNull();
            return this;
        }

        /**
         * Appends a value.
         *
         * @param value the value; NaN and the infinities are kept as values
         * @return this builder
         */
        public Builder add(double value) {
            ensure(size + 1);
            values[size++] = value;
            return this;
        }

        @Override
        public Builder addObject(Object value) {
            if (value == null) {
                addNull();
            } else if (value instanceof Number n) {
                add(n.doubleValue());
            } else {
                throw wrongType(value);
            }
            return this;
        }

        @Override
        public DoubleColumn build() {
            double[] data = Arrays.copyOf(values, size);
            boolean[] n = trimmedNulls();
            if (n != null) {
                for (int i = 0; i < size; i++) {
                    if (n[i]) {
                        data[i] = 0.0;
                    }
                }
            }
            return new DoubleColumn(data, 0, size, n);
        }

        @Override
        void appendColumn(Column column) {
            DoubleColumn c = (DoubleColumn) column;
            ensure(size + c.length);
            System.arraycopy(c.data, c.offset, values, size, c.length);
            appendNullsOf(c);
            size += c.length;
        }

        @Override
        int capacity() {
            return values.length;
        }

        @Override
        void grow(int minCapacity) {
            values = Arrays.copyOf(values, minCapacity);
        }
    }
}
