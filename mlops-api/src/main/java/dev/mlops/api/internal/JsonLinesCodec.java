package dev.mlops.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes frames as JSON lines: one JSON object per line, one key per column. Doubles that JSON cannot
 * express are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; on reading, those
 * strings and the bare tokens {@code NaN}/{@code Infinity} are accepted in double columns.
 */
public final class JsonLinesCodec {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private JsonLinesCodec() {
    }

    /** Reads a JSON-lines file; a null schema means infer. */
    public static Frame read(Path path, Schema schema) {
        try (Reader reader = IoSupport.openReader(path)) {
            return read(reader, schema, path.toString());
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads JSON lines from a reader the caller owns; a null schema means infer. */
    public static Frame read(Reader reader, Schema schema, String source) {
        try (JsonParser p = FACTORY.createParser(reader)) {
            return schema == null ? readInferring(p, source) : readTyped(p, schema, source);
        } catch (CharacterCodingException | CharConversionException e) {
            throw new DataFormatException(source, 0, null, "the text is not valid UTF-8", e);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFormatException(source, line, null, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static Frame readTyped(JsonParser p, Schema schema, String source) throws IOException {
        Column.Builder[] builders = new Column.Builder[schema.size()];
        for (int i = 0; i < builders.length; i++) {
            builders[i] = Column.builder(schema.field(i).type(), 1024);
        }
        Object[] row = new Object[builders.length];
        boolean[] seen = new boolean[builders.length];
        long[] scratch = new long[1];
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            long line = startObject(p, t, source);
            Arrays.fill(seen, false);
            Arrays.fill(row, null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!schema.contains(name)) {
                    throw new DataFormatException(source, line, name, "key is not a column of the schema "
                            + schema.names());
                }
                int k = schema.indexOf(name);
                seen[k] = true;
                row[k] = typedValue(p, p.nextToken(), schema.field(k).type(), source, line, name, scratch);
            }
            for (int k = 0; k < builders.length; k++) {
                Field f = schema.field(k);
                if (row[k] == null && !f.nullable()) {
                    throw new DataFormatException(source, line, f.name(), (seen[k] ? "null" : "missing value")
                            + " in a column that is not nullable");
                }
                builders[k].addObject(row[k]);
            }
        }
        List<Column> cols = new ArrayList<>(builders.length);
        for (Column.Builder b : builders) {
            cols.add(b.build());
        }
        return Frame.of(schema, cols);
    }

    private static long startObject(JsonParser p, JsonToken t, String source) {
        long line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
            throw new DataFormatException(source, line, null, "expected a JSON object per line but found " + t.asString()
                    + (t.isScalarValue() ? " value" : ""));
        }
        return line;
    }

    private static Object typedValue(JsonParser p, JsonToken t, DataType type, String source, long line, String column,
            long[] scratch) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        rejectNested(t, source, line, column);
        switch (type) {
            case DOUBLE -> {
                if (t.isNumeric()) {
                    return p.getDoubleValue();
                }
                if (t == JsonToken.VALUE_STRING && nonFinite(p.getText()) != null) {
                    return nonFinite(p.getText());
                }
            }
            case LONG -> {
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    return longValue(p, source, line, column);
                }
            }
            case BOOLEAN -> {
                if (t.isBoolean()) {
                    return t == JsonToken.VALUE_TRUE;
                }
            }
            case STRING -> {
                if (t == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
            }
            case TIMESTAMP -> {
                if (t == JsonToken.VALUE_STRING && TextValues.tryParseTimestamp(p.getText(), scratch)) {
                    return TimestampColumn.toInstant(scratch[0]);
                }
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
        throw new DataFormatException(source, line, column, describe(p, t) + " is not a " + type.jsonName());
    }

    private static Frame readInferring(JsonParser p, String source) throws IOException {
        Map<String, InferredColumn> columns = new LinkedHashMap<>();
        int rows = 0;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            long line = startObject(p, t, source);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                InferredColumn c = columns.get(name);
                if (c == null) {
                    Field.of(name, DataType.STRING); // validates the name
                    c = new InferredColumn(name, rows);
                    columns.put(name, c);
                }
                JsonToken v = p.nextToken();
                rejectNested(v, source, line, name);
                c.add(inferredValue(p, v, source, line, name), line);
            }
            rows++;
            for (InferredColumn c : columns.values()) {
                c.padTo(rows);
            }
        }
        List<Field> fields = new ArrayList<>(columns.size());
        List<Column> cols = new ArrayList<>(columns.size());
        for (InferredColumn c : columns.values()) {
            DataType type = c.type(source);
            Column.Builder b = Column.builder(type, rows);
            long[] scratch = new long[1];
            for (Object v : c.values) {
                if (v == null) {
                    b.addNull();
                } else if (type == DataType.DOUBLE) {
                    ((DoubleColumn.Builder) b).add(v instanceof String s ? nonFinite(s) : ((Number) v).doubleValue());
                } else if (type == DataType.TIMESTAMP) {
                    TextValues.tryParseTimestamp((String) v, scratch);
                    ((TimestampColumn.Builder) b).addMicros(scratch[0]);
                } else {
                    b.addObject(v);
                }
            }
            fields.add(Field.of(c.name, type));
            cols.add(b.build());
        }
        return Frame.of(Schema.of(fields), cols);
    }

    private static Object inferredValue(JsonParser p, JsonToken t, String source, long line, String column)
            throws IOException {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> longValue(p, source, line, column);
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> p.getText();
            default -> throw new DataFormatException(source, line, column, "unexpected " + t);
        };
    }

    private static long longValue(JsonParser p, String source, long line, String column) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new DataFormatException(source, line, column, "integer " + p.getText()
                    + " is outside the range of a long");
        }
        return p.getLongValue();
    }

    private static void rejectNested(JsonToken t, String source, long line, String column) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            throw new DataFormatException(source, line, column, "nested objects and arrays are not supported");
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> "string \"" + CsvCodec.abbreviate(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + p.getText();
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
            default -> t.toString();
        };
    }

    /** Returns the double a non-finite name stands for, or null for any other text. */
    static Double nonFinite(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** Values of one column while its type is still open, with the first line each kind of value appeared on. */
    private static final class InferredColumn {
        final String name;
        final List<Object> values = new ArrayList<>();
        long firstNumber;
        long firstFloat;
        long firstBoolean;
        long firstText;
        long firstNonFinite;

        InferredColumn(String name, int nullsBefore) {
            this.name = name;
            padTo(nullsBefore);
        }

        void padTo(int rows) {
            while (values.size() < rows) {
                values.add(null);
            }
        }

        void add(Object v, long line) {
            values.add(v);
            if (v instanceof Long) {
                firstNumber = firstNumber == 0 ? line : firstNumber;
            } else if (v instanceof Double) {
                firstNumber = firstNumber == 0 ? line : firstNumber;
                firstFloat = firstFloat == 0 ? line : firstFloat;
            } else if (v instanceof Boolean) {
                firstBoolean = firstBoolean == 0 ? line : firstBoolean;
            } else if (v instanceof String s) {
                if (nonFinite(s) != null) {
                    firstNonFinite = firstNonFinite == 0 ? line : firstNonFinite;
                } else {
                    firstText = firstText == 0 ? line : firstText;
                }
            }
        }

        DataType type(String source) {
            boolean numbers = firstNumber > 0;
            boolean text = firstText > 0 || (firstNonFinite > 0 && !numbers);
            if (firstBoolean > 0 && (numbers || text || firstNonFinite > 0)) {
                long line = Math.max(firstBoolean, numbers ? firstNumber : Math.max(firstText, firstNonFinite));
                throw new DataFormatException(source, line, name, "the column mixes booleans with other values");
            }
            if (numbers && firstText > 0) {
                throw new DataFormatException(source, Math.max(firstNumber, firstText), name,
                        "the column mixes numbers (first on line " + firstNumber + ") with text (first on line "
                                + firstText + ")");
            }
            if (firstBoolean > 0) {
                return DataType.BOOLEAN;
            }
            if (numbers) {
                return firstFloat > 0 || firstNonFinite > 0 ? DataType.DOUBLE : DataType.LONG;
            }
            if (text) {
                long[] scratch = new long[1];
                for (Object v : values) {
                    if (v != null && !TextValues.tryParseTimestamp((String) v, scratch)) {
                        return DataType.STRING;
                    }
                }
                return DataType.TIMESTAMP;
            }
            return DataType.STRING;
        }
    }

    /** Writes a frame to a file, atomically. */
    public static void write(Frame frame, Path path) {
        IoSupport.writeAtomically(path, w -> write(frame, w));
    }

    /** Writes a frame to a writer the caller owns. */
    public static void write(Frame frame, Writer writer) {
        List<Field> fields = frame.schema().fields();
        try (JsonGenerator g = FACTORY.createGenerator(writer)) {
            g.setRootValueSeparator(null); // each object ends its own line
            for (int r = 0; r < frame.rowCount(); r++) {
                g.writeStartObject();
                for (int c = 0; c < fields.size(); c++) {
                    g.writeFieldName(fields.get(c).name());
                    writeValue(g, frame.column(c), r);
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator g, Column column, int row) throws IOException {
        if (column.isNull(row)) {
            g.writeNull();
        } else if (column instanceof DoubleColumn d) {
            double v = d.getDouble(row);
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
            }
        } else if (column instanceof LongColumn l) {
            g.writeNumber(l.getLong(row));
        } else if (column instanceof BooleanColumn b) {
            g.writeBoolean(b.getBoolean(row));
        } else if (column instanceof TimestampColumn t) {
            g.writeString(TextValues.formatTimestamp(t.getMicros(row)));
        } else {
            g.writeString(((StringColumn) column).getString(row));
        }
    }
}
