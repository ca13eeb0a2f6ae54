package dev.mlops.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A column of booleans with nulls.
 *
 * <p>Immutable and thread-safe.
 */
public final class BooleanColumn extends Column {
    private final boolean[] data;

    BooleanColumn(boolean[] data, int offset, int length, boolean[] nulls) {
        super(offset, length, nulls);
        this.data = data;
    }

    /**
     * Creates a column without nulls from a copy of the values.
     *
     * @param values the values
     * @return the column
     */
    public static BooleanColumn of(boolean... values) {
        return new BooleanColumn(values.clone(), 0, values.length, null);
    }

    /**
     * Creates a column from boxed values, where {@code null} elements become null rows.
     *
     * @param values the values
     * @return the column
     */
    public static BooleanColumn ofNullable(Boolean... values) {
        Builder b = builder(values.length);
        for (Boolean v : values) {
            b.addObject(v);
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
        return DataType.BOOLEAN;
    }

    /**
     * Returns a row's value.
     *
     * @param row a 0-based row index
     * @return the value
     * @throws IndexOutOfBoundsException if the row is outside the column
     * @throws IllegalStateException if the row is null
     */
    public boolean getBoolean(int row) {
        if (isNull(row)) {
            throw new IllegalStateException("row " + row + " of a boolean column is null");
        }
        return data[offset + row];
    }

    @Override
    public BooleanColumn slice(int from, int to) {
        checkRange(from, to);
        return new BooleanColumn(data, offset + from, to - from, nulls);
    }

    @Override
    Object boxed(int absoluteIndex) {
        return data[absoluteIndex];
    }

    @Override
    BooleanColumn take(int[] rows) {
        boolean[] taken = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = data[offset + Objects.checkIndex(rows[i], length)];
        }
        return new BooleanColumn(taken, 0, rows.length, takeNulls(rows));
    }

    @Override
    int compareRows(int a, int b) {
        return Boolean.compare(data[offset + a], data[offset + b]);
    }

    @Override
    boolean sameValue(int row, Column other, int otherRow) {
        BooleanColumn o = (BooleanColumn) other;
        return data[offset + row] == o.data[o.offset + otherRow];
    }

    @Override
    int hashValue(int row) {
        return Boolean.hashCode(data[offset + row]);
    }

    @Override
    void digestValue(int row, DigestWriter out) {
        out.writeByte(data[offset + row] ? 1 : 0);
    }

    /** Accumulates a boolean column. Not thread-safe. */
    public static final class Builder extends Column.Builder {
        private boolean[] values;

        Builder(int expectedRows) {
            values = new boolean[Math.max(0, expectedRows)];
        }

        @Override
        public DataType type() {
            return DataType.BOOLEAN;
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
        public Builder add(boolean value) {
            ensure(size + 1);
            values[size++] = value;
            return this;
        }

        @Override
        public Builder addObject(Object value) {
            if (value == null) {
                addNull();
            } else if (value instanceof Boolean b) {
                add(b);
            } else {
                throw wrongType(value);
            }
            return this;
        }

        @Override
        public BooleanColumn build() {
            boolean[] data = Arrays.copyOf(values, size);
            boolean[] n = trimmedNulls();
            if (n != null) {
                for (int i = 0; i < size; i++) {
                    if (n[i]) {
                        data[i] = false;
                    }
                }
            }
            return new BooleanColumn(data, 0, size, n);
        }

        @Override
        void appendColumn(Column column) {
            BooleanColumn c = (BooleanColumn) column;
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
