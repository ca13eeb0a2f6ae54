package dev.mlops.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A column of Unicode strings with nulls. The empty string is a value, distinct from null.
 *
 * <p>Immutable and thread-safe.
 */
public final class StringColumn extends Column {
    private final String[] data;

    StringColumn(String[] data, int offset, int length, boolean[] nulls) {
        super(offset, length, nulls);
        this.data = data;
    }

    /**
     * Creates a column from a copy of the values, where {@code null} elements become null rows.
     *
     * @param values the values
     * @return the column
     */
    public static StringColumn of(String... values) {
        Builder b = builder(values.length);
        for (String v : values) {
            b.add(v);
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
        return DataType.STRING;
    }

    /**
     * Returns a row's value.
     *
     * @param row a 0-based row index
     * @return the value, or {@code null} for a null row
     * @throws IndexOutOfBoundsException if the row is outside the column
     */
    public String getString(int row) {
        return isNull(row) ? null : data[offset + row];
    }

    /**
     * Streams the non-null values.
     *
     * @return a stream of the values that are not null
     */
    public Stream<String> stream() {
        return IntStream.range(0, length).filter(i -> !isNull(i)).mapToObj(i -> data[offset + i]);
    }

    @Override
    public StringColumn slice(int from, int to) {
        checkRange(from, to);
        return new StringColumn(data, offset + from, to - from, nulls);
    }

    @Override
    Object boxed(int absoluteIndex) {
        return data[absoluteIndex];
    }

    @Override
    StringColumn take(int[] rows) {
        String[] taken = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = data[offset + Objects.checkIndex(rows[i], length)];
        }
        return new StringColumn(taken, 0, rows.length, takeNulls(rows));
    }

    @Override
    int compareRows(int a, int b) {
        return data[offset + a].compareTo(data[offset + b]);
    }

    @Override
    boolean sameValue(int row, Column other, int otherRow) {
        StringColumn o = (StringColumn) other;
        return data[offset + row].equals(o.data[o.offset + otherRow]);
    }

    @Override
    int hashValue(int row) {
        return data[offset + row].hashCode();
    }

    @Override
    void digestValue(int row, DigestWriter out) {
        out.writeString(data[offset + row]);
    }

    /** Accumulates a string column. Not thread-safe. */
    public static final class Builder extends Column.Builder {
        private String[] values;

        Builder(int expectedRows) {
            values = new String[Math.max(0, expectedRows)];
        }

        @Override
        public DataType type() {
            return DataType.STRING;
        }

        @Override
        public Builder addNull() {
            appendNull();
            return this;
        }

        /**
         * Appends a value.
         *
         * @param value the value, or {@code null} for a null row
         * @return this builder
         */
        public Builder add(String value) {
            if (value == null) {
                return addNull();
            }
            ensure(size + 1);
            values[size++] = value;
            return this;
        }

        @Override
        public Builder addObject(Object value) {
            if (value == null) {
                addNull();
            } else if (value instanceof CharSequence cs) {
                add(cs.toString());
            } else {
                throw wrongType(value);
            }
            return this;
        }

        @Override
        public StringColumn build() {
            return new StringColumn(Arrays.copyOf(values, size), 0, size, trimmedNulls());
        }

        @Override
        void appendColumn(Column column) {
            StringColumn c = (StringColumn) column;
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
