package dev.mlops.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.CsvOptions;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Schema;
import dev.mlops.api.StringColumn;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.UnavailableException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes frames as CSV through Jackson's CSV parser and generator. An empty unquoted field is null; a
 * quoted empty field is the empty string.
 */
public final class CsvCodec {
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            // Not STRICT_CHECK_FOR_QUOTING: in Jackson 2.21 it makes the generator ignore ALWAYS_QUOTE_EMPTY_STRINGS,
            // and the empty string must be quoted to stay distinct from null.
            .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private CsvCodec() {
    }

    /** Reads a CSV file. */
    public static Frame read(Path path, CsvOptions options) {
        CsvOptions named = options.sourceName().isPresent() ? options : options.withSourceName(path.toString());
        try (Reader reader = IoSupport.openReader(path)) {
            return read(reader, named);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads CSV text from a reader the caller owns. */
    public static Frame read(Reader reader, CsvOptions options) {
        String source = options.sourceName().orElse("reader");
        CsvSchema csvSchema = CsvSchema.emptySchema().withColumnSeparator(options.delimiter());
        try (CsvParser p = FACTORY.createParser(reader)) {
            p.setSchema(csvSchema);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new DataFormatException(source, 1, null, "the input is empty; a header row is required");
            }
            // WRAP_AS_ARRAY wraps the document in an outer array holding one array per row.
            List<String> header = readHeader(p, source);
            RowSink sink = options.schema().isPresent()
                    ? new TypedSink(options.schema().get(), header, source)
                    : new InferringSink(header);
            String[] cells = new String[header.size()];
            while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
                long line = -1;
                int n = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (line < 0) {
                        line = p.currentTokenLocation().getLineNr();
                    }
                    if (n < cells.length) {
                        cells[n] = t == JsonToken.VALUE_NULL ? null : p.getText();
                    }
                    n++;
                }
                if (n != cells.length) {
                    if (n == 1 && cells.length > 1 && cells[0] == null) {
                        continue; // a blank line in a multi-column file
                    }
                    throw new DataFormatException(source, line, null, "expected " + cells.length
                            + " fields as in the header but found " + n);
                }
                sink.accept(cells, line);
            }
            return sink.build();
        } catch (CharacterCodingException | CharConversionException e) {
            throw new DataFormatException(source, 0, null, "the text is not valid UTF-8", e);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFormatException(source, line, null, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readHeader(CsvParser p, String source) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            throw new DataFormatException(source, 1, null, "the input is empty; a header row is required");
        }
        List<String> header = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String name = t == JsonToken.VALUE_NULL ? "" : p.getText();
            if (name == null) {
                name = "";
            }
            if (header.isEmpty()) {
                name = IoSupport.stripBom(name);
            }
            if (name.isEmpty()) {
                throw new DataFormatException(source, 1, null, "header field " + (header.size() + 1) + " is empty");
            }
            Integer previous = seen.put(name, header.size());
            if (previous != null) {
                throw new DataFormatException(source, 1, name, "the header names this column twice, as fields "
                        + (previous + 1) + " and " + (header.size() + 1));
            }
            header.add(name);
        }
        return header;
    }

    /** Writes a frame to a file, atomically. */
    public static void write(Frame frame, Path path, CsvOptions options) {
        IoSupport.writeAtomically(path, w -> write(frame, w, options));
    }

    /** Writes a frame to a writer the caller owns. */
    public static void write(Frame frame, Writer writer, CsvOptions options) {
        CsvSchema.Builder sb = CsvSchema.builder()
                .setUseHeader(true)
                .setColumnSeparator(options.delimiter())
                .setLineSeparator("\n");
        for (Field f : frame.schema().fields()) {
            sb.addColumn(f.name());
        }
        int columns = frame.columnCount();
        String[] names = frame.schema().names().toArray(String[]::new);
        try (CsvGenerator g = FACTORY.createGenerator(writer)) {
            g.setSchema(sb.build());
            for (int r = 0; r < frame.rowCount(); r++) {
                g.writeStartObject();
                for (int c = 0; c < columns; c++) {
                    g.writeFieldName(names[c]);
                    String text = cellText(frame.column(c), r);
                    if (text == null) {
                        g.writeNull();
                    } else {
                        g.writeString(text);
                    }
                }
                g.writeEndObject();
            }
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cellText(Column column, int row) {
        if (column.isNull(row)) {
            return null;
        }
        if (column instanceof DoubleColumn d) {
            return TextValues.formatDouble(d.getDouble(row));
        }
        if (column instanceof LongColumn l) {
            return Long.toString(l.getLong(row));
        }
        if (column instanceof BooleanColumn b) {
            return b.getBoolean(row) ? "true" : "false";
        }
        if (column instanceof TimestampColumn t) {
            return TextValues.formatTimestamp(t.getMicros(row));
        }
        return ((StringColumn) column).getString(row);
    }

    private interface RowSink {
        void accept(String[] cells, long line);

        Frame build();
    }

    /** Parses each cell straight into a column of the schema's type. */
    private static final class TypedSink implements RowSink {
        private final Schema schema;
        private final Column.Builder[] builders;
        private final int[] position;
        private final String source;
        private final long[] scratch = new long[1];

        TypedSink(Schema schema, List<String> header, String source) {
            this.schema = schema;
            this.source = source;
            this.builders = new Column.Builder[schema.size()];
            for (int i = 0; i < builders.length; i++) {
                builders[i] = Column.builder(schema.field(i).type(), 1024);
            }
            this.position = new int[header.size()];
            List<String> extra = new ArrayList<>();
            for (int j = 0; j < header.size(); j++) {
                if (schema.contains(header.get(j))) {
                    position[j] = schema.indexOf(header.get(j));
                } else {
                    extra.add(header.get(j));
                }
            }
            if (!extra.isEmpty()) {
                throw new DataFormatException(source, 1, extra.get(0), "the header has columns " + extra
                        + " that the schema does not name; the schema has " + schema.names());
            }
            List<String> missing = new ArrayList<>(schema.names());
            missing.removeAll(header);
            if (!missing.isEmpty()) {
                throw new DataFormatException(source, 1, missing.get(0), "the header lacks the schema's columns "
                        + missing);
            }
        }

        @Override
        public void accept(String[] cells, long line) {
            for (int j = 0; j < cells.length; j++) {
                int k = position[j];
                Field f = schema.field(k);
                String text = cells[j];
                if (text == null || (text.isEmpty() && f.type() != DataType.STRING)) {
                    if (!f.nullable()) {
                        throw new DataFormatException(source, line, f.name(), "empty value in a column that is not nullable");
                    }
                    builders[k].addNull();
                } else if (!parseInto(builders[k], text, scratch)) {
                    throw new DataFormatException(source, line, f.name(), "'" + abbreviate(text) + "' is not a "
                            + f.type().jsonName());
                }
            }
        }

        @Override
        public Frame build() {
            List<Column> cols = new ArrayList<>(builders.length);
            for (Column.Builder b : builders) {
                cols.add(b.build());
            }
            return Frame.of(schema, cols);
        }
    }

    /**
     * Infers each column's type while reading: every cell is parsed once into the narrowest candidate types still
     * open (long, double, boolean, timestamp), and the text is kept in case the column ends up as strings.
     */
    private static final class InferringSink implements RowSink {
        private final List<String> header;
        private final List<ColumnGuess> guesses;

        InferringSink(List<String> header) {
            this.header = header;
            this.guesses = new ArrayList<>(header.size());
            for (int i = 0; i < header.size(); i++) {
                guesses.add(new ColumnGuess());
            }
        }

        @Override
        public void accept(String[] row, long line) {
            for (int j = 0; j < row.length; j++) {
                guesses.get(j).accept(row[j]);
            }
        }

        @Override
        public Frame build() {
            List<Field> fields = new ArrayList<>(header.size());
            List<Column> cols = new ArrayList<>(header.size());
            for (int j = 0; j < header.size(); j++) {
                Column c = guesses.get(j).build();
                guesses.set(j, null); // let the text go as soon as its column exists
                fields.add(Field.of(header.get(j), c.type()));
                cols.add(c);
            }
            return Frame.of(Schema.of(fields), cols);
        }
    }

    /** One column's candidate types; a candidate's builder is dropped as soon as a value rules it out. */
    private static final class ColumnGuess {
        private final List<String> texts = new ArrayList<>();
        private final long[] scratch = new long[1];
        private LongColumn.Builder longs = LongColumn.builder(1024);
        private DoubleColumn.Builder doubles;
        private BooleanColumn.Builder booleans = BooleanColumn.builder(1024);
        private TimestampColumn.Builder timestamps = TimestampColumn.builder(1024);
        private boolean doubleOpen = true;
        private boolean any;

        void accept(String text) {
            texts.add(text);
            if (text == null || text.isEmpty()) {
                if (longs != null) {
                    longs.addNull();
                }
                if (doubles != null) {
                    doubles.addNull();
                }
                if (booleans != null) {
                    booleans.addNull();
                }
                if (timestamps != null) {
                    timestamps.addNull();
                }
                return;
            }
            any = true;
            if (longs != null && !parseInto(longs, text, scratch)) {
                longs = null;
                // Re-read the earlier cells as doubles once: "-0" is 0 as a long but -0.0 as a double.
                doubles = DoubleColumn.builder(texts.size());
                for (int i = 0; i < texts.size() - 1 && doubleOpen; i++) {
                    String earlier = texts.get(i);
                    if (earlier == null || earlier.isEmpty()) {
                        doubles.addNull();
                    } else {
                        doubleOpen = parseInto(doubles, earlier, scratch);
                    }
                }
            }
            if (longs == null && doubleOpen && !parseInto(doubles, text, scratch)) {
                doubleOpen = false;
                doubles = null;
            }
            if (booleans != null && !parseInto(booleans, text, scratch)) {
                booleans = null;
            }
            if (timestamps != null && !parseInto(timestamps, text, scratch)) {
                timestamps = null;
            }
        }

        Column build() {
            if (!any) {
                return strings();
            }
            if (longs != null) {
                return longs.build();
            }
            if (doubleOpen) {
                return doubles.build();
            }
            if (booleans != null) {
                return booleans.build();
            }
            return timestamps != null ? timestamps.build() : strings();
        }

        private Column strings() {
            StringColumn.Builder b = StringColumn.builder(texts.size());
            for (String t : texts) {
                b.add(t);
            }
            return b.build();
        }
    }

    /** Parses text into a builder of any type; returns false when the text is not a value of that type. */
    static boolean parseInto(Column.Builder builder, String text, long[] scratch) {
        switch (builder.type()) {
            case DOUBLE -> {
                Double d = TextValues.tryParseDouble(text);
                if (d == null) {
                    return false;
                }
                ((DoubleColumn.Builder) builder).add(d);
            }
            case LONG -> {
                if (!TextValues.tryParseLong(text, scratch)) {
                    return false;
                }
                ((LongColumn.Builder) builder).add(scratch[0]);
            }
            case BOOLEAN -> {
                Boolean b = TextValues.tryParseBoolean(text);
                if (b == null) {
                    return false;
                }
                ((BooleanColumn.Builder) builder).add(b);
            }
            case TIMESTAMP -> {
                if (!TextValues.tryParseTimestamp(text, scratch)) {
                    return false;
                }
                ((TimestampColumn.Builder) builder).addMicros(scratch[0]);
            }
            case STRING -> ((StringColumn.Builder) builder).add(text);
            default -> throw new IllegalStateException("unknown type " + builder.type());
        }
        return true;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
