package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {
    @TempDir
    Path dir;

    private static Frame read(String text) {
        return Frame.readJsonLines(new StringReader(text), null);
    }

    @Test
    void infersTypesAndFillsMissingKeysWithNull() {
        Frame f = read("""
                {"id": 1, "x": 1, "name": "a", "ok": true, "at": "2024-05-01T00:00:00Z"}
                {"id": 2, "x": 2.5, "ok": false, "at": null, "late": "only here"}

                {"id": 3, "x": "NaN", "name": null}
                """);
        assertEquals(List.of("id", "x", "name", "ok", "at", "late"), f.schema().names());
        assertEquals(List.of(DataType.LONG, DataType.DOUBLE, DataType.STRING, DataType.BOOLEAN, DataType.TIMESTAMP,
                DataType.STRING), f.schema().fields().stream().map(Field::type).toList());
        assertEquals(3, f.rowCount());
        assertTrue(Double.isNaN(f.doubleColumn("x").getDouble(2)));
        assertTrue(f.column("late").isNull(0));
        assertTrue(f.column("late").isNull(2));
        assertTrue(f.column("ok").isNull(2));
        assertEquals(Instant.parse("2024-05-01T00:00:00Z"), f.timestampColumn("at").getInstant(0));
    }

    @Test
    void acceptsBareNonFiniteTokens() {
        Frame f = read("{\"x\": NaN}\n{\"x\": -Infinity}\n");
        assertEquals(DataType.DOUBLE, f.schema().field("x").type());
        assertEquals(Double.NEGATIVE_INFINITY, f.doubleColumn("x").getDouble(1));
    }

    @Test
    void mixedTypesNameTheColumnAndLines() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read("{\"v\": 1}\n{\"v\": \"one\"}\n"));
        assertEquals("v", e.column());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("numbers"), e.getMessage());
        assertThrows(DataFormatException.class, () -> read("{\"v\": true}\n{\"v\": 1}\n"));
    }

    @Test
    void structuralProblemsAreReported() {
        assertEquals(2, assertThrows(DataFormatException.class, () -> read("{\"a\":1}\n[1,2]\n")).line());
        assertThrows(DataFormatException.class, () -> read("{\"a\": {\"b\": 1}}\n"));
        assertThrows(DataFormatException.class, () -> read("{\"a\": [1]}\n"));
        assertThrows(DataFormatException.class, () -> read("{\"a\": 1, \"a\": 2}\n"));
        assertThrows(DataFormatException.class, () -> read("{\"a\": 1\n"));
        DataFormatException big = assertThrows(DataFormatException.class, () -> read("{\"a\": 99999999999999999999}\n"));
        assertTrue(big.getMessage().contains("outside the range of a long"), big.getMessage());
    }

    @Test
    void explicitSchemaChecksKeysAndTypes() {
        Schema schema = Schema.of(Field.required("id", DataType.LONG), Field.of("x", DataType.DOUBLE));
        Frame f = Frame.readJsonLines(new StringReader("{\"x\": 1, \"id\": 7}\n{\"id\": 8}\n"), schema);
        assertEquals(schema, f.schema());
        assertEquals(1.0, f.doubleColumn("x").getDouble(0));
        assertTrue(f.column("x").isNull(1));
        DataFormatException unknown = assertThrows(DataFormatException.class,
                () -> Frame.readJsonLines(new StringReader("{\"id\": 1, \"y\": 2}\n"), schema));
        assertEquals("y", unknown.column());
        DataFormatException type = assertThrows(DataFormatException.class,
                () -> Frame.readJsonLines(new StringReader("{\"id\": 1.5}\n"), schema));
        assertTrue(type.getMessage().contains("number 1.5 is not a long"), type.getMessage());
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> Frame.readJsonLines(new StringReader("{\"x\": 1}\n"), schema));
        assertTrue(missing.getMessage().contains("missing value"), missing.getMessage());
    }

    @Test
    void writesOneObjectPerLineWithNonFiniteDoublesAsStrings() {
        StringWriter w = new StringWriter();
        Frame.builder().doubles("x", 1.5, Double.NaN, Double.NEGATIVE_INFINITY)
                .column("s", StringColumn.of("a", null, "q\"")).build().writeJsonLines(w);
        assertEquals("{\"x\":1.5,\"s\":\"a\"}\n{\"x\":\"NaN\",\"s\":null}\n{\"x\":\"-Infinity\",\"s\":\"q\\\"\"}\n",
                w.toString());
    }

    @Test
    void fileRoundTrip() {
        Frame f = Frame.builder().longs("id", 1, 2).timestamps("t", Instant.EPOCH, null).build();
        Path p = dir.resolve("data.jsonl");
        f.writeJsonLines(p);
        assertEquals(f, Frame.readJsonLines(p, f.schema()));
        assertEquals(f, Frame.readJsonLines(p));
        assertThrows(NotFoundException.class, () -> Frame.readJsonLines(dir.resolve("missing.jsonl")));
    }
}
