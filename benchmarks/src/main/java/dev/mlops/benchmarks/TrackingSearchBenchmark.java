package dev.mlops.benchmarks;

import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * Search over 10,000 runs with 20 metrics and 10 params each: {@code metrics.auc > 0.9 and params.model = 'sgd'}
 * ordered by {@code metrics.auc DESC}, returning run objects with all their params, metrics and tags. The baseline
 * is the bare SQL query on the same database that returns only (run id, name, auc) rows, with no object mapping.
 * About 4% of the runs match (about 400). The data is loaded once per fork through the library. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TrackingSearchBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrackingSearchBenchmark {
    private static final int RUNS = 10_000;
    private static final String[] MODELS = {"sgd", "cart", "xgb", "fm", "rf"};

    @Param({"100", "1000"})
    public int maxResults;

    private Path dir;
    private Tracking tracking;
    private Experiment experiment;
    private Connection bare;

    @Setup(Level.Trial)
    public void load() throws IOException, SQLException {
        dir = Files.createTempDirectory("bench-search");
        tracking = Tracking.builder().root(dir).queueCapacity(1_000_000).build();
        experiment = tracking.experiment("search");
        Random rnd = new Random(42);
        for (int r = 0; r < RUNS; r++) {
            var run = experiment.startRun("run-" + r);
            run.logParam("model", MODELS[rnd.nextInt(MODELS.length)]);
            for (int p = 1; p < 10; p++) {
                run.logParam("param_" + p, Integer.toString(rnd.nextInt(100)));
            }
            run.logMetric("auc", 0.5 + rnd.nextDouble() / 2, 0);
            for (int m = 1; m < 20; m++) {
                run.logMetric("metric_" + m, rnd.nextDouble(), 0);
            }
            run.setTag("team", "risk");
        }
        tracking.flush();
        bare = SqliteFixtures.open(dir.resolve("tracking.db"));
        try (var s = bare.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        bare.close();
        tracking.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** The library: parse, plan, query, page, and map every run with its data. */
    @Benchmark
    public List<RunInfo> searchRuns() {
        return tracking.searchRuns(experiment, "metrics.auc > 0.9 and params.model = 'sgd'", "metrics.auc DESC",
                maxResults);
    }

    /** The baseline: the bare join on the same tables, returning ids, names and values only. */
    @Benchmark
    public List<String> bareSql() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = bare.prepareStatement("SELECT r.run_id, r.name, m.value FROM runs r "
                + "JOIN latest_metrics m ON m.run_id = r.run_id AND m.key = 'auc' "
                + "JOIN params p ON p.run_id = r.run_id AND p.key = 'model' "
                + "WHERE r.experiment_id = ? AND m.value > ? AND p.value = ? ORDER BY m.value DESC, r.run_id LIMIT ?")) {
            ps.setString(1, experiment.id());
            ps.setDouble(2, 0.9);
            ps.setString(3, "sgd");
            ps.setInt(4, maxResults);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
