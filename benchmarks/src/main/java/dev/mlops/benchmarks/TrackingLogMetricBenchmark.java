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
 * The caller-side cost of {@code Run.logMetric}: the time a training loop spends per logged value, against a
 * synchronous JDBC insert per metric (autocommit, the same SQLite settings, a table without indexes).
 *
 * <p>Each measurement logs {@value #BATCH} values, fewer than the logging queue holds, so the writer thread never
 * pushes back and the figure is what the caller pays; the queue is flushed between measurements. Divide the
 * reported time by {@value #BATCH} for the cost per call. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TrackingLogMetricBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = TrackingLogMetricBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = TrackingLogMetricBenchmark.BATCH)
@Fork(1)
public class TrackingLogMetricBenchmark {
    static final int BATCH = 20_000;

    private Path dir;
    private Tracking tracking;
    private Run run;
    private Connection bare;
    private PreparedStatement insert;
    private long step;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("bench-log");
        tracking = Tracking.builder().root(dir.resolve("store")).queueCapacity(4 * BATCH).build();
        run = tracking.experiment("bench").startRun("logMetric");
        bare = SqliteFixtures.open(dir.resolve("bare.db"));
        SqliteFixtures.createBareMetricsTable(bare);
        insert = bare.prepareStatement(
                "INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)");
    }

    @TearDown(Level.Iteration)
    public void drain() {
        tracking.flush();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        run.close();
        tracking.close();
        insert.close();
        bare.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** The library: validation, timestamp, and a hand-off to the writer queue. */
    @Benchmark
    public void logMetric() {
        long s = step++;
        run.logMetric("loss", 1.0 / (s + 1), s);
    }

    /** The baseline: one synchronous, autocommitted JDBC insert per metric. */
    @Benchmark
    public void jdbcInsertPerMetric() throws SQLException {
        long s = step++;
        insert.setString(1, "0123456789abcdef0123456789abcdef");
        insert.setString(2, "loss");
        insert.setDouble(3, 1.0 / (s + 1));
        insert.setLong(4, System.currentTimeMillis());
        insert.setLong(5, s);
        insert.executeUpdate();
    }
}
