package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Row;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines: sources, steps, incremental and idempotent runs, atomic failure and clear errors. */
class PipelineTest {
    @TempDir
    Path dir;

    FeatureStore store;

    @BeforeEach
    void open() {
        store = Fixtures.embedded(dir.resolve("store"), new ManualTimeSource(Fixtures.T0)).build();
        store.apply(Entity.builder("account").joinKey("account_id", DataType.LONG).build());
        store.apply(FeatureView.builder("spend").entity("account").timestampColumn("ts")
                .feature("amount", DataType.DOUBLE).feature("amount_sum_2d", DataType.DOUBLE)
                .feature("tx_count_2d", DataType.LONG).feature("segment", DataType.STRING).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Transactions: one per account and hour, with a duplicate row and a refund to filter out. */
    private Path transactions(int hours) throws Exception {
        StringBuilder csv = new StringBuilder("account_id,ts,amount,merchant\n");
        Random rnd = new Random(7);
        for (int h = 0; h < hours; h++) {
            for (int a = 1; a <= 3; a++) {
                csv.append(a).append(',').append(Fixtures.t(h * 3600L)).append(',')
                        .append(Math.round(rnd.nextDouble() * 10000) / 100.0).append(",m").append(a).append('\n');
            }
        }
        csv.append("2,").append(Fixtures.t(0)).append(",-5.0,refund\n");
        Path file = dir.resolve("tx-" + hours + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    private Pipeline spend(Source source) {
        Frame segments = Frame.builder().longs("account_id", 1, 2, 3).strings("segment", "gold", "silver", null).build();
        return store.pipeline("spend_features").from(source)
                .filter("amount > 0")
                .aggregate("account_id", Aggregation.sum("amount", Duration.ofDays(2)),
                        Aggregation.count(Duration.ofDays(2)).as("tx_count_2d"))
                .join(Source.frame("segments", segments), "account_id")
                .into("spend");
    }

    /** The reference: per account and row, the sum and count of the account's rows in (t - 2 days, t]. */
    private static void checkAggregates(Frame rows) {
        for (Row r : rows) {
            long account = r.getLong("account_id");
            Instant t = r.getInstant("ts");
            double sum = 0;
            long count = 0;
            for (Row o : rows) {
                Instant u = o.getInstant("ts");
                if (o.getLong("account_id") == account && !u.isAfter(t) && u.isAfter(t.minus(Duration.ofDays(2)))) {
                    sum += o.getDouble("amount");
                    count++;
                }
            }
            assertEquals(sum, r.getDouble("amount_sum_2d"), 1e-9, r.toString());
            assertEquals(count, r.getLong("tx_count_2d"), r.toString());
        }
    }

    @Test
    void csvPipelineFiltersAggregatesAndJoins() throws Exception {
        PipelineRun run = spend(Source.csv(transactions(72))).run();
        assertEquals(216, run.rowsWritten());
        assertEquals(Fixtures.t(71 * 3600L), run.watermark());
        Frame rows = store.offlineRows("spend");
        assertEquals(216, rows.rowCount());
        assertTrue(rows.doubleColumn("amount").stream().allMatch(a -> a > 0), "the refund is filtered out");
        checkAggregates(rows);
        assertEquals("gold", rows.column("segment").get(0));
        assertNull(rows.filter(r -> r.getLong("account_id") == 3).column("segment").get(0));
    }

    @Test
    void incrementalRunsEqualOneFullRunAndRerunsChangeNothing() throws Exception {
        Path file = transactions(72);
        // Incremental in three steps, with look-back for the 2-day windows.
        Pipeline p = spend(Source.csv(file));
        assertEquals(72, p.runUntil(Fixtures.t(23 * 3600L)).rowsWritten());
        assertEquals(Fixtures.t(23 * 3600L), p.watermark().orElseThrow());
        PipelineRun second = p.runUntil(Fixtures.t(47 * 3600L));
        assertEquals(Fixtures.t(23 * 3600L), second.windowStart());
        assertEquals(72, second.rowsWritten());
        assertEquals(72, p.run().rowsWritten());
        Frame incremental = store.offlineRows("spend");
        assertTrue(p.run().isEmpty(), "nothing new after the watermark");
        assertEquals(incremental, store.offlineRows("spend"));

        // The same window again replaces its rows with identical ones: no duplicates.
        assertEquals(72, p.backfill(Fixtures.t(23 * 3600L), Fixtures.t(47 * 3600L)).rowsWritten());
        assertEquals(incremental, store.offlineRows("spend"));
        assertEquals(216, p.backfill(null, Fixtures.t(71 * 3600L)).rowsWritten());
        assertEquals(incremental, store.offlineRows("spend"), "a full recomputation gives the same rows");
        checkAggregates(incremental);

        ConflictException back = assertThrows(ConflictException.class, () -> p.runUntil(Fixtures.t(3600)));
        assertTrue(back.getMessage().contains("'spend_features'") && back.getMessage().contains("'spend'"),
                back.getMessage());
        assertEquals(Fixtures.t(71 * 3600L), p.watermark().orElseThrow(), "the watermark never moves back");
    }

    @Test
    void aFailingRunLeavesNoPartialOutput() throws Exception {
        Pipeline good = spend(Source.csv(transactions(24)));
        good.run();
        Frame before = store.offlineRows("spend");
        Instant watermark = good.watermark().orElseThrow();
        // A cast that fails on the last rows only: the engine has produced output before it fails.
        Frame bad = Frame.builder().longs("account_id", 1, 1, 1).timestamps("ts", Fixtures.t(100_000),
                Fixtures.t(100_001), Fixtures.t(100_002)).strings("raw", "1.5", "2.5", "oops").build();
        Pipeline failing = store.pipeline("spend_features").from(Source.frame("late", bad))
                .derive("amount", "CAST(raw AS DOUBLE)").derive("amount_sum_2d", "amount")
                .derive("tx_count_2d", "1").derive("segment", "'x'").into("spend");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, failing::run);
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
        assertEquals(before, store.offlineRows("spend"), "nothing changed");
        assertEquals(watermark, good.watermark().orElseThrow(), "the watermark did not move");
    }

    @Test
    void schemaMismatchesNameThePipelineTheViewAndTheColumn() throws Exception {
        Path file = transactions(3);
        InvalidArgumentException missing = assertThrows(InvalidArgumentException.class,
                () -> store.pipeline("p").from(Source.csv(file)).into("spend").run());
        assertTrue(missing.getMessage().contains("'p'") && missing.getMessage().contains("'spend'")
                && missing.getMessage().contains("'amount_sum_2d'"), missing.getMessage());
        InvalidArgumentException type = assertThrows(InvalidArgumentException.class,
                () -> store.pipeline("p").from(Source.csv(file)).derive("amount_sum_2d", "'text'")
                        .derive("tx_count_2d", "1").derive("segment", "merchant").into("spend").run());
        assertTrue(type.getMessage().contains("'amount_sum_2d'") && type.getMessage().contains("VARCHAR"),
                type.getMessage());
        InvalidArgumentException noTs = assertThrows(InvalidArgumentException.class,
                () -> store.pipeline("p").from(Source.csv(file)).rename("ts", "when").into("spend").run());
        assertTrue(noTs.getMessage().contains("'ts'"), noTs.getMessage());
        InvalidArgumentException badStep = assertThrows(InvalidArgumentException.class,
                () -> store.pipeline("p").from(Source.csv(file)).filter("no_such_column > 1").into("spend").run());
        assertTrue(badStep.getMessage().contains("step 1") && badStep.getMessage().contains("no_such_column"),
                badStep.getMessage());
        assertThrows(NotFoundException.class, () -> store.pipeline("p").from(Source.csv(dir.resolve("nope.csv")))
                .into("spend").run());
        assertEquals(0, store.offlineRows("spend").rowCount(), "nothing was written");
        assertFalse(store.pipeline("p").watermark().isPresent());
    }

    @Test
    void nullKeysAndConflictingDuplicatesAreRefused() {
        Frame nullKey = Frame.builder().column("account_id", dev.mlops.api.LongColumn.ofNullable(1L, null))
                .timestamps("ts", Fixtures.t(0), Fixtures.t(1)).doubles("amount", 1, 2).build();
        Pipeline p = store.pipeline("p").from(Source.frame("rows", nullKey)).derive("amount_sum_2d", "amount")
                .derive("tx_count_2d", "1").derive("segment", "'s'").into("spend");
        InvalidArgumentException nulls = assertThrows(InvalidArgumentException.class, p::run);
        assertTrue(nulls.getMessage().contains("'account_id'") && nulls.getMessage().contains("1 rows"),
                nulls.getMessage());
        Frame dup = Frame.builder().longs("account_id", 1, 1).timestamps("ts", Fixtures.t(0), Fixtures.t(0))
                .doubles("amount", 1, 2).build();
        Pipeline d = p.from(Source.frame("rows", dup));
        InvalidArgumentException conflict = assertThrows(InvalidArgumentException.class, d::run);
        assertTrue(conflict.getMessage().contains("deduplicate"), conflict.getMessage());
        PipelineRun deduped = d.deduplicate("account_id", "ts").run();
        assertEquals(1, deduped.rowsWritten());
        assertEquals(2.0, store.offlineRows("spend").column("amount").get(0), "the later source row wins");
    }

    @Test
    void parquetAndJdbcSourcesFeedTheSameSteps() throws Exception {
        Path parquet = dir.resolve("tx.parquet");
        Path csv = transactions(10);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + parquet + "' (FORMAT parquet)");
        }
        assertEquals(30, spend(Source.parquet(parquet)).run().rowsWritten());
        Frame fromParquet = store.offlineRows("spend");

        Path sqlite = dir.resolve("source.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tx (account_id INTEGER, ts TEXT, amount REAL, merchant TEXT)");
            for (Row r : Frame.readCsv(csv)) {
                s.execute("INSERT INTO tx VALUES (" + r.getLong("account_id") + ", '" + r.getInstant("ts") + "', "
                        + r.getDouble("amount") + ", '" + r.getString("merchant") + "')");
            }
        }
        store.delete(DefinitionKind.FEATURE_VIEW, "spend");
        store.apply(FeatureView.builder("spend").entity("account").timestampColumn("ts")
                .feature("amount", DataType.DOUBLE).feature("amount_sum_2d", DataType.DOUBLE)
                .feature("tx_count_2d", DataType.LONG).feature("segment", DataType.STRING).build());
        PipelineRun jdbc = store.pipeline("spend_from_db")
                .from(Source.jdbc("jdbc:sqlite:" + sqlite, "SELECT account_id, ts AS ts_text, amount FROM tx"))
                .derive("ts", "CAST(ts_text AS TIMESTAMPTZ)")
                .filter("amount > 0")
                .aggregate("account_id", Aggregation.sum("amount", Duration.ofDays(2)),
                        Aggregation.count(Duration.ofDays(2)).as("tx_count_2d"))
                .join(Source.frame("segments", Frame.builder().longs("account_id", 1, 2, 3)
                        .strings("segment", "gold", "silver", null).build()), "account_id")
                .into("spend").run();
        assertEquals(30, jdbc.rowsWritten());
        assertEquals(fromParquet, store.offlineRows("spend"));
    }

    @Test
    void windowAggregationsMatchAReferenceOverIrregularTimes() {
        store.apply(FeatureView.builder("stats").entity("account").timestampColumn("at")
                .feature("v_mean_90m", DataType.DOUBLE).feature("v_min_90m", DataType.DOUBLE)
                .feature("v_max_90m", DataType.DOUBLE).feature("v_count_90m", DataType.LONG)
                .feature("v_sum_90m", DataType.DOUBLE).build());
        Random rnd = new Random(99);
        int n = 400;
        long[] ids = new long[n];
        Instant[] at = new Instant[n];
        Double[] v = new Double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(4);
            at[i] = Fixtures.t(rnd.nextInt(600) * 60L + (rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(60)));
            v[i] = rnd.nextInt(8) == 0 ? null : (double) rnd.nextInt(1000);
        }
        Frame source = Frame.builder().longs("account_id", ids).timestamps("ts", at)
                .column("v", dev.mlops.api.DoubleColumn.ofNullable(v)).strings("extra", new String[n]).build();
        Duration w = Duration.ofMinutes(90);
        store.pipeline("stats").from(Source.frame("src", source)).rename("ts", "at").deduplicate("account_id", "at")
                .aggregate("account_id", Aggregation.mean("v", w), Aggregation.min("v", w), Aggregation.max("v", w),
                        Aggregation.count("v", w), Aggregation.sum("v", w))
                .select("account_id", "at", "v_mean_90m", "v_min_90m", "v_max_90m", "v_count_90m", "v_sum_90m")
                .into("stats").run();
        // The reference: the last source row per (account, time), then the window (t - 90 min, t] per account.
        java.util.Map<List<Object>, Integer> last = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            last.put(List.of(ids[i], at[i]), i);
        }
        Frame rows = store.offlineRows("stats");
        assertEquals(last.size(), rows.rowCount());
        for (Row r : rows) {
            long id = r.getLong("account_id");
            Instant t = r.getInstant("at");
            double sum = 0;
            long count = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i : last.values()) {
                if (ids[i] == id && !at[i].isAfter(t) && at[i].isAfter(t.minus(w)) && v[i] != null) {
                    sum += v[i];
                    count++;
                    min = Math.min(min, v[i]);
                    max = Math.max(max, v[i]);
                }
            }
            String where = r.toString();
            assertEquals(count, r.getLong("v_count_90m"), where);
            if (count == 0) {
                assertTrue(r.isNull("v_mean_90m") && r.isNull("v_min_90m") && r.isNull("v_sum_90m"), where);
            } else {
                assertEquals(sum / count, r.getDouble("v_mean_90m"), 1e-9, where);
                assertEquals(min, r.getDouble("v_min_90m"), where);
                assertEquals(max, r.getDouble("v_max_90m"), where);
                assertEquals(sum, r.getDouble("v_sum_90m"), 1e-9, where);
            }
        }
    }

    @Test
    void previewAndSqlShowTheStepsWithoutWriting() throws Exception {
        Pipeline p = spend(Source.csv(transactions(5)));
        Frame head = p.preview(4);
        assertEquals(4, head.rowCount());
        assertTrue(head.schema().contains("amount_sum_2d") && head.schema().contains("merchant"));
        String sql = p.sql();
        assertTrue(sql.contains("RANGE BETWEEN") && sql.contains("LEFT JOIN"), sql);
        assertEquals(0, store.offlineRows("spend").rowCount());
    }

    @Test
    void hostileExpressionsAndNamesAreRefusedWhenTheStepIsAdded() {
        Pipeline p = store.pipeline("p");
        for (String bad : List.of("1=1; DROP TABLE fv_spend", "amount) FROM fv_spend --", "1 /* x */",
                "amount > 0) OR (1=1", "'unclosed")) {
            assertThrows(InvalidArgumentException.class, () -> p.filter(bad), bad);
        }
        assertThrows(InvalidArgumentException.class, () -> p.derive("x\"; DROP TABLE t; --", "1"));
        assertThrows(InvalidArgumentException.class, () -> store.pipeline("../etc/passwd"));
        assertThrows(InvalidArgumentException.class, () -> p.into("Spend"));
        // Quotes inside literals are fine.
        List<String> fine = new ArrayList<>(List.of("merchant = 'o''brien; --'", "\"amount\" > (1)"));
        for (String ok : fine) {
            p.filter(ok);
        }
    }
}
