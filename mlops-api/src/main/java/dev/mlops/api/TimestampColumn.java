package dev.mlops.api;

import java.nio.LongBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;

/**
 * A column of instants on the UTC time line, stored as microseconds since the epoch, with nulls.
 *
 * <p>Microseconds match the precision of SQL and Parquet timestamps; an {@link Instant} with a finer fraction is
 * truncated towards the past when appended. Immutable and thread-safe.
 */
public final class TimestampColumn extends Column {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final long[] data;

    TimestampColumn(long[] data, int offset, int length, boolean[] nulls) {
        super(offset, length, nulls);
        this.data = data;
    }

    /**
     * Creates a column from instants, where {@code null} elements become null rows.
     *
     * @param values the instants
     * @return the column
     * @throws InvalidArgumentException if an instant lies outside the range of microseconds in a long
     */
    public static TimestampColumn of(Instant... values) {
        Builder b = builder(values.length);
        for (Instant v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    /**
     * Creates a column without nulls from a copy of epoch microseconds.
     *
     * @param micros microseconds since 1970-01-01T00:00:00Z
     * @return the column
     */
    public static TimestampColumn ofMicros(long... micros) {
        return new TimestampColumn(micros.clone(), 0, micros.length, null);
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

    /**
     * Converts an instant to epoch microseconds, truncating a finer fraction towards the past.
     *
     * @param instant the instant
     * @return microseconds since the epoch
     * @throws InvalidArgumentException if the instant lies outside the range of microseconds in a long
     */
    public static long toMicros(Instant instant) {
        long seconds = instant.getEpochSecond();
        long micros = instant.getNano() / 1000;
        try {
            if (seconds < 0 && micros > 0) {
                // Borrow a second so that the product cannot overflow for the earliest representable instants.
                return Math.addExact(Math.multiplyExact(seconds + 1, MICROS_PER_SECOND), micros - MICROS_PER_SECOND);
            }
            return Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), micros);
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("instant " + instant + " is outside the range of a timestamp column", e);
        }
    }

    /**
     * Converts epoch microseconds to an instant.
     *
     * @param micros microseconds since the epoch
     * @return the instant
     */
    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    @Override
    public DataType type() {
        return DataType.TIMESTAMP;
    }

    /**
     * Returns a row's value as an instant.
     *
     * @param row a 0-based row index
     * @return the instant, or {@code null} for a null row
     * @throws IndexOutOfBoundsException if the row is outside the column
     */
    public Instant getInstant(int row) {
        return isNull(row) ? null : toInstant(data[offset + row]);
    }

    /**
     * Returns a row's value in epoch microseconds.
     *
     * @param row a 0-based row index
     * @return microseconds since the epoch
     * @throws IndexOutOfBoundsException if the row is outside the column
     * @throws IllegalStateException if the row is null
     */
    public long getMicros(int row) {
        if (isNull(row)) {
            throw new IllegalStateException("row " + row + " of a timestamp column is null");
        }
        return data[offset + row];
    }

    /**
     * Returns a read-only view of the epoch microseconds without copying them. Positions of null rows hold
     * unspecified values; consult {@link #isNull(int)}.
     *
     * @return a read-only buffer of {@link #size()} values
     */
    public LongBuffer micros() {
        return LongBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    @Override
    public TimestampColumn slice(int from, int to) {
        checkRange(from, to);
        return new TimestampColumn(data, offset + from, to - from, nulls);
    }

    @Override
    Object boxed(int absoluteIndex) {
        return toInstant(data[absoluteIndex]);
    }

    @Override
    TimestampColumn take(int[] rows) {
        long[] taken = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            taken[i] = data[offset + Objects.checkIndex(rows[i], length)];
        }
        return new TimestampColumn(taken, 0, rows.length, takeNulls(rows));
    }

    @Override
    int compareRows(int a, int b) {
        return Long.compare(data[offset + a], data[offset + b]);
    }

    @Override
    boolean sameValue(int row, Column other, int otherRow) {
        TimestampColumn o = (TimestampColumn) other;
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

    /** Accumulates a timestamp column. Not thread-safe. */
    public static final class Builder extends Column.Builder {
        private long[] values;

        Builder(int expectedRows) {
            values = new long[Math.max(0, expectedRows)];
        }

        @Override
        public DataType type() {
            return DataType.TIMESTAMP;
        }

        @Override
        public Builder addNull() {
            appendNull();
            return this;
        }

        /**
         * Appends an instant, truncated to microseconds.
         *
         * @param value the instant
         * @return this builder
         * @throws InvalidArgumentException if the instant lies outside the range of microseconds in a long
         */
        public Builder add(Instant value) {
            return addMicros(toMicros(value));
        }

        /**
         * Appends epoch microseconds.
         *
         * @param micros microseconds since the epoch
         * @return this builder
         */
        public Builder addMicros(long micros) {
            ensure(size + 1);
            values[size++] = micros;
            return this;
        }

        @Override
        public Builder addObject(Object value) {
            if (value == null) {
                addNull();
            } else if (value instanceof Instant i) {
                add(i);
            } else if (value instanceof OffsetDateTime o) {
                add(o.toInstant());
            } else if (value instanceof ZonedDateTime z) {
                add(z.toInstant());
            } else if (value instanceof java.sql.Timestamp ts) {
                add(ts.toInstant());
            } else if (value instanceof Date d) {
                add(Instant.ofEpochMilli(d.getTime()));
            } else {
                throw wrongType(value);
            }
            return this;
        }

        @Override
        public TimestampColumn build() {
            long[] data = Arrays.copyOf(values, size);
            boolean[] n = trimmedNulls();
            if (n != null) {
                for (int i = 0; i < size; i++) {
                    if (n[i]) {
                        data[i] = 0L;
                    }
                }
            }
            return new TimestampColumn(data, 0, size, n);
        }

        @Override
        void appendColumn(Column column) {
            TimestampColumn c = (TimestampColumn) column;
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
