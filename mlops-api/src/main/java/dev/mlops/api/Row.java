package dev.mlops.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A view of one row of a {@link Frame}. Rows are cheap to create and as immutable as their frame.
 */
public final class Row {
    private final Frame frame;
    private final int index;

    Row(Frame frame, int index) {
        this.frame = frame;
        this.index = Objects.checkIndex(index, frame.rowCount());
    }

    /**
     * Returns the frame this row belongs to.
     *
     * @return the frame
     */
    public Frame frame() {
        return frame;
    }

    /**
     * Returns the row's 0-based index in its frame.
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * Returns a value boxed ({@link Double}, {@link Long}, {@link Boolean}, {@link String} or {@link Instant}).
     *
     * @param column the column name
     * @return the value, or {@code null}
     * @throws NotFoundException if the column is unknown
     */
    public Object get(String column) {
        return frame.column(column).get(index);
    }

    /**
     * Returns a value boxed.
     *
     * @param position the 0-based column position
     * @return the value, or {@code null}
     * @throws IndexOutOfBoundsException if the position is outside the schema
     */
    public Object get(int position) {
        return frame.column(position).get(index);
    }

    /**
     * Tells whether a value is null.
     *
     * @param column the column name
     * @return true if null
     * @throws NotFoundException if the column is unknown
     */
    public boolean isNull(String column) {
        return frame.column(column).isNull(index);
    }

    /**
     * Returns a numeric value as a double; long columns are widened.
     *
     * @param column the column name
     * @return the value
     * @throws NotFoundException if the column is unknown
     * @throws InvalidArgumentException if the column is not numeric
     * @throws IllegalStateException if the value is null
     */
    public double getDouble(String column) {
        Column c = frame.column(column);
        if (c instanceof DoubleColumn d) {
            return d.getDouble(index);
        }
        if (c instanceof LongColumn l) {
            return l.getLong(index);
        }
        throw wrongType(column, c, DataType.DOUBLE);
    }

    /**
     * Returns a long value.
     *
     * @param column the column name
     * @return the value
     * @throws NotFoundException if the column is unknown
     * @throws InvalidArgumentException if the column is not a long column
     * @throws IllegalStateException if the value is null
     */
    public long getLong(String column) {
        if (frame.column(column) instanceof LongColumn l) {
            return l.getLong(index);
        }
        throw wrongType(column, frame.column(column), DataType.LONG);
    }

    /**
     * Returns a boolean value.
     *
     * @param column the column name
     * @return the value
     * @throws NotFoundException if the column is unknown
     * @throws InvalidArgumentException if the column is not a boolean column
     * @throws IllegalStateException if the value is null
     */
    public boolean getBoolean(String column) {
        if (frame.column(column) instanceof BooleanColumn b) {
            return b.getBoolean(index);
        }
        throw wrongType(column, frame.column(column), DataType.BOOLEAN);
    }

    /**
     * Returns a string value.
     *
     * @param column the column name
     * @return the value, or {@code null}
     * @throws NotFoundException if the column is unknown
     * @throws InvalidArgumentException if the column is not a string column
     */
    public String getString(String column) {
        if (frame.column(column) instanceof StringColumn s) {
            return s.getString(index);
        }
        throw wrongType(column, frame.column(column), DataType.STRING);
    }

    /**
     * Returns a timestamp value.
     *
     * @param column the column name
     * @return the value, or {@code null}
     * @throws NotFoundException if the column is unknown
     * @throws InvalidArgumentException if the column is not a timestamp column
     */
    public Instant getInstant(String column) {
        if (frame.column(column) instanceof TimestampColumn t) {
            return t.getInstant(index);
        }
        throw wrongType(column, frame.column(column), DataType.TIMESTAMP);
    }

    /**
     * Returns the row as an ordered map from column name to boxed value (nulls included).
     *
     * @return a new mutable map in schema order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int c = 0; c < frame.columnCount(); c++) {
            map.put(frame.schema().field(c).name(), frame.column(c).get(index));
        }
        return map;
    }

    private static InvalidArgumentException wrongType(String column, Column c, DataType wanted) {
        return new InvalidArgumentException("column '" + column + "' is " + c.type().jsonName() + ", not "
                + wanted.jsonName());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.index == index && r.frame == frame;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(frame) * 31 + index;
    }

    @Override
    public String toString() {
        return "Row " + index + " " + toMap();
    }
}
