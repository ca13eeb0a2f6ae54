package dev.mlops.api;

import java.math.BigInteger;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * A column of 64-bit signed integers with nulls.
 *
 * <p>Immutable and thread-safe.
 */
public final class LongColumn extends Column {
    private final long[] data;

    LongColumn(long[] data, int offset, int length, boolean[] nulls) {
        super(offset, length, nulls);
        this.data = data;
    }

    /**
     * Creates a column without nulls from a copy of the values.
     *
     * @param values the values
     * @return the column
     */
    public static LongColumn of(long... values) {
        return new LongColumn(values.clone(), 0, values.length, null);
    }

    /**
     * Creates a column from boxed values, where {@code null} elements become null rows.
     *
     * @param values the values
     * @return the column
     */
    public static LongColumn ofNullable(Long... values) {
        Builder b = builder(values.length);
        for (Long v : values) {
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
        return DataType.LONG;
    }

    /**
     * Returns a row's value.
     *
     * @param row a 0-based row index
     * @return the value
     * @throws IndexOutOfBoundsException if the row is outside the column
     * @throws IllegalStateException if the row is null
     */
    public long getLong(int row) {
        if (isNull(row)) {
            throw new IllegalStateException("row " + row + " of a long column is null");
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
    public long getLong(int row, long ifNull) {
        return isNull(row) ? ifNull : data[offset + row];
    }

    /**
     * Returns a read-only view of the values without copying them. Positions of null rows hold unspecified values;
     * consult {@link #isNull(int)}.
     *
     * @return a read-only buffer of {@link #size()} values
     */
    public LongBuffer values() {
        return LongBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * Returns a copy of the values, with {@code ifNull} at null rows.
     *
     * @param ifNull the value to place at null rows
     * @return a new array of {@link #size()} values
     */
    public long[] toArray(long ifNull) {
        long[] copy = Arrays.copyOfRange(data, offset, offset + length);
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
    public LongStream stream() {
        if (nulls == null) {
            return Arrays.stream(data, offset, offset + length);
        }
        return IntStream.range(0, length).filter(i -> !nulls[offset + i]).mapToLong(i -> data[offset + i]);
    }

    @Override
    public LongColumn slice(int from, int to) {
        checkRange(from, to);
        return new LongColumn(data, offset + from, to - from, nulls);
    }

    @Override
    Object boxed(int absoluteIndex) {
        return data[absoluteIndex];
    }

    @Override
    LongColumn take(int[] rows) {
        long[] taken = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = data[offset + Objects.checkIndex(rows[i], length)];
        }
        return new LongColumn(taken, 0, rows.length, takeNulls(rows));
    }

    @Override
    int compareRows(int a, int b) {
        return Long.compare(data[offset + a], data[offset + b]);
    }

    @Override
    boolean sameValue(int row, Column other, int otherRow) {
        LongColumn o = (LongColumn) other;
        return data[offset + row] == o.data[o.offset + otherRow];
    }

    @Override
    int hashValue(int row) {
        return Long.hashCode(data[offset + row]);
    }

    @Override
    void digestValue(int row, DigestWriter out) {
        out.writeLong(data[offset + row]);
    }

    /** Accumulates a long column. Not thread-safe. */
    public static final class Builder extends Column.Builder {
        private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
        private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

        private long[] values;

        Builder(int expectedRows) {
            values = new long[Math.max(0, expectedRows)];
        }

        @Override
        public DataType type() {
            return DataType.LONG;
        }

        @Override
        public Builder addNull() {
            appendNull();
            return this;
        }

        /**
         * Appends a value.
         *
         * @param value the value
         * @return this builder
         */
        public Builder add(long value) {
            ensure(size + 1);
            values[size++] = value;
            return this;
        }

        @Override
        public Builder addObject(Object value) {
            if (value == null) {
                addNull();
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte) {
                add(((Number) value).longValue());
            } else if (value instanceof BigInteger big && big.compareTo(MIN) >= 0 && big.compareTo(MAX) <= 0) {
                add(big.longValue());
            } else {
                throw wrongType(value);
            }
            return this;
        }

        @Override
        public LongColumn build() {
            long[] data = Arrays.copyOf(values, size);
            boolean[] n = trimmedNulls();
            if (n != null) {
                for (int i = 0; i < size; i++) {
                    if (n[i]) {
                        data[i] = 0L;
                    }
                }
            }
            return new LongColumn(data, 0, size, n);
        }

        @Override
        void appendColumn(Column column) {
            LongColumn c = (LongColumn) column;
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
