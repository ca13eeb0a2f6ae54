package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameTest {
    private static Frame sample() {
        return Frame.builder()
                .longs("id", 3, 1, 2, 4)
                .doubles("score", 0.5, Double.NaN, -1.0, 2.0)
                .strings("city", "Oslo", null, "", "Lima")
                .booleans("active", true, false, true, false)
                .timestamps("seen", Instant.parse("2024-01-01T00:00:00Z"), null,
                        Instant.parse("2023-06-01T12:30:00.000001Z"), Instant.parse("1969-12-31T23:59:59Z"))
                .build();
    }

    @Test
    void builderKeepsTypesValuesAndNulls() {
        Frame f = sample();
        assertEquals(4, f.rowCount());
        assertEquals(5, f.columnCount());
        assertEquals(List.of("id", "score", "city", "active", "seen"), f.schema().names());
        assertEquals(DataType.TIMESTAMP, f.schema().field("seen").type());
        assertTrue(Double.isNaN(f.doubleColumn("score").getDouble(1)));
        assertTrue(f.column("city").isNull(1));
        assertEquals("", f.stringColumn("city").getString(2), "the empty string is a value, not null");
        assertEquals(Instant.parse("2023-06-01T12:30:00.000001Z"), f.timestampColumn("seen").getInstant(2));
        assertEquals(1, f.column("seen").nullCount());
    }

    @Test
    void nullIsDistinctFromNaNInDoubleColumns() {
        DoubleColumn c = DoubleColumn.ofNullable(Double.NaN, null, 1.0);
        assertFalse(c.isNull(0));
        assertTrue(c.isNull(1));
        assertEquals(1, c.nullCount());
        assertThrows(IllegalStateException.class, () -> c.getDouble(1));
        assertEquals(-7.0, c.getDouble(1, -7.0));
        assertNotEquals(DoubleColumn.ofNullable(Double.NaN), DoubleColumn.ofNullable((Double) null));
    }

    @Test
    void valuesViewIsZeroCopyAndReadOnly() {
        Frame f = Frame.builder().doubles("x", 1, 2, 3, 4, 5).build();
        DoubleColumn slice = f.slice(1, 4).doubleColumn("x");
        DoubleBuffer view = slice.values();
        assertEquals(3, view.remaining());
        assertEquals(2.0, view.get(0));
        assertEquals(4.0, view.get(2));
        assertFalse(view.hasArray(), "a read-only view must not expose the backing array");
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, 99.0));
        assertArrayEquals(new double[] {2, 3, 4}, slice.toArray(Double.NaN));
    }

    @Test
    void factoriesCopyTheirInput() {
        double[] values = {1, 2};
        DoubleColumn c = DoubleColumn.of(values);
        values[0] = 100;
        assertEquals(1.0, c.getDouble(0), "a column must not change when the caller's array does");
    }

    @Test
    void selectDropRenameAndWithColumn() {
        Frame f = sample();
        assertEquals(List.of("city", "id"), f.select("city", "id").schema().names());
        assertEquals(List.of("id", "score", "active", "seen"), f.drop("city").schema().names());
        Frame renamed = f.rename("id", "key");
        assertEquals(f.column("id"), renamed.column("key"));
        assertThrows(InvalidArgumentException.class, () -> f.rename("id", "city"), "a taken name is an error");

        Frame added = f.withColumn("twice", LongColumn.of(6, 2, 4, 8));
        assertEquals(6, added.columnCount());
        Frame replaced = added.withColumn("twice", LongColumn.of(0, 0, 0, 0));
        assertEquals(6, replaced.columnCount());
        assertEquals(0L, replaced.longColumn("twice").getLong(0));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> f.withColumn("short", LongColumn.of(1)));
        assertTrue(e.getMessage().contains("short"), e.getMessage());
    }

    @Test
    void unknownColumnNamesTheColumnAndListsTheOthers() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> sample().select("id", "nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("city"), e.getMessage());
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertThrows(InvalidArgumentException.class, () -> sample().doubleColumn("city"));
    }

    @Test
    void filterSliceHeadAndTake() {
        Frame f = sample();
        Frame active = f.filter(r -> r.getBoolean("active"));
        assertEquals(List.of(3L, 2L), active.longColumn("id").stream().boxed().toList());
        assertEquals(2, f.head(2).rowCount());
        assertEquals(4, f.head(100).rowCount());
        assertEquals(0, f.head(-1).rowCount());
        assertEquals(List.of(4L, 3L, 3L), f.take(new int[] {3, 0, 0}).longColumn("id").stream().boxed().toList());
        assertThrows(IndexOutOfBoundsException.class, () -> f.take(new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> f.slice(2, 5));
    }

    @Test
    void sortIsStableWithNullsLastAndNaNHighest() {
        Frame f = Frame.builder()
                .column("x", DoubleColumn.ofNullable(2.0, null, Double.NaN, 1.0, 2.0, Double.NEGATIVE_INFINITY))
                .longs("order", 0, 1, 2, 3, 4, 5)
                .build();
        Frame asc = f.sortBy("x");
        assertEquals(List.of(5L, 3L, 0L, 4L, 2L, 1L), asc.longColumn("order").stream().boxed().toList());
        Frame desc = f.sort(SortKey.desc("x"));
        assertEquals(List.of(2L, 0L, 4L, 3L, 5L, 1L), desc.longColumn("order").stream().boxed().toList());
        Frame multi = sample().sort(SortKey.asc("active"), SortKey.desc("id"));
        assertEquals(List.of(4L, 1L, 3L, 2L), multi.longColumn("id").stream().boxed().toList());
    }

    @Test
    void concatChecksSchemasAndWidensNullability() {
        Frame a = Frame.builder().column(Field.required("x", DataType.LONG), LongColumn.of(1, 2)).build();
        Frame b = Frame.builder().column("x", LongColumn.ofNullable(3L, null)).build();
        Frame ab = a.concat(b);
        assertEquals(4, ab.rowCount());
        assertTrue(ab.schema().field("x").nullable());
        assertEquals(1, ab.column("x").nullCount());
        Frame other = Frame.builder().doubles("x", 1.0).build();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.concat(other));
        assertTrue(e.getMessage().contains("double"), e.getMessage());
    }

    @Test
    void rowBuilderValidatesAndRollsBackARejectedRow() {
        Schema schema = Schema.of(Field.required("id", DataType.LONG), Field.of("name", DataType.STRING),
                Field.of("when", DataType.TIMESTAMP));
        Frame.RowBuilder b = Frame.rowBuilder(schema).row(1L, "a", Instant.EPOCH).row(2, null, null);
        InvalidArgumentException wrongType = assertThrows(InvalidArgumentException.class, () -> b.row(3L, 5, null));
        assertTrue(wrongType.getMessage().contains("row 2, column 'name'"), wrongType.getMessage());
        assertThrows(InvalidArgumentException.class, () -> b.row((Object) null, "x", null));
        assertThrows(InvalidArgumentException.class, () -> b.row(3L, "x"));
        Map<String, Object> unknown = new LinkedHashMap<>();
        unknown.put("id", 3L);
        unknown.put("nope", 1);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> b.row(unknown));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        Frame f = b.row(Map.of("id", 3L)).build();
        assertEquals(3, f.rowCount(), "rejected rows leave nothing behind");
        assertEquals(List.of(1L, 2L, 3L), f.longColumn("id").stream().boxed().toList());
        assertNull(f.row(2).get("name"));
    }

    @Test
    void frameOfRejectsMismatchedColumns() {
        Schema s = Schema.of(Field.required("a", DataType.LONG), Field.of("b", DataType.DOUBLE));
        assertThrows(InvalidArgumentException.class, () -> Frame.of(s, List.of(LongColumn.of(1))));
        assertThrows(InvalidArgumentException.class, () -> Frame.of(s, List.of(LongColumn.of(1), LongColumn.of(1))));
        assertThrows(InvalidArgumentException.class, () -> Frame.of(s, List.of(LongColumn.of(1), DoubleColumn.of(1, 2))));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Frame.of(s, List.of(LongColumn.ofNullable((Long) null), DoubleColumn.of(1))));
        assertTrue(e.getMessage().contains("not nullable"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Schema.of(Field.of("a", DataType.LONG), Field.of("a", DataType.LONG)));
        assertThrows(InvalidArgumentException.class, () -> Field.of("", DataType.LONG));
        assertThrows(InvalidArgumentException.class, () -> Field.of("bad\nname", DataType.LONG));
    }

    @Test
    void equalityAndDigestCoverValuesNullsNamesAndTypes() {
        Frame a = Frame.builder().doubles("x", 0.0, Double.NaN).build();
        assertEquals(a, Frame.builder().doubles("x", 0.0, Double.NaN).build(), "NaN equals NaN");
        assertEquals(a.digest(), Frame.builder().doubles("x", 0.0, Double.NaN).build().digest());
        assertNotEquals(a, Frame.builder().doubles("x", -0.0, Double.NaN).build(), "-0.0 differs from 0.0");
        assertNotEquals(a.digest(), Frame.builder().doubles("y", 0.0, Double.NaN).build().digest());
        assertNotEquals(Frame.builder().longs("x", 1).build().digest(), Frame.builder().doubles("x", 1).build().digest());
        assertNotEquals(Frame.builder().strings("s", "").build().digest(),
                Frame.builder().strings("s", (String) null).build().digest());
        assertNotEquals(Frame.builder().strings("s", "ab", "c").build().digest(),
                Frame.builder().strings("s", "a", "bc").build().digest(), "string boundaries are part of the digest");
        assertEquals(64, a.digest().length());
        assertTrue(a.digest().matches("[0-9a-f]{64}"));
    }

    @Test
    void describeSummarizesEveryColumn() {
        Frame d = sample().describe();
        assertEquals(5, d.rowCount());
        Row score = d.row(1);
        assertEquals("score", score.getString("column"));
        assertEquals(4L, score.getLong("count"));
        assertEquals((0.5 - 1.0 + 2.0) / 3, score.getDouble("mean"), 1e-12, "NaN is left out of the statistics");
        assertEquals(-1.0, score.getDouble("min"));
        assertEquals(2.0, score.getDouble("max"));
        double mean = 0.5;
        double std = Math.sqrt(((0.5 - mean) * (0.5 - mean) + (-1 - mean) * (-1 - mean) + (2 - mean) * (2 - mean)) / 2);
        assertEquals(std, score.getDouble("std"), 1e-12);
        Row city = d.row(2);
        assertEquals(1L, city.getLong("nulls"));
        assertEquals(3L, city.getLong("distinct"));
        assertTrue(city.isNull("mean"));
    }

    @Test
    void valueCountsOrdersByFrequency() {
        Frame f = Frame.builder().strings("c", "b", "a", "b", null, "b", "a").build();
        Frame counts = f.valueCounts("c");
        assertEquals("b", counts.row(0).getString("value"));
        assertEquals(3L, counts.row(0).getLong("count"));
        assertEquals(2L, counts.row(1).getLong("count"));
        assertTrue(counts.row(2).isNull("value"));
    }

    @Test
    void formatShowsShapeHeaderAndRows() {
        String text = sample().toString();
        assertTrue(text.startsWith("Frame[4 rows x 5 columns]"), text);
        assertTrue(text.contains("city"), text);
        assertTrue(text.contains("Oslo"), text);
        assertTrue(text.contains("null"), text);
        String wide = Frame.builder().doubles("a", 1).doubles("b", 1).doubles("c", 1).doubles("d", 1).doubles("e", 1)
                .doubles("f", 1).doubles("g", 1).doubles("h", 1).doubles("i", 1).doubles("j", 1).doubles("k", 1)
                .doubles("l", 1).doubles("m", 1).doubles("n", 1).build().format(5);
        assertTrue(wide.contains("..."), wide);
        assertTrue(wide.contains(" n"), "the last column is shown: " + wide);
    }

    @Test
    void emptyFrameHasSchemaAndNoRows() {
        Frame e = Frame.empty(sample().schema());
        assertEquals(0, e.rowCount());
        assertEquals(sample().schema(), e.schema());
        assertEquals(e, Frame.empty(sample().schema()));
    }

    @Test
    void timestampsKeepMicrosecondsAndTruncateFinerFractionsTowardsThePast() {
        TimestampColumn c = TimestampColumn.of(Instant.parse("1969-12-31T23:59:59.9999999Z"),
                Instant.ofEpochSecond(0, 1999));
        assertEquals(-1L, c.getMicros(0));
        assertEquals(1L, c.getMicros(1));
        assertEquals(Long.MIN_VALUE, TimestampColumn.toMicros(TimestampColumn.toInstant(Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE, TimestampColumn.toMicros(TimestampColumn.toInstant(Long.MAX_VALUE)));
        assertThrows(InvalidArgumentException.class, () -> TimestampColumn.toMicros(Instant.MAX));
    }

    @Test
    void rowAccessorsWidenAndCheckTypes() {
        Row r = sample().row(0);
        assertEquals(3.0, r.getDouble("id"), "long columns widen to double");
        assertThrows(InvalidArgumentException.class, () -> r.getLong("score"));
        assertThrows(InvalidArgumentException.class, () -> r.getString("id"));
        assertEquals(List.of("id", "score", "city", "active", "seen"), List.copyOf(r.toMap().keySet()));
        assertThrows(IndexOutOfBoundsException.class, () -> sample().row(4));
    }
}
