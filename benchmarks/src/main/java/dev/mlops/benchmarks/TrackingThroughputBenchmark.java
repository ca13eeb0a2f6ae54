package dev.mlops.benchmarks;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable throughput to SQLite: the time until {@value #METRICS} logged metrics (10 keys x 10,000 steps) are
 * committed and {@code flush()} returns, against a raw batched JDBC insert of the same rows into a bare table
 * (batches of 1000, a commit per batch, WAL with synchronous NORMAL). Each measurement starts on a new database.
 * Metrics per second = {@value #METRICS} / reported seconds. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TrackingThroughputBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class TrackingThroughputBenchmark {
    static final int METRICS = 100_000;
    private static final int KEYS = 10;

    private Path dir;
    private Tracking tracking;
    private Run run;
    private Connection bare;

    @Setup(Level.Iteration)
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("bench-throughput");
        tracking = Tracking.builder().root(dir.resolve("store")).queueCapacity(METRICS).build();
        run = tracking.experiment("bench").startRun("throughput");
        bare = SqliteFixtures.open(dir.resolve("bare.db"));
        SqliteFixtures.createBareMetricsTable(bare);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException, SQLException {
        run.close();
        tracking.close();
        bare.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** The library: log every value, then flush until durable. */
    @Benchmark
    public void trackingLogAndFlush() {
        for (int step = 0; step < METRICS / KEYS; step++) {
            for (int k = 0; k < KEYS; k++) {
                run.logMetric("metric_" + k, step * 0.001 + k, step);
            }
        }
        tracking.flush();
    }

    /** The baseline: the same rows through a prepared statement in batches of 1000, committed per batch. */
    @Benchmark
    public void rawBatchedInsert() throws SQLException {
        bare.setAutoCommit(false);
        long now = System.currentTimeMillis();
        try (PreparedStatement ps = bare.prepareStatement(
                "INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)")) {
            int pending = 0;
            for (int step = 0; step < METRICS / KEYS; step++) {
                for (int k = 0; k < KEYS; k++) {
                    ps.setString(1, "0123456789abcdef0123456789abcdef");
                    ps.setString(2, "metric_" + k);
                    ps.setDouble(3, step * 0.001 + k);
                    ps.setLong(4, now);
                    ps.setLong(5, step);
                    ps.addBatch();
                    if (++pending == 1000) {
                        ps.executeBatch();
                        bare.commit();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                ps.executeBatch();
                bare.commit();
            }
        }
    }
}
