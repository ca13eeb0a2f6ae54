package dev.mlops.api;

import dev.mlops.api.internal.CsvCodec;
import dev.mlops.api.internal.FrameText;
import dev.mlops.api.internal.JsonLinesCodec;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An immutable columnar table: a {@link Schema} and one typed {@link Column} per field, all of the same length.
 *
 * <p>Frames are the unit of data exchanged between modules: training data, feature rows, model inputs and
 * outputs. Operations ({@link #select}, {@link #filter}, {@link #slice}, {@link #concat}, {@link #sort}) return new
 * frames and share column storage where they can. Frames are immutable and thread-safe; equality is by schema and
 * values (NaN equals NaN, {@code -0.0} differs from {@code 0.0}), and {@link #digest()} is a SHA-256 over exactly what
 * equality compares.
 *
 * <pre>{@code
 * Frame f = Frame.builder()
 *         .doubles("x", 1.5, 2.5)
 *         .strings("label", "a", null)
 *         .build();
 * Frame big = Frame.readCsv(Path.of("data.csv"));
 * }</pre>
 */
public final class Frame implements Iterable<Row> {
    private final Schema schema;
    private final List<Column> columns;
    private final int rowCount;
    private volatile String digest;
    private int hash;

    private Frame(Schema schema, List<Column> columns, int rowCount) {
        this.schema = schema;
        this.columns = columns;
        this.rowCount = rowCount;
    }

    /**
     * Creates a frame from a schema and its columns.
     *
     * @param schema the schema
     * @param columns one column per field, in schema order, all of the same length
     * @return the frame
     * @throws InvalidArgumentException if the column count, a column type or a length does not match, or a
     *     non-nullable field holds nulls; the message names the column
     */
    public static Frame of(Schema schema, List<? extends Column> columns) {
        Objects.requireNonNull(schema, "schema");
        if (columns.size() != schema.size()) {
            throw new InvalidArgumentException("schema has " + schema.size() + " fields but " + columns.size()
                    + " columns were given");
        }
        int rows = columns.isEmpty() ? 0 : columns.get(0).size();
        for (int i = 0; i < columns.size(); i++) {
            Field f = schema.field(i);
            Column c = Objects.requireNonNull(columns.get(i), () -> "column '" + f.name() + "'");
            if (c.type() != f.type()) {
                throw new InvalidArgumentException("column '" + f.name() + "' is declared " + f.type().jsonName()
                        + " but holds " + c.type().jsonName() + " values");
            }
            if (c.size() != rows) {
                throw new InvalidArgumentException("column '" + f.name() + "' has " + c.size() + " rows but column '"
                        + schema.field(0).name() + "' has " + rows);
            }
            if (!f.nullable() && c.nullCount() > 0) {
                throw new InvalidArgumentException("column '" + f.name() + "' is not nullable but holds "
                        + c.nullCount() + " nulls");
            }
        }
        return new Frame(schema, List.copyOf(columns), rows);
    }

    /**
     * Creates a frame with no rows.
     *
     * @param schema the schema
     * @return an empty frame
     */
    public static Frame empty(Schema schema) {
        List<Column> cols = new ArrayList<>(schema.size());
        for (Field f : schema.fields()) {
            cols.add(Column.builder(f.type(), 0).build());
        }
        return of(schema, cols);
    }

    /**
     * Starts building a frame column by column.
     *
     * @return an empty column-wise builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts building a frame row by row.
     *
     * @param schema the schema every row follows
     * @return an empty row-wise builder
     */
    public static RowBuilder rowBuilder(Schema schema) {
        return new RowBuilder(schema);
    }

    /**
     * Reads a UTF-8 CSV file with a header row, inferring column types.
     *
     * @param path the file
     * @return the frame
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if the file is malformed, naming the line and column
     * @throws UnavailableException if the file cannot be read
     */
    public static Frame readCsv(Path path) {
        return readCsv(path, CsvOptions.defaults());
    }

    /**
     * Reads a UTF-8 CSV file with a header row.
     *
     * @param path the file
     * @param options delimiter and, optionally, an explicit schema
     * @return the frame
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if the file is malformed, naming the line and column
     * @throws UnavailableException if the file cannot be read
     */
    public static Frame readCsv(Path path, CsvOptions options) {
        return CsvCodec.read(path, options);
    }

    /**
     * Reads CSV with a header row from a reader, which the caller closes.
     *
     * @param reader the text
     * @param options delimiter and, optionally, an explicit schema
     * @return the frame
     * @throws DataFormatException if the text is malformed, naming the line and column
     * @throws UnavailableException if the reader fails
     */
    public static Frame readCsv(Reader reader, CsvOptions options) {
        return CsvCodec.read(reader, options);
    }

    /**
     * Writes this frame as a UTF-8 CSV file with a header row, replacing the file atomically where the file system
     * allows.
     *
     * @param path the file
     * @throws UnavailableException if the file cannot be written
     */
    public void writeCsv(Path path) {
        writeCsv(path, CsvOptions.defaults());
    }

    /**
     * Writes this frame as a UTF-8 CSV file with a header row, replacing the file atomically where the file system
     * allows.
     *
     * @param path the file
     * @param options the delimiter (a schema in the options is ignored)
     * @throws UnavailableException if the file cannot be written
     */
    public void writeCsv(Path path, CsvOptions options) {
        CsvCodec.write(this, path, options);
    }

    /**
     * Writes this frame as CSV with a header row to a writer, which the caller closes.
     *
     * @param writer the destination
     * @param options the delimiter (a schema in the options is ignored)
     * @throws UnavailableException if the writer fails
     */
    public void writeCsv(Writer writer, CsvOptions options) {
        CsvCodec.write(this, writer, options);
    }

    /**
     * Reads a UTF-8 JSON-lines file (one JSON object per line), inferring column types. Columns appear in the order
     * their keys are first seen; a key missing from a line is null there.
     *
     * @param path the file
     * @return the frame
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if a line is malformed, naming the line and column
     * @throws UnavailableException if the file cannot be read
     */
    public static Frame readJsonLines(Path path) {
        return JsonLinesCodec.read(path, null);
    }

    /**
     * Reads a UTF-8 JSON-lines file with an explicit schema; a key the schema does not name is an error.
     *
     * @param path the file
     * @param schema the schema
     * @return the frame
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if a line is malformed, naming the line and column
     * @throws UnavailableException if the file cannot be read
     */
    public static Frame readJsonLines(Path path, Schema schema) {
        return JsonLinesCodec.read(path, Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Reads JSON lines from a reader, which the caller closes.
     *
     * @param reader the text
     * @param schema the schema, or {@code null} to infer types
     * @return the frame
     * @throws DataFormatException if a line is malformed, naming the line and column
     * @throws UnavailableException if the reader fails
     */
    public static Frame readJsonLines(Reader reader, Schema schema) {
        return JsonLinesCodec.read(reader, schema, "reader");
    }

    /**
     * Writes this frame as UTF-8 JSON lines: one object per row with every column (nulls as JSON null), doubles that
     * JSON cannot express as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, timestamps as
     * ISO-8601 instants.
     *
     * @param path the file
     * @throws UnavailableException if the file cannot be written
     */
    public void writeJsonLines(Path path) {
        JsonLinesCodec.write(this, path);
    }

    /**
     * Writes this frame as JSON lines to a writer, which the caller closes.
     *
     * @param writer the destination
     * @throws UnavailableException if the writer fails
     */
    public void writeJsonLines(Writer writer) {
        JsonLinesCodec.write(this, writer);
    }

    /**
     * Returns the schema.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    public int rowCount() {
        return rowCount;
    }

    /**
     * Returns the number of columns.
     *
     * @return the column count
     */
    public int columnCount() {
        return columns.size();
    }

    /**
     * Returns the columns in schema order.
     *
     * @return an unmodifiable list
     */
    public List<Column> columns() {
        return columns;
    }

    /**
     * Returns a column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column, listing the columns there are
     */
    public Column column(String name) {
        return columns.get(schema.indexOf(name));
    }

    /**
     * Returns a column by position.
     *
     * @param position the 0-based position
     * @return the column
     * @throws IndexOutOfBoundsException if the position is outside the schema
     */
    public Column column(int position) {
        return columns.get(position);
    }

    /**
     * Returns a double column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column
     * @throws InvalidArgumentException if the column is not a double column
     */
    public DoubleColumn doubleColumn(String name) {
        return typed(name, DoubleColumn.class, DataType.DOUBLE);
    }

    /**
     * Returns a long column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column
     * @throws InvalidArgumentException if the column is not a long column
     */
    public LongColumn longColumn(String name) {
        return typed(name, LongColumn.class, DataType.LONG);
    }

    /**
     * Returns a boolean column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column
     * @throws InvalidArgumentException if the column is not a boolean column
     */
    public BooleanColumn booleanColumn(String name) {
        return typed(name, BooleanColumn.class, DataType.BOOLEAN);
    }

    /**
     * Returns a string column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column
     * @throws InvalidArgumentException if the column is not a string column
     */
    public StringColumn stringColumn(String name) {
        return typed(name, StringColumn.class, DataType.STRING);
    }

    /**
     * Returns a timestamp column by name.
     *
     * @param name the column name
     * @return the column
     * @throws NotFoundException if there is no such column
     * @throws InvalidArgumentException if the column is not a timestamp column
     */
    public TimestampColumn timestampColumn(String name) {
        return typed(name, TimestampColumn.class, DataType.TIMESTAMP);
    }

    private <C extends Column> C typed(String name, Class<C> type, DataType dataType) {
        Column c = column(name);
        if (!type.isInstance(c)) {
            throw new InvalidArgumentException("column '" + name + "' is " + c.type().jsonName() + ", not "
                    + dataType.jsonName());
        }
        return type.cast(c);
    }

    /**
     * Returns a view of one row.
     *
     * @param index the 0-based row index
     * @return the row
     * @throws IndexOutOfBoundsException if the index is outside the frame
     */
    public Row row(int index) {
        return new Row(this, index);
    }

    /**
     * Iterates over the rows in order.
     *
     * @return an iterator of row views
     */
    @Override
    public Iterator<Row> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rowCount;
            }

            @Override
            public Row next() {
                if (next >= rowCount) {
                    throw new NoSuchElementException();
                }
                return new Row(Frame.this, next++);
            }
        };
    }

    /**
     * Streams the rows in order.
     *
     * @return a sequential stream of row views
     */
    public Stream<Row> rows() {
        return IntStream.range(0, rowCount).mapToObj(i -> new Row(this, i));
    }

    /**
     * Returns the named columns in the order given.
     *
     * @param names column names
     * @return a frame sharing this frame's columns
     * @throws NotFoundException if a name is unknown
     * @throws InvalidArgumentException if a name is repeated
     */
    public Frame select(String... names) {
        return select(Arrays.asList(names));
    }

    /**
     * Returns the named columns in the order given.
     *
     * @param names column names
     * @return a frame sharing this frame's columns
     * @throws NotFoundException if a name is unknown
     * @throws InvalidArgumentException if a name is repeated
     */
    public Frame select(List<String> names) {
        Schema selected = schema.select(names);
        List<Column> cols = new ArrayList<>(names.size());
        for (String n : names) {
            cols.add(column(n));
        }
        return new Frame(selected, List.copyOf(cols), rowCount);
    }

    /**
     * Returns this frame without the named columns.
     *
     * @param names column names to drop
     * @return a frame sharing this frame's remaining columns
     * @throws NotFoundException if a name is unknown
     */
    public Frame drop(String... names) {
        Set<String> dropped = new HashSet<>();
        for (String n : names) {
            schema.indexOf(n);
            dropped.add(n);
        }
        return select(schema.names().stream().filter(n -> !dropped.contains(n)).toList());
    }

    /**
     * Returns this frame with a column added at the end, or replaced in place when the name exists.
     *
     * @param field the column's name, type and nullability
     * @param column the values
     * @return the new frame
     * @throws InvalidArgumentException if the column's type or length does not fit
     */
    public Frame withColumn(Field field, Column column) {
        List<Field> fields = new ArrayList<>(schema.fields());
        List<Column> cols = new ArrayList<>(columns);
        int at = schema.contains(field.name()) ? schema.indexOf(field.name()) : -1;
        if (at >= 0) {
            fields.set(at, field);
            cols.set(at, column);
        } else {
            fields.add(field);
            cols.add(column);
        }
        return of(Schema.of(fields), cols);
    }

    /**
     * Returns this frame with a nullable column added at the end, or replaced in place when the name exists.
     *
     * @param name the column name
     * @param column the values
     * @return the new frame
     * @throws InvalidArgumentException if the column's length does not fit
     */
    public Frame withColumn(String name, Column column) {
        return withColumn(Field.of(name, column.type()), column);
    }

    /**
     * Returns this frame with a column renamed.
     *
     * @param from the current name
     * @param to the new name
     * @return the new frame
     * @throws NotFoundException if {@code from} is unknown
     * @throws InvalidArgumentException if {@code to} is taken by another column
     */
    public Frame rename(String from, String to) {
        int at = schema.indexOf(from);
        List<Field> fields = new ArrayList<>(schema.fields());
        fields.set(at, fields.get(at).withName(to));
        return new Frame(Schema.of(fields), columns, rowCount);
    }

    /**
     * Returns the rows for which a predicate holds, in order.
     *
     * @param predicate a test of a row view; it must not keep the view after returning
     * @return the matching rows
     */
    public Frame filter(Predicate<Row> predicate) {
        int[] keep = IntStream.range(0, rowCount).filter(i -> predicate.test(new Row(this, i))).toArray();
        return take(keep);
    }

    /**
     * Returns the rows {@code [from, to)}, sharing this frame's column storage.
     *
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return the slice
     * @throws IndexOutOfBoundsException if the range is outside the frame
     */
    public Frame slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rowCount);
        List<Column> cols = new ArrayList<>(columns.size());
        for (Column c : columns) {
            cols.add(c.slice(from, to));
        }
        return new Frame(schema, List.copyOf(cols), to - from);
    }

    /**
     * Returns the first rows.
     *
     * @param n the number of rows wanted; fewer are returned when the frame is shorter
     * @return the leading rows
     */
    public Frame head(int n) {
        return slice(0, Math.max(0, Math.min(n, rowCount)));
    }

    /**
     * Returns the rows at the given indices, in that order (indices may repeat).
     *
     * @param rows 0-based row indices
     * @return the gathered rows
     * @throws IndexOutOfBoundsException if an index is outside the frame
     */
    public Frame take(int[] rows) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (Column c : columns) {
            cols.add(c.take(rows));
        }
        if (columns.isEmpty()) {
            for (int r : rows) {
                Objects.checkIndex(r, rowCount);
            }
        }
        return new Frame(schema, List.copyOf(cols), rows.length);
    }

    /**
     * Appends the rows of other frames below this one's.
     *
     * @param others frames with the same column names and types, in the same order
     * @return the combined frame
     * @throws InvalidArgumentException if a schema differs, naming the first difference
     */
    public Frame concat(Frame... others) {
        List<Frame> all = new ArrayList<>(others.length + 1);
        all.add(this);
        all.addAll(Arrays.asList(others));
        return concat(all);
    }

    /**
     * Stacks frames vertically.
     *
     * @param frames at least one frame; all with the same column names and types, in the same order
     * @return the combined frame; a column is nullable when it is nullable in any input
     * @throws InvalidArgumentException if there are no frames or a schema differs, naming the first difference
     */
    public static Frame concat(List<Frame> frames) {
        if (frames.isEmpty()) {
            throw new InvalidArgumentException("concat needs at least one frame");
        }
        Frame first = frames.get(0);
        List<Field> fields = new ArrayList<>(first.schema.fields());
        long total = 0;
        for (int k = 0; k < frames.size(); k++) {
            Frame f = frames.get(k);
            if (f.columnCount() != first.columnCount()) {
                throw new InvalidArgumentException("frame " + k + " has " + f.columnCount() + " columns "
                        + f.schema.names() + " but frame 0 has " + first.columnCount() + " " + first.schema.names());
            }
            for (int c = 0; c < fields.size(); c++) {
                Field a = fields.get(c);
                Field b = f.schema.field(c);
                if (!a.name().equals(b.name()) || a.type() != b.type()) {
                    throw new InvalidArgumentException("frame " + k + " has column " + c + " '" + b.name() + "' of type "
                            + b.type().jsonName() + " where frame 0 has '" + a.name() + "' of type " + a.type().jsonName());
                }
                if (b.nullable() && !a.nullable()) {
                    fields.set(c, b);
                }
            }
            total += f.rowCount;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("concat would hold " + total + " rows, more than a frame can");
        }
        List<Column> cols = new ArrayList<>(fields.size());
        for (int c = 0; c < fields.size(); c++) {
            Column.Builder b = Column.builder(fields.get(c).type(), (int) total);
            for (Frame f : frames) {
                b.appendColumn(f.columns.get(c));
            }
            cols.add(b.build());
        }
        return of(Schema.of(fields), cols);
    }

    /**
     * Sorts the rows by one or more keys. The sort is stable; nulls sort last in either direction.
     *
     * @param keys the keys, most significant first
     * @return the sorted frame
     * @throws NotFoundException if a key names an unknown column
     */
    public Frame sort(SortKey... keys) {
        if (keys.length == 0) {
            return this;
        }
        Comparator<Integer> order = null;
        for (SortKey key : keys) {
            Column c = column(key.column());
            Comparator<Integer> values = (a, b) -> c.compareRows(a, b);
            Comparator<Integer> directed = key.ascending() ? values : values.reversed();
            Comparator<Integer> cmp = (a, b) -> {
                boolean na = c.isNull(a);
                boolean nb = c.isNull(b);
                if (na || nb) {
                    return na == nb ? 0 : na ? 1 : -1;
                }
                return directed.compare(a, b);
            };
            order = order == null ? cmp : order.thenComparing(cmp);
        }
        Integer[] idx = new Integer[rowCount];
        for (int i = 0; i < rowCount; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, order);
        return take(Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
    }

    /**
     * Sorts the rows by columns in ascending order.
     *
     * @param columnNames the columns, most significant first
     * @return the sorted frame
     * @throws NotFoundException if a name is unknown
     */
    public Frame sortBy(String... columnNames) {
        return sort(Arrays.stream(columnNames).map(SortKey::asc).toArray(SortKey[]::new));
    }

    /**
     * Summarizes every column: type, non-null count, nulls, distinct values, and for numeric columns the mean,
     * sample standard deviation, minimum and maximum over the values that are neither null nor NaN.
     *
     * @return one row per column of this frame
     */
    public Frame describe() {
        return FrameText.describe(this);
    }

    /**
     * Counts the rows per distinct value of a column, most frequent first (ties in order of first appearance).
     *
     * @param columnName the column
     * @return a frame with the columns {@code value} (as text, null for null) and {@code count}
     * @throws NotFoundException if the column is unknown
     */
    public Frame valueCounts(String columnName) {
        Column c = column(columnName);
        Map<Object, long[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < rowCount; i++) {
            counts.computeIfAbsent(c.get(i), k -> new long[1])[0]++;
        }
        List<Map.Entry<Object, long[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        StringColumn.Builder values = StringColumn.builder(entries.size());
        LongColumn.Builder n = LongColumn.builder(entries.size());
        for (Map.Entry<Object, long[]> e : entries) {
            values.add(e.getKey() == null ? null : String.valueOf(e.getKey()));
            n.add(e.getValue()[0]);
        }
        return of(Schema.of(Field.of("value", DataType.STRING), Field.required("count", DataType.LONG)),
                List.of(values.build(), n.build()));
    }

    /**
     * Returns a SHA-256 digest, in lower-case hex, of the schema and every value. Equal frames have equal digests;
     * any difference in a name, a type, nullability, a null or a value changes it. It identifies a dataset in
     * lineage records.
     *
     * @return 64 hex characters
     */
    public String digest() {
        String d = digest;
        if (d == null) {
            DigestWriter out = new DigestWriter();
            out.writeString("mlops-frame/v1");
            out.writeInt(schema.size());
            for (Field f : schema.fields()) {
                out.writeString(f.name());
                out.writeString(f.type().jsonName());
                out.writeByte(f.nullable() ? 1 : 0);
            }
            out.writeInt(rowCount);
            for (Column c : columns) {
                for (int r = 0; r < rowCount; r++) {
                    if (c.isNull(r)) {
                        out.writeByte(0);
                    } else {
                        out.writeByte(1);
                        c.digestValue(r, out);
                    }
                }
            }
            d = out.hex();
            digest = d;
        }
        return d;
    }

    /**
     * Renders the first rows as a text table, for notebooks and logs.
     *
     * @param maxRows the most rows to show
     * @return a multi-line table
     */
    public String format(int maxRows) {
        return FrameText.format(this, maxRows);
    }

    @Override
    public String toString() {
        return format(10);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Frame f && f.rowCount == rowCount && f.schema.equals(schema) && f.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = schema.hashCode() * 31 + columns.hashCode();
            hash = h;
        }
        return h;
    }

    /**
     * Builds a frame column by column. Not thread-safe.
     */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();
        private final List<Column> cols = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder() {
        }

        /**
         * Adds a nullable column.
         *
         * @param name the column name
         * @param column the values
         * @return this builder
         * @throws InvalidArgumentException if the name was already added
         */
        public Builder column(String name, Column column) {
            return column(Field.of(name, column.type()), column);
        }

        /**
         * Adds a column with an explicit field (for instance a non-nullable one).
         *
         * @param field the name, type and nullability
         * @param column the values
         * @return this builder
         * @throws InvalidArgumentException if the name was already added
         */
        public Builder column(Field field, Column column) {
            Objects.requireNonNull(column, "column");
            if (!names.add(field.name())) {
                throw new InvalidArgumentException("column '" + field.name() + "' was already added");
            }
            fields.add(field);
            cols.add(column);
            return this;
        }

        /**
         * Adds a double column without nulls.
         *
         * @param name the column name
         * @param values the values
         * @return this builder
         */
        public Builder doubles(String name, double... values) {
            return column(name, DoubleColumn.of(values));
        }

        /**
         * Adds a long column without nulls.
         *
         * @param name the column name
         * @param values the values
         * @return this builder
         */
        public Builder longs(String name, long... values) {
            return column(name, LongColumn.of(values));
        }

        /**
         * Adds a boolean column without nulls.
         *
         * @param name the column name
         * @param values the values
         * @return this builder
         */
        public Builder booleans(String name, boolean... values) {
            return column(name, BooleanColumn.of(values));
        }

        /**
         * Adds a string column; {@code null} elements are null rows.
         *
         * @param name the column name
         * @param values the values
         * @return this builder
         */
        public Builder strings(String name, String... values) {
            return column(name, StringColumn.of(values));
        }

        /**
         * Adds a timestamp column; {@code null} elements are null rows.
         *
         * @param name the column name
         * @param values the instants
         * @return this builder
         */
        public Builder timestamps(String name, Instant... values) {
            return column(name, TimestampColumn.of(values));
        }

        /**
         * Builds the frame.
         *
         * @return the frame
         * @throws InvalidArgumentException if the columns differ in length, naming them
         */
        public Frame build() {
            return of(Schema.of(fields), cols);
        }
    }

    /**
     * Builds a frame row by row against a schema. Not thread-safe.
     */
    public static final class RowBuilder {
        private final Schema schema;
        private final Column.Builder[] builders;
        private int rows;

        private RowBuilder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            this.builders = new Column.Builder[schema.size()];
            for (int i = 0; i < builders.length; i++) {
                builders[i] = Column.builder(schema.field(i).type(), 16);
            }
        }

        /**
         * Appends a row given as values in schema order.
         *
         * @param values one value per field ({@code null} for null)
         * @return this builder
         * @throws InvalidArgumentException if the count is wrong, a value has the wrong type, or a non-nullable field
         *     gets null; the message names the row and column
         */
        public RowBuilder row(Object... values) {
            if (values.length != builders.length) {
                throw new InvalidArgumentException("row " + rows + " has " + values.length + " values but the schema has "
                        + builders.length + " fields " + schema.names());
            }
            for (int i = 0; i < values.length; i++) {
                Field f = schema.field(i);
                try {
                    if (values[i] == null && !f.nullable()) {
                        throw new InvalidArgumentException("null in a column that is not nullable");
                    }
                    builders[i].addObject(values[i]);
                } catch (InvalidArgumentException e) {
                    // Roll back the columns already extended, so a rejected row leaves the builder as it was.
                    for (int j = 0; j < i; j++) {
                        builders[j].truncate(rows);
                    }
                    throw new InvalidArgumentException("row " + rows + ", column '" + f.name() + "': " + e.getMessage(), e);
                }
            }
            rows++;
            return this;
        }

        /**
         * Appends a row given as a map from column name to value; absent columns are null.
         *
         * @param values the values by column name
         * @return this builder
         * @throws InvalidArgumentException if a key is not a column, a value has the wrong type, or a non-nullable
         *     field gets null; the message names the row and column
         */
        public RowBuilder row(Map<String, ?> values) {
            for (String key : values.keySet()) {
                if (!schema.contains(key)) {
                    throw new InvalidArgumentException("row " + rows + " has unknown column '" + key + "'; columns are "
                            + schema.abbreviatedNames());
                }
            }
            Object[] ordered = new Object[builders.length];
            for (int i = 0; i < ordered.length; i++) {
                ordered[i] = values.get(schema.field(i).name());
            }
            return row(ordered);
        }

        /**
         * Returns the number of rows appended so far.
         *
         * @return the row count
         */
        public int size() {
            return rows;
        }

        /**
         * Builds the frame.
         *
         * @return the frame
         */
        public Frame build() {
            List<Column> cols = new ArrayList<>(builders.length);
            for (Column.Builder b : builders) {
                cols.add(b.build());
            }
            return of(schema, cols);
        }
    }
}
