package dev.mlops.monitoring;

import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Row;
import dev.mlops.api.Schema;
import dev.mlops.monitoring.internal.ColumnAccumulator;
import dev.mlops.monitoring.internal.ColumnSketch;
import dev.mlops.monitoring.internal.Comoments;
import dev.mlops.monitoring.internal.SketchConfig;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accumulates a {@link DatasetProfile} from rows as they come: one row at a time (from a stream or a service's
 * request path) or a frame at a time. {@link #snapshot()} returns the profile so far and leaves the recorder usable.
 * Memory stays bounded by the sketch sizes, whatever the number of rows.
 *
 * <p>Thread-safe: methods synchronize on the recorder. For the highest throughput give each thread its own recorder
 * and {@link DatasetProfile#merge merge} the snapshots.
 */
public final class ProfileRecorder {
    private final Schema schema;
    private final SketchConfig config;
    private final ColumnAccumulator[] columns;
    private final int[] numericPositions;
    private final Comoments correlations;
    private final double[] rowBuffer;
    private long rows;

    ProfileRecorder(Schema schema, SketchConfig config, boolean correlations, int maxCorrelationColumns) {
        this.schema = schema;
        this.config = config;
        this.columns = new ColumnAccumulator[schema.size()];
        List<String> numeric = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Field f = schema.field(i);
            columns[i] = new ColumnAccumulator(f.name(), f.type(), config);
            if (f.type() == DataType.DOUBLE || f.type() == DataType.LONG) {
                numeric.add(f.name());
                positions.add(i);
            }
        }
        boolean track = correlations && numeric.size() >= 2 && numeric.size() <= maxCorrelationColumns;
        this.correlations = track ? new Comoments(numeric) : null;
        this.numericPositions = track ? positions.stream().mapToInt(Integer::intValue).toArray() : new int[0];
        this.rowBuffer = new double[numericPositions.length];
    }

    /**
     * Returns the schema being profiled.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns the number of rows added so far.
     *
     * @return the row count
     */
    public synchronized long rowCount() {
        return rows;
    }

    /**
     * Adds every row of a frame. The frame's columns are matched by name; it may hold more columns than the schema.
     *
     * @param frame the rows
     * @return this recorder
     * @throws InvalidArgumentException if a profiled column is missing from the frame or has another type
     */
    public synchronized ProfileRecorder add(Frame frame) {
        Column[] cols = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Field f = schema.field(i);
            if (!frame.schema().contains(f.name())) {
                throw new InvalidArgumentException("the frame has no column '" + f.name() + "' to profile; it has "
                        + frame.schema().names());
            }
            Column c = frame.column(f.name());
            if (c.type() != f.type()) {
                throw new InvalidArgumentException("column '" + f.name() + "' is " + c.type().jsonName()
                        + " in the frame but " + f.type().jsonName() + " in the profile");
            }
            cols[i] = c;
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].addColumn(cols[i]);
        }
        if (correlations != null && frame.rowCount() > 0) {
            int chunk = 8192;
            double[][] data = new double[numericPositions.length][chunk];
            for (int start = 0; start < frame.rowCount(); start += chunk) {
                int len = Math.min(chunk, frame.rowCount() - start);
                for (int k = 0; k < numericPositions.length; k++) {
                    fill(cols[numericPositions[k]], start, len, data[k]);
                }
                correlations.addColumns(data, len);
            }
        }
        rows += frame.rowCount();
        return this;
    }

    private static void fill(Column c, int start, int len, double[] out) {
        if (c instanceof DoubleColumn d) {
            DoubleBuffer v = d.values();
            v.get(start, out, 0, len);
            for (int r = 0; r < len; r++) {
                double x = out[r];
                if (!Double.isFinite(x) || (d.nullCount() > 0 && d.isNull(start + r))) {
                    out[r] = Double.NaN;
                }
            }
        } else {
            LongColumn l = (LongColumn) c;
            LongBuffer v = l.values();
            for (int r = 0; r < len; r++) {
                out[r] = l.nullCount() > 0 && l.isNull(start + r) ? Double.NaN : (double) v.get(start + r);
            }
        }
    }

    /**
     * Adds one row of a frame. Its frame's columns are matched by name.
     *
     * @param row the row
     * @return this recorder
     * @throws InvalidArgumentException if a profiled column is missing or a value has the wrong type
     */
    public synchronized ProfileRecorder add(Row row) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            String name = schema.field(i).name();
            if (!row.frame().schema().contains(name)) {
                throw new InvalidArgumentException("the row has no column '" + name + "' to profile; it has "
                        + row.frame().schema().names());
            }
            values[i] = row.get(name);
        }
        addValues(values);
        return this;
    }

    /**
     * Adds one row given as a map from column name to value. A column missing from the map counts as null; keys
     * that are not profiled columns are ignored. Numbers may be any boxed primitive of the column's kind, timestamps
     * an {@link Instant}, booleans a {@link Boolean}.
     *
     * @param row the values by column name
     * @return this recorder
     * @throws InvalidArgumentException if a value has the wrong type, naming the column and the value
     */
    public synchronized ProfileRecorder add(Map<String, ?> row) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = row.get(schema.field(i).name());
        }
        addValues(values);
        return this;
    }

    private void addValues(Object[] values) {
        // Check every value first, so that a bad row leaves the profile untouched.
        for (int i = 0; i < columns.length; i++) {
            checkType(schema.field(i), values[i]);
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].addObject(values[i]);
        }
        if (correlations != null) {
            for (int k = 0; k < numericPositions.length; k++) {
                Object v = values[numericPositions[k]];
                double x = v == null ? Double.NaN : ((Number) v).doubleValue();
                rowBuffer[k] = Double.isFinite(x) ? x : Double.NaN;
            }
            correlations.addRow(rowBuffer);
        }
        rows++;
    }

    private static void checkType(Field f, Object v) {
        if (v == null) {
            return;
        }
        boolean ok = switch (f.type()) {
            case DOUBLE -> v instanceof Number;
            case LONG -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
            case BOOLEAN -> v instanceof Boolean;
            case STRING -> v instanceof String;
            case TIMESTAMP -> v instanceof Instant || v instanceof java.time.OffsetDateTime;
        };
        if (!ok) {
            throw new InvalidArgumentException("column '" + f.name() + "' of type " + f.type().jsonName()
                    + " cannot hold " + v.getClass().getSimpleName() + " value '" + v + "'");
        }
    }

    /**
     * Returns the profile of the rows added so far; the recorder stays usable.
     *
     * @return the profile
     */
    public synchronized DatasetProfile snapshot() {
        List<ColumnSketch> sketches = new ArrayList<>(columns.length);
        for (ColumnAccumulator c : columns) {
            sketches.add(c.snapshot());
        }
        return new DatasetProfile(rows, sketches, correlations, config);
    }

    @Override
    public String toString() {
        return "ProfileRecorder[" + schema.names() + "]";
    }
}
