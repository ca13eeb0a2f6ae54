package dev.mlops.benchmarks;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.PipelineRun;
import dev.mlops.features.Source;
import dev.mlops.features.TrainingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A point-in-time training set: 1M entity rows (100k entities, times uniform over 2024) against 5M feature rows of 10
 * double features, with a 30-day TTL, each method returning the 10 feature columns in entity-row order.
 *
 * <ul>
 *   <li>{@code library}: {@link FeatureStore#trainingSet} into a {@link Frame} (entity rows appended to the engine,
 *       the ASOF join with created-time tie-break and TTL, results streamed into columns).</li>
 *   <li>{@code duckdbAsofByHand}: the same join written by hand on a bare DuckDB connection holding the same rows
 *       (entity rows appended, {@code ASOF LEFT JOIN} with the TTL as a {@code CASE}, results read into arrays): the
 *       library's overhead is the ratio to this.</li>
 *   <li>{@code javaSortMerge}: a sort-merge join in plain Java over feature arrays sorted once at set-up (the entity
 *       rows are sorted in each call).</li>
 * </ul>
 *
 * Each iteration prints the peak heap it used. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FeatureTrainingSet -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class FeatureTrainingSetBenchmark {
    private static final int FEATURES = 10;
    private static final long YEAR_SECONDS = 31_536_000L;
    private static final long TTL_SECONDS = 30L * 86_400;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    @Param("5000000")
    public int featureRows;

    @Param("1000000")
    public int entityRows;

    @Param("100000")
    public int entities;

    private Path dir;
    private FeatureStore store;
    private Frame entityFrame;
    private long[] entityIds;
    private long[] entitySeconds;
    private DuckDBConnection bare;
    private long[] sortedKeys;
    private double[][] sortedValues;
    private double heldMiB;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("bench-features");
        Path parquet = dir.resolve("features.parquet");
        StringBuilder cols = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            cols.append(", random() AS f").append(f);
        }
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        bare = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
        try (Statement s = bare.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SELECT setseed(0.42)");
            s.execute("COPY (SELECT (random() * " + entities + ")::BIGINT AS entity_id, TIMESTAMP '2024-01-01' + "
                    + "to_seconds((random() * " + YEAR_SECONDS + ")::BIGINT) AS event_ts" + cols + " FROM range("
                    + featureRows + ")) TO '" + parquet + "' (FORMAT parquet)");
            s.execute("CREATE TABLE features AS SELECT * FROM read_parquet('" + parquet + "')");
        }

        store = FeatureStore.builder().root(dir.resolve("store")).progress(ProgressListener.noop()).build();
        store.apply(Entity.builder("ent").joinKey("entity_id", DataType.LONG).build());
        FeatureView.Builder view = FeatureView.builder("feats").entity("ent").timestampColumn("event_ts")
                .ttl(Duration.ofSeconds(TTL_SECONDS));
        for (int f = 0; f < FEATURES; f++) {
            view.feature("f" + f, DataType.DOUBLE);
        }
        store.apply(view.build());
        store.apply(FeatureService.builder("svc").view("feats").build());
        long began = System.nanoTime();
        PipelineRun run = store.pipeline("ingest").from(Source.parquet(parquet)).deduplicate("entity_id", "event_ts")
                .into("feats").run();
        System.out.printf(Locale.ROOT, "%n[setup] pipeline wrote %d feature rows in %.1f s%n", run.rowsWritten(),
                (System.nanoTime() - began) / 1e9);

        Random rnd = new Random(42);
        entityIds = new long[entityRows];
        entitySeconds = new long[entityRows];
        Instant[] times = new Instant[entityRows];
        for (int i = 0; i < entityRows; i++) {
            entityIds[i] = rnd.nextInt(entities);
            entitySeconds[i] = (long) (rnd.nextDouble() * YEAR_SECONDS);
            times[i] = START.plusSeconds(entitySeconds[i]);
        }
        entityFrame = Frame.builder().longs("entity_id", entityIds).timestamps("event_timestamp", times).build();

        // The Java baseline's feature arrays, sorted by (entity, time) once.
        sortedKeys = new long[featureRows];
        sortedValues = new double[FEATURES][featureRows];
        try (Statement s = bare.createStatement(); ResultSet rs = s.executeQuery("SELECT entity_id, "
                + "epoch(event_ts)::BIGINT - epoch(TIMESTAMP '2024-01-01')::BIGINT" + cols.toString()
                .replaceAll(", random\\(\\) AS (f\\d+)", ", $1") + " FROM features ORDER BY 1, 2")) {
            int i = 0;
            while (rs.next()) {
                sortedKeys[i] = (rs.getLong(1) << 32) | rs.getLong(2);
                for (int f = 0; f < FEATURES; f++) {
                    sortedValues[f][i] = rs.getDouble(3 + f);
                }
                i++;
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        store.close();
        bare.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    @Setup(Level.Iteration)
    public void resetHeap() {
        MonitoringHeap.reset();
        heldMiB = MonitoringHeap.peakMiB();
    }

    @TearDown(Level.Iteration)
    public void reportHeap(BenchmarkParams params) {
        MonitoringHeap.report(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1), heldMiB);
    }

    /** The library: a point-in-time-correct training set as a frame. */
    @Benchmark
    public Frame library() {
        TrainingSet ts = store.trainingSet(entityFrame, "svc");
        return ts.frame();
    }

    /** The baseline: DuckDB's ASOF JOIN written by hand, with the TTL, read into arrays in entity-row order. */
    @Benchmark
    public double[][] duckdbAsofByHand() throws SQLException {
        double[][] out = new double[FEATURES][entityRows];
        try (DuckDBConnection c = (DuckDBConnection) bare.duplicate(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE ents (row_id BIGINT, entity_id BIGINT, ts TIMESTAMP)");
            try (DuckDBAppender a = c.createAppender("temp", "main", "ents")) {
                for (int i = 0; i < entityRows; i++) {
                    a.beginRow();
                    a.append((long) i);
                    a.append(entityIds[i]);
                    a.appendEpochMicros((START.getEpochSecond() + entitySeconds[i]) * 1_000_000L);
                    a.endRow();
                }
            }
            StringBuilder select = new StringBuilder("SELECT e.row_id");
            for (int f = 0; f < FEATURES; f++) {
                select.append(", CASE WHEN f.event_ts >= e.ts - INTERVAL 30 DAY THEN f.f").append(f).append(" END");
            }
            try (ResultSet rs = s.executeQuery(select + " FROM ents e ASOF LEFT JOIN features f "
                    + "ON e.entity_id = f.entity_id AND e.ts >= f.event_ts")) {
                while (rs.next()) {
                    int row = (int) rs.getLong(1);
                    for (int f = 0; f < FEATURES; f++) {
                        double v = rs.getDouble(2 + f);
                        out[f][row] = rs.wasNull() ? Double.NaN : v;
                    }
                }
            }
        }
        return out;
    }

    /** The baseline: a sort-merge join in plain Java over pre-sorted feature arrays. */
    @Benchmark
    public double[][] javaSortMerge() {
        int n = entityRows;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = (entityIds[i] << 45) | (entitySeconds[i] << 20) | i; // 17 + 25 + 20 bits
        }
        Arrays.sort(order);
        double[][] out = new double[FEATURES][n];
        int j = 0;
        for (long packed : order) {
            int row = (int) (packed & 0xFFFFF);
            long entity = packed >>> 45;
            long seconds = (packed >>> 20) & 0x1FFFFFF;
            long key = (entity << 32) | seconds;
            while (j < sortedKeys.length && sortedKeys[j] <= key) {
                j++;
            }
            int match = j - 1;
            boolean found = match >= 0 && (sortedKeys[match] >>> 32) == entity
                    && seconds - (sortedKeys[match] & 0xFFFFFFFFL) <= TTL_SECONDS;
            for (int f = 0; f < FEATURES; f++) {
                out[f][row] = found ? sortedValues[f][match] : Double.NaN;
            }
        }
        return out;
    }
}
