package dev.mlops.features.internal;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Schema;
import dev.mlops.api.StringColumn;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.UnavailableException;
import dev.mlops.features.Source;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Moves rows between frames, JDBC sources and the offline engine, streaming where it can. */
public final class Frames {
    private Frames() {
    }

    /**
     * Creates a temporary table for the given columns of a frame and appends the rows, with the hidden row number
     * first when asked.
     *
     * @param c the connection that owns the temporary table
     * @param table the table's name
     * @param frame the rows
     * @param columns the frame's columns to copy, in order
     * @param rowNumber whether to add {@link OfflineStore#ROW} (0-based row index)
     * @throws SQLException if the engine fails
     */
    public static void toTempTable(DuckDBConnection c, String table, Frame frame, List<String> columns,
            boolean rowNumber) throws SQLException {
        List<Field> fields = new ArrayList<>();
        for (String name : columns) {
            fields.add(frame.schema().field(name));
        }
        createTemp(c, table, fields, rowNumber);
        Column[] cols = new Column[columns.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = frame.column(columns.get(i));
        }
        try (DuckDBAppender a = c.createAppender("temp", "main", table)) {
            for (int r = 0; r < frame.rowCount(); r++) {
                a.beginRow();
                if (rowNumber) {
                    a.append((long) r);
                }
                for (Column col : cols) {
                    appendValue(a, col, r);
                }
                a.endRow();
            }
        }
    }

    private static void createTemp(Connection c, String table, List<Field> fields, boolean rowNumber)
            throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE ").append(Sql.id(table)).append(" (");
        String sep = "";
        if (rowNumber) {
            ddl.append(OfflineStore.ROW).append(" BIGINT");
            sep = ", ";
        }
        for (Field f : fields) {
            if (f.name().toLowerCase(java.util.Locale.ROOT).startsWith("__mlops")) {
                throw new InvalidArgumentException("column name '" + f.name() + "' is reserved");
            }
            ddl.append(sep).append(Sql.id(f.name())).append(' ').append(Sql.type(f.type()));
            sep = ", ";
        }
        try {
            OfflineStore.exec(c, ddl.append(')').toString());
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Duplicate") || String.valueOf(e.getMessage()).contains("duplicate")) {
                throw new InvalidArgumentException("columns " + fields + " hold two names that differ only in case; "
                        + "the offline engine cannot tell them apart", e);
            }
            throw e;
        }
    }

    private static void appendValue(DuckDBAppender a, Column col, int r) throws SQLException {
        if (col.isNull(r)) {
            a.appendNull();
            return;
        }
        switch (col.type()) {
            case DOUBLE -> a.append(((DoubleColumn) col).getDouble(r));
            case LONG -> a.append(((LongColumn) col).getLong(r));
            case BOOLEAN -> a.append(((BooleanColumn) col).getBoolean(r));
            case STRING -> a.append(((StringColumn) col).getString(r));
            case TIMESTAMP -> a.appendEpochMicros(((TimestampColumn) col).getMicros(r));
            default -> throw new IllegalStateException("unknown type " + col.type());
        }
    }

    /**
     * Streams the rows of a JDBC query into a temporary table, with the hidden row number first.
     *
     * @param c the connection that owns the temporary table
     * @param table the table's name
     * @param source the query
     * @param fetchSize how many rows the driver fetches at a time
     * @return the number of rows copied
     * @throws InvalidArgumentException if a column has a type without a counterpart, naming the column
     * @throws UnavailableException if the source database fails
     * @throws SQLException if the offline engine fails
     */
    public static long jdbcToTempTable(DuckDBConnection c, String table, Source.Jdbc source, int fetchSize)
            throws SQLException {
        Connection in;
        try {
            in = source.url() != null ? DriverManager.getConnection(source.url()) : source.dataSource().getConnection();
        } catch (SQLException e) {
            throw new UnavailableException(source.describe() + " cannot be reached: " + e.getMessage(), e);
        }
        try (in) {
            try {
                // Drivers such as PostgreSQL's stream a result only inside a transaction.
                in.setAutoCommit(false);
            } catch (SQLException ignored) {
                // a driver without transactions streams as it can
            }
            try (Statement s = in.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                    ResultSet rs = sourceQuery(s, source, fetchSize)) {
                List<Field> fields = new ArrayList<>();
                Object[] row;
                try {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        fields.add(Field.of(md.getColumnLabel(i), jdbcType(source, md, i)));
                    }
                    row = new Object[fields.size()];
                } catch (SQLException e) {
                    throw new UnavailableException(source.describe() + " failed: " + e.getMessage(), e);
                }
                createTemp(c, table, fields, true);
                long rows = 0;
                try (DuckDBAppender a = c.createAppender("temp", "main", table)) {
                    while (next(rs, row, fields, source)) {
                        a.beginRow();
                        a.append(rows);
                        for (int i = 0; i < row.length; i++) {
                            appendObject(a, row[i], fields.get(i).type());
                        }
                        a.endRow();
                        rows++;
                    }
                }
                return rows;
            } finally {
                try {
                    in.rollback();
                } catch (SQLException ignored) {
                    // read-only work; the connection is closed next
                }
            }
        }
    }

    private static ResultSet sourceQuery(Statement s, Source.Jdbc source, int fetchSize) {
        try {
            s.setFetchSize(fetchSize);
            return s.executeQuery(source.query());
        } catch (SQLException e) {
            throw new UnavailableException(source.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /** Reads the next source row into {@code row}; false at the end. Source failures become unavailability. */
    private static boolean next(ResultSet rs, Object[] row, List<Field> fields, Source.Jdbc source) {
        try {
            if (!rs.next()) {
                return false;
            }
            for (int i = 0; i < row.length; i++) {
                row[i] = jdbcValue(rs, i + 1, fields.get(i).type());
            }
            return true;
        } catch (SQLException e) {
            throw new UnavailableException(source.describe() + " failed: " + e.getMessage(), e);
        }
    }

    private static DataType jdbcType(Source.Jdbc source, ResultSetMetaData md, int i) throws SQLException {
        int t = md.getColumnType(i);
        return switch (t) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> DataType.LONG;
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.DECIMAL, Types.NUMERIC -> DataType.DOUBLE;
            case Types.BOOLEAN, Types.BIT -> DataType.BOOLEAN;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB -> DataType.STRING;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> DataType.TIMESTAMP;
            default -> throw new InvalidArgumentException("column '" + md.getColumnLabel(i) + "' of "
                    + source.describe() + " has type " + typeName(t) + " (" + md.getColumnTypeName(i)
                    + "), which has no counterpart; cast it in the query");
        };
    }

    private static String typeName(int t) {
        try {
            return JDBCType.valueOf(t).getName();
        } catch (IllegalArgumentException e) {
            return Integer.toString(t);
        }
    }

    private static Object jdbcValue(ResultSet rs, int i, DataType type) throws SQLException {
        Object v = switch (type) {
            case LONG -> rs.getLong(i);
            case DOUBLE -> rs.getDouble(i);
            case BOOLEAN -> rs.getBoolean(i);
            case STRING -> rs.getString(i);
            case TIMESTAMP -> jdbcMicros(rs, i);
        };
        return rs.wasNull() && type != DataType.TIMESTAMP ? null : v;
    }

    private static void appendObject(DuckDBAppender a, Object v, DataType type) throws SQLException {
        if (v == null) {
            a.appendNull();
            return;
        }
        switch (type) {
            case LONG -> a.append((long) (Long) v);
            case DOUBLE -> a.append((double) (Double) v);
            case BOOLEAN -> a.append((boolean) (Boolean) v);
            case STRING -> a.append((String) v);
            case TIMESTAMP -> a.appendEpochMicros((Long) v);
            default -> throw new IllegalStateException("unknown type " + type);
        }
    }

    private static Long jdbcMicros(ResultSet rs, int i) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime odt) {
            return TimestampColumn.toMicros(odt.toInstant());
        }
        if (v instanceof LocalDateTime ldt) {
            return TimestampColumn.toMicros(ldt.toInstant(ZoneOffset.UTC));
        }
        if (v instanceof LocalDate ld) {
            return TimestampColumn.toMicros(ld.atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        if (v instanceof Timestamp ts) {
            // A timestamp without zone is read as UTC, as everywhere in this library.
            return TimestampColumn.toMicros(ts.toLocalDateTime().toInstant(ZoneOffset.UTC));
        }
        if (v instanceof java.sql.Date d) {
            return TimestampColumn.toMicros(d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        if (v instanceof Number n) {
            return n.longValue() * 1000L; // epoch milliseconds, as drivers without a date type report them
        }
        try {
            return TimestampColumn.toMicros(OffsetDateTime.parse(v.toString()).toInstant());
        } catch (RuntimeException e) {
            try {
                return TimestampColumn.toMicros(LocalDateTime.parse(v.toString().replace(' ', 'T'))
                        .toInstant(ZoneOffset.UTC));
            } catch (RuntimeException e2) {
                throw new InvalidArgumentException("column " + i + " holds '" + v + "', which is not a timestamp", e2);
            }
        }
    }

    /**
     * Returns the select expression that reads a column as the given data type: timestamps as epoch microseconds.
     *
     * @param expression the column expression
     * @param type the data type
     * @return the select expression
     */
    public static String fetchExpression(String expression, DataType type) {
        return switch (type) {
            case TIMESTAMP -> "epoch_us(CAST(" + expression + " AS TIMESTAMP))";
            case DOUBLE -> "CAST(" + expression + " AS DOUBLE)";
            case LONG -> "CAST(" + expression + " AS BIGINT)";
            case BOOLEAN -> "CAST(" + expression + " AS BOOLEAN)";
            case STRING -> "CAST(" + expression + " AS VARCHAR)";
        };
    }

    /** Reads typed result columns into column builders, row after row. Not thread-safe. */
    public static final class Collector {
        private final List<Field> fields;
        private final int firstColumn;
        private final int capacity;
        private Column.Builder[] builders;

        /**
         * Creates a collector.
         *
         * @param fields the output fields, read from consecutive result columns
         * @param firstColumn the 1-based result column of the first field
         * @param expectedRows a capacity hint
         */
        public Collector(List<Field> fields, int firstColumn, int expectedRows) {
            this.fields = List.copyOf(fields);
            this.firstColumn = firstColumn;
            this.capacity = expectedRows;
            reset();
        }

        private void reset() {
            builders = new Column.Builder[fields.size()];
            for (int i = 0; i < builders.length; i++) {
                builders[i] = Column.builder(fields.get(i).type(), capacity);
            }
        }

        /**
         * Appends the current result row.
         *
         * @param rs the result, positioned on a row
         * @throws SQLException if the driver fails
         */
        public void add(ResultSet rs) throws SQLException {
            for (int i = 0; i < builders.length; i++) {
                read(rs, firstColumn + i, fields.get(i).type(), builders[i]);
            }
        }

        /**
         * Returns the rows collected so far.
         *
         * @return the count
         */
        public int size() {
            return builders.length == 0 ? 0 : builders[0].size();
        }

        /**
         * Returns the columns collected so far and starts afresh.
         *
         * @return the columns, in field order
         */
        public List<Column> drain() {
            List<Column> cols = new ArrayList<>(builders.length);
            for (Column.Builder b : builders) {
                cols.add(b.build());
            }
            reset();
            return cols;
        }

        /**
         * Returns the frame collected so far and starts afresh.
         *
         * @return the frame
         */
        public Frame drainFrame() {
            return Frame.of(Schema.of(fields), drain());
        }
    }

    /**
     * Reads one typed value into a builder.
     *
     * @param rs the result
     * @param column the 1-based column
     * @param type the type
     * @param b the builder
     * @throws SQLException if the driver fails
     */
    public static void read(ResultSet rs, int column, DataType type, Column.Builder b) throws SQLException {
        switch (type) {
            case DOUBLE -> {
                double v = rs.getDouble(column);
                if (rs.wasNull()) {
                    b.addNull();
                } else {
                    ((DoubleColumn.Builder) b).add(v);
                }
            }
            case LONG -> {
                long v = rs.getLong(column);
                if (rs.wasNull()) {
                    b.addNull();
                } else {
                    ((LongColumn.Builder) b).add(v);
                }
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(column);
                if (rs.wasNull()) {
                    b.addNull();
                } else {
                    ((BooleanColumn.Builder) b).add(v);
                }
            }
            case STRING -> {
                String v = rs.getString(column);
                if (v == null) {
                    b.addNull();
                } else {
                    ((StringColumn.Builder) b).add(v);
                }
            }
            case TIMESTAMP -> {
                long v = rs.getLong(column);
                if (rs.wasNull()) {
                    b.addNull();
                } else {
                    ((TimestampColumn.Builder) b).addMicros(v);
                }
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
    }
}
