package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private static Frame read(String csv) {
        return Frame.readCsv(new StringReader(csv), CsvOptions.defaults());
    }

    @Test
    void infersEachTypeFromEveryValue() {
        Frame f = read("""
                i,d,special,b,t,s,empty,mixed
                1,1.5,NaN,true,2024-01-01,x,,1
                -2,3,-inf,FALSE,2024-01-01T10:00:00Z,y,,2.5
                ,,Infinity,,2024-01-01 10:00:00.123+02:00,,,abc
                """);
        assertEquals(List.of(DataType.LONG, DataType.DOUBLE, DataType.DOUBLE, DataType.BOOLEAN, DataType.TIMESTAMP,
                DataType.STRING, DataType.STRING, DataType.STRING),
                f.schema().fields().stream().map(Field::type).toList());
        assertEquals(3, f.rowCount());
        assertTrue(f.column("i").isNull(2));
        assertEquals(3.0, f.doubleColumn("d").getDouble(1));
        assertEquals(Double.NEGATIVE_INFINITY, f.doubleColumn("special").getDouble(1));
        assertFalse(f.booleanColumn("b").getBoolean(1));
        assertEquals(Instant.parse("2024-01-01T08:00:00.123Z"), f.timestampColumn("t").getInstant(2));
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), f.timestampColumn("t").getInstant(0));
        assertEquals(3, f.column("empty").nullCount());
        assertEquals("2.5", f.stringColumn("mixed").getString(1));
    }

    @Test
    void inferenceKeepsSignedZeroAndTheOriginalText() {
        Frame f = read("a,b,c\n-0,007,1\n1.5,x,\n,,2\n");
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f.doubleColumn("a").getDouble(0)));
        assertEquals("007", f.stringColumn("b").getString(0), "a column that turns out to be text keeps its text");
        assertTrue(f.column("b").isNull(2));
        assertEquals(DataType.LONG, f.schema().field("c").type());
        assertEquals(2L, f.longColumn("c").getLong(2));
    }

    @Test
    void readsTheBreastCancerDataset() {
        Frame f = Frame.readCsv(Path.of("src/test/resources/breast_cancer_head.csv"));
        assertEquals(31, f.columnCount());
        assertEquals(DataType.DOUBLE, f.schema().field("mean_radius").type());
        assertEquals(DataType.STRING, f.schema().field("diagnosis").type());
        assertEquals(17.99, f.doubleColumn("mean_radius").getDouble(0));
        assertEquals("malignant", f.stringColumn("diagnosis").getString(0));
    }

    @Test
    void raggedRowNamesTheLine() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read("a,b\n1,2\n3\n4,5\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2 fields"), e.getMessage());
        DataFormatException tooMany = assertThrows(DataFormatException.class, () -> read("a,b\n1,2,3\n"));
        assertEquals(2, tooMany.line());
    }

    @Test
    void nonNumberInNumericColumnNamesLineColumnAndText() {
        Schema schema = Schema.of(Field.of("id", DataType.LONG), Field.of("x", DataType.DOUBLE));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Frame.readCsv(
                new StringReader("id,x\n1,0.5\n2,abc\n"), CsvOptions.defaults().withSchema(schema).withSourceName("data.csv")));
        assertEquals(3, e.line());
        assertEquals("x", e.column());
        assertEquals("data.csv", e.source());
        assertTrue(e.getMessage().contains("'abc' is not a double"), e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertThrows(DataFormatException.class, () -> Frame.readCsv(new StringReader("id,x\n1.5,1\n"),
                CsvOptions.defaults().withSchema(schema)), "a fraction is not a long");
        assertThrows(DataFormatException.class, () -> Frame.readCsv(new StringReader("id,x\n1,1d\n"),
                CsvOptions.defaults().withSchema(schema)), "Java's type suffixes are not numbers in CSV");
        assertThrows(DataFormatException.class, () -> Frame.readCsv(new StringReader("id,x\n1, 2\n"),
                CsvOptions.defaults().withSchema(schema)), "surrounding spaces are not trimmed silently");
    }

    @Test
    void explicitSchemaMapsHeaderByNameAndRejectsMissingOrExtraColumns() {
        Schema schema = Schema.of(Field.of("a", DataType.LONG), Field.of("b", DataType.STRING));
        Frame f = Frame.readCsv(new StringReader("b,a\nx,1\n"), CsvOptions.defaults().withSchema(schema));
        assertEquals(schema, f.schema());
        assertEquals(1L, f.longColumn("a").getLong(0));
        DataFormatException extra = assertThrows(DataFormatException.class, () -> Frame.readCsv(
                new StringReader("a,b,c\n1,x,y\n"), CsvOptions.defaults().withSchema(schema)));
        assertTrue(extra.getMessage().contains("[c]"), extra.getMessage());
        DataFormatException missing = assertThrows(DataFormatException.class, () -> Frame.readCsv(
                new StringReader("a\n1\n"), CsvOptions.defaults().withSchema(schema)));
        assertEquals("b", missing.column());
        Schema required = Schema.of(Field.required("a", DataType.LONG), Field.of("b", DataType.STRING));
        DataFormatException nulls = assertThrows(DataFormatException.class, () -> Frame.readCsv(
                new StringReader("a,b\n,x\n"), CsvOptions.defaults().withSchema(required)));
        assertTrue(nulls.getMessage().contains("not nullable"), nulls.getMessage());
    }

    @Test
    void headerProblemsAreReported() {
        assertThrows(DataFormatException.class, () -> read(""));
        DataFormatException dup = assertThrows(DataFormatException.class, () -> read("a,b,a\n1,2,3\n"));
        assertTrue(dup.getMessage().contains("twice"), dup.getMessage());
        assertThrows(DataFormatException.class, () -> read("a,,c\n1,2,3\n"));
        DataFormatException quote = assertThrows(DataFormatException.class, () -> read("a,b\n1,\"open\n"));
        assertTrue(quote.line() > 0);
    }

    @Test
    void headerOnlyGivesAnEmptyFrame() {
        Frame f = read("a,b\n");
        assertEquals(0, f.rowCount());
        assertEquals(List.of("a", "b"), f.schema().names());
    }

    @Test
    void nullAndEmptyStringStayDistinct() {
        Frame f = read("a,b\n\"\",\nx,\"\"\n,y\n");
        assertEquals("", f.stringColumn("a").getString(0));
        assertTrue(f.column("b").isNull(0));
        assertEquals("", f.stringColumn("b").getString(1));
        assertTrue(f.column("a").isNull(2));
    }

    @Test
    void blankLinesAreSkippedInMultiColumnFiles() {
        Frame f = read("a,b\n1,2\n\n3,4\n\n");
        assertEquals(2, f.rowCount());
    }

    @Test
    void byteOrderMarkIsIgnored() throws IOException {
        Path p = dir.resolve("bom.csv");
        Files.write(p, "\uFEFFid,name\n1,x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("id", "name"), Frame.readCsv(p).schema().names());
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, "name\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Frame.readCsv(p));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void missingFileIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> Frame.readCsv(dir.resolve("nope.csv")));
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
    }

    @Test
    void writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("sub/out.csv");
        Frame first = Frame.builder().longs("x", 1, 2).build();
        first.writeCsv(p);
        Frame second = Frame.builder().strings("y", "a,b", "c").build();
        second.writeCsv(p);
        assertEquals(second, Frame.readCsv(p));
        try (Stream<Path> files = Files.list(p.getParent())) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void failedWriteKeepsThePreviousFile() throws IOException {
        Path p = dir.resolve("keep.csv");
        Files.writeString(p, "x\n1\n");
        Path blocked = dir.resolve("keep.csv/child.csv");
        assertThrows(UnavailableException.class, () -> Frame.builder().longs("x", 2).build().writeCsv(blocked));
        assertEquals("x\n1\n", Files.readString(p));
    }

    @Test
    void writesQuotedFieldsWhereNeeded() {
        StringWriter w = new StringWriter();
        Frame.builder().strings("text", "plain", "a,b", "say \"hi\"", "two\nlines", "", null).build()
                .writeCsv(w, CsvOptions.defaults());
        String csv = w.toString();
        assertTrue(csv.startsWith("text\nplain\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n\"\"\n\n"), csv);
    }

    @Test
    void delimiterOptionIsValidated() {
        assertThrows(InvalidArgumentException.class, () -> CsvOptions.defaults().withDelimiter('"'));
        assertThrows(InvalidArgumentException.class, () -> CsvOptions.defaults().withDelimiter('a'));
        Frame f = Frame.readCsv(new StringReader("a\tb\n1\tx,y\n"), CsvOptions.defaults().withDelimiter('\t'));
        assertEquals("x,y", f.stringColumn("b").getString(0));
    }
}
