package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property tests over seeded random frames: every case names its seed, and {@code -Dmlops.seed=...} changes the
 * base seed.
 */
class FramePropertyTest {
    private static final int CASES = 300;

    private static Stream<DynamicTest> cases(String property, Consumer<Random> check) {
        return IntStream.range(0, CASES).mapToObj(i -> {
            long seed = RandomFrames.BASE_SEED + i;
            return DynamicTest.dynamicTest(property + " [seed " + seed + "]", () -> check.accept(new Random(seed)));
        });
    }

    @TestFactory
    Stream<DynamicTest> csvRoundTripWithSchemaIsExact() {
        return cases("csv round trip", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            StringWriter w = new StringWriter();
            f.writeCsv(w, CsvOptions.defaults());
            Frame back = Frame.readCsv(new StringReader(w.toString()), CsvOptions.defaults().withSchema(f.schema()));
            assertEquals(f, back, () -> "CSV was:\n" + w);
            assertEquals(f.digest(), back.digest());
        });
    }

    @TestFactory
    Stream<DynamicTest> csvRoundTripWithOtherDelimiter() {
        return cases("csv round trip with ';'", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            CsvOptions semicolon = CsvOptions.defaults().withDelimiter(';');
            StringWriter w = new StringWriter();
            f.writeCsv(w, semicolon);
            assertEquals(f, Frame.readCsv(new StringReader(w.toString()), semicolon.withSchema(f.schema())),
                    () -> "CSV was:\n" + w);
        });
    }

    @TestFactory
    Stream<DynamicTest> jsonLinesRoundTripWithSchemaIsExact() {
        return cases("json lines round trip", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            StringWriter w = new StringWriter();
            f.writeJsonLines(w);
            Frame back = Frame.readJsonLines(new StringReader(w.toString()), f.schema());
            assertEquals(f, back, () -> "JSON lines were:\n" + w);
        });
    }

    @TestFactory
    Stream<DynamicTest> digestIsEqualIffFramesAreEqual() {
        return cases("digest equal iff frames equal", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            Frame copy = rebuild(f);
            assertEquals(f, copy);
            assertEquals(f.hashCode(), copy.hashCode());
            assertEquals(f.digest(), copy.digest());

            Frame changed = mutate(f, rnd);
            assertNotEquals(f, changed, "the mutation must change the frame");
            assertNotEquals(f.digest(), changed.digest(), "a different frame must have a different digest");
        });
    }

    @TestFactory
    Stream<DynamicTest> sortOrdersRowsAndKeepsThem() {
        return cases("sort", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            String key = f.schema().field(rnd.nextInt(f.columnCount())).name();
            boolean asc = rnd.nextBoolean();
            Frame sorted = f.sort(asc ? SortKey.asc(key) : SortKey.desc(key));
            assertEquals(f.rowCount(), sorted.rowCount());
            Column c = sorted.column(key);
            for (int r = 1; r < c.size(); r++) {
                if (c.isNull(r - 1)) {
                    assertTrue(c.isNull(r), "nulls sort last");
                } else if (!c.isNull(r)) {
                    int cmp = c.compareRows(r - 1, r);
                    assertTrue(asc ? cmp <= 0 : cmp >= 0, "rows " + (r - 1) + " and " + r + " out of order");
                }
            }
            assertEquals(multiset(f), multiset(sorted), "sorting must keep every row");
        });
    }

    @TestFactory
    Stream<DynamicTest> sliceAndConcatAreInverse() {
        return cases("slice then concat", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            int cut = f.rowCount() == 0 ? 0 : rnd.nextInt(f.rowCount() + 1);
            Frame joined = f.slice(0, cut).concat(f.slice(cut, f.rowCount()));
            assertEquals(f, joined);
            assertEquals(f.digest(), joined.digest());
        });
    }

    @TestFactory
    Stream<DynamicTest> filterKeepsExactlyTheMatchingRows() {
        return cases("filter", rnd -> {
            Frame f = RandomFrames.frame(rnd);
            String col = f.schema().field(0).name();
            Frame kept = f.filter(r -> !r.isNull(col));
            Frame dropped = f.filter(r -> r.isNull(col));
            assertEquals(f.rowCount(), kept.rowCount() + dropped.rowCount());
            assertEquals(0, kept.column(col).nullCount());
            assertEquals(dropped.rowCount(), dropped.column(col).nullCount());
        });
    }

    /** Rebuilds a frame cell by cell, sharing nothing with the original. */
    static Frame rebuild(Frame f) {
        Frame.RowBuilder b = Frame.rowBuilder(f.schema());
        for (Row r : f) {
            b.row(r.toMap());
        }
        return b.build();
    }

    /** Changes exactly one thing: a name, nullability, a cell, or the row count. */
    static Frame mutate(Frame f, Random rnd) {
        int c = rnd.nextInt(f.columnCount());
        Field field = f.schema().field(c);
        int choice = rnd.nextInt(4);
        if (choice == 0) {
            return f.rename(field.name(), field.name() + "'");
        }
        if (choice == 1 && (field.nullable() ? f.column(c).nullCount() == 0 : true)) {
            return f.withColumn(new Field(field.name(), field.type(), !field.nullable()), f.column(c));
        }
        if (f.rowCount() == 0 || choice == 2) {
            Object[] row = new Object[f.columnCount()];
            for (int k = 0; k < row.length; k++) {
                row[k] = RandomFrames.value(rnd, f.schema().field(k).type());
            }
            return f.concat(Frame.rowBuilder(f.schema()).row(row).build());
        }
        int r = rnd.nextInt(f.rowCount());
        Frame.RowBuilder b = Frame.rowBuilder(f.schema());
        for (Row row : f) {
            Object[] values = row.toMap().values().toArray();
            if (row.index() == r) {
                Object old = values[c];
                Object fresh = old;
                for (int tries = 0; tries < 100 && sameCell(old, fresh); tries++) {
                    fresh = field.nullable() && rnd.nextInt(4) == 0 ? null : RandomFrames.value(rnd, field.type());
                }
                values[c] = fresh;
            }
            b.row(values);
        }
        return b.build();
    }

    private static boolean sameCell(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
        }
        return a == null ? b == null : a.equals(b);
    }

    private static List<String> multiset(Frame f) {
        List<String> rows = new ArrayList<>();
        for (Row r : f) {
            rows.add(r.toMap().toString());
        }
        rows.sort(null);
        return rows;
    }
}
