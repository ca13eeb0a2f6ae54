package dev.mlops.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One immutable, typed column of a {@link Frame}: values plus a null mask.
 *
 * <p>Each {@link DataType} has its own subclass with unboxed accessors and a zero-copy, read-only view of the
 * primitive values ({@link DoubleColumn#values()}, {@link LongColumn#values()}, {@link TimestampColumn#micros()}).
 * Slicing shares the underlying arrays. Columns are immutable and thread-safe.
 *
 * <p>A null is distinct from every value, NaN included: a double column may hold NaN, infinities and nulls side by
 * side. The value stored under a null is unspecified and never observed.
 */
public abstract sealed class Column permits DoubleColumn, LongColumn, BooleanColumn, StringColumn, TimestampColumn {
    /** Start of this column's range in the backing arrays. */
    final int offset;
    /** Number of rows. */
    final int length;
    /** Null mask over the backing arrays (true = null), or {@code null} when no row of this range is null. */
    final boolean[] nulls;
    private final int nullCount;

    Column(int offset, int length, boolean[] nulls) {
        this.offset = offset;
        this.length = length;
        int count = 0;
        if (nulls != null) {
            for (int i = offset, end = offset + length; i < end; i++) {
                if (nulls[i]) {
                    count++;
                }
            }
        }
        this.nullCount = count;
        this.nulls = count == 0 ? null : nulls;
    }

    /**
     * Returns the column's type.
     *
     * @return the data type
     */
    public abstract DataType type();

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    public final int size() {
        return length;
    }

    /**
     * Tells whether a row holds null.
     *
     * @param row a 0-based row index
     * @return true if the row is null
     * @throws IndexOutOfBoundsException if the row is outside the column
     */
    public final boolean isNull(int row) {
        Objects.checkIndex(row, length);
        return nulls != null && nulls[offset + row];
    }

    /**
     * Returns the number of null rows.
     *
     * @return the null count
     */
    public final int nullCount() {
        return nullCount;
    }

    /**
     * Returns a row's value boxed: {@link Double}, {@link Long}, {@link Boolean}, {@link String} or
     * {@link java.time.Instant}.
     *
     * @param row a 0-based row index
     * @return the value, or {@code null} for a null row
     * @throws IndexOutOfBoundsException if the row is outside the column
     */
    public final Object get(int row) {
        return isNull(row) ? null : boxed(offset + row);
    }

    /**
     * Returns the rows {@code [from, to)} as a column that shares this column's arrays.
     *
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return the slice
     * @throws IndexOutOfBoundsException if the range is outside the column
     */
    public abstract Column slice(int from, int to);

    /**
     * Returns a new builder for a column of a type.
     *
     * @param type the column type
     * @param expectedRows a capacity hint
     * @return an empty builder
     */
    public static Builder builder(DataType type, int expectedRows) {
        return switch (type) {
            case DOUBLE -> DoubleColumn.builder(expectedRows);
            case LONG -> LongColumn.builder(expectedRows);
            case BOOLEAN -> BooleanColumn.builder(expectedRows);
            case STRING -> StringColumn.builder(expectedRows);
            case TIMESTAMP -> TimestampColumn.builder(expectedRows);
        };
    }

    /** Returns the value at an absolute index of the backing arrays, boxed. */
    abstract Object boxed(int absoluteIndex);

    /** Gathers rows (relative indices) into a new column. */
    abstract Column take(int[] rows);

    /** Compares two non-null rows (relative indices). */
    abstract int compareRows(int a, int b);

    /** Compares a non-null row of this column with a non-null row of a column of the same type. */
    abstract boolean sameValue(int row, Column other, int otherRow);

    /** Hashes a non-null row. */
    abstract int hashValue(int row);

    /** Feeds the canonical bytes of a non-null row to a digest. */
    abstract void digestValue(int row, DigestWriter out);

    final boolean[] takeNulls(int[] rows) {
        if (nulls == null) {
            return null;
        }
        boolean[] taken = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = nulls[offset + Objects.checkIndex(rows[i], length)];
        }
        return taken;
    }

    final void checkRange(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Column other) || other.type() != type() || other.length != length
                || other.nullCount != nullCount) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            boolean n = isNull(i);
            if (n != other.isNull(i) || (!n && !sameValue(i, other, i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final int hashCode() {
        int h = type().hashCode() * 31 + length;
        for (int i = 0; i < length; i++) {
            h = h * 31 + (isNull(i) ? 0x9e3779b9 : hashValue(i));
        }
        return h;
    }

    @Override
    public String toString() {
        int shown = Math.min(length, 10);
        Object[] head = new Object[shown];
        for (int i = 0; i < shown; i++) {
            head[i] = get(i);
        }
        String body = Arrays.toString(head);
        return type().jsonName() + "[" + length + "]" + (length > shown ? body.replaceFirst("]$", ", ...]") : body);
    }

    /**
     * Accumulates the rows of one column. Not thread-safe; a builder is used by one thread and discarded after
     * {@link #build()}.
     */
    public abstract static sealed class Builder
            permits DoubleColumn.Builder, LongColumn.Builder, BooleanColumn.Builder, StringColumn.Builder,
            TimestampColumn.Builder {
        boolean[] nulls;
        int size;

        Builder() {
        }

        /**
         * Returns the type of the column being built.
         *
         * @return the data type
         */
        public abstract DataType type();

        /**
         * Returns the number of rows appended so far.
         *
         * @return the row count
         */
        public final int size() {
            return size;
        }

        /**
         * Appends a null row.
         *
         * @return this builder
         */
        public abstract Builder addNull();

        final void appendNull() {
            ensure(size + 1);
            if (nulls == null) {
                nulls = new boolean[capacity()];
            }
            nulls[size++] = true;
        }

        /**
         * Appends a boxed value, converting it where the conversion is exact (for instance an {@link Integer} into
         * a long column, or a {@link java.time.OffsetDateTime} into a timestamp column).
         *
         * @param value the value, or {@code null}
         * @return this builder
         * @throws InvalidArgumentException if the value has a type this column cannot hold, naming both
         */
        public abstract Builder addObject(Object value);

        /**
         * Builds the column. The builder must not be used afterwards.
         *
         * @return the column
         */
        public abstract Column build();

        /** Appends every row of a column of this builder's type. */
        abstract void appendColumn(Column column);

        /** Copies a column's null mask to positions {@code [size, size + column.size())}; call before advancing size. */
        final void appendNullsOf(Column column) {
            if (column.nulls != null) {
                if (nulls == null) {
                    nulls = new boolean[capacity()];
                }
                System.arraycopy(column.nulls, column.offset, nulls, size, column.length);
            }
        }

        /** Drops the rows from {@code newSize} on. */
        final void truncate(int newSize) {
            if (nulls != null) {
                Arrays.fill(nulls, newSize, size, false);
            }
            size = newSize;
        }

        abstract int capacity();

        abstract void grow(int minCapacity);

        final void ensure(int minCapacity) {
            if (minCapacity > capacity()) {
                int newCapacity = (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max((long) minCapacity, capacity() + (capacity() >> 1) + 16L));
                if (newCapacity < minCapacity) {
                    throw new InvalidArgumentException("a column cannot hold more than " + (Integer.MAX_VALUE - 8) + " rows");
                }
                grow(newCapacity);
                if (nulls != null) {
                    nulls = Arrays.copyOf(nulls, newCapacity);
                }
            }
        }

        final boolean[] trimmedNulls() {
            return nulls == null ? null : Arrays.copyOf(nulls, size);
        }

        final InvalidArgumentException wrongType(Object value) {
            return new InvalidArgumentException("a " + type().jsonName() + " column cannot hold "
                    + value.getClass().getSimpleName() + " value '" + value + "'");
        }
    }
}
