package dev.mlops.benchmarks;

import dev.mlops.api.Frame;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Profiler;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Profiling throughput for 20 numeric columns: {@link Profiler#profile(Frame)} (counts, moments, KLL quantiles,
 * HyperLogLog distinct counts, exact small-value counts, and with correlations the 190 pairwise co-moments) against
 * two baselines in the same run: copying every column's values out of the frame (the least any profiler must do),
 * and sorting them (what an exact, non-sketch profile of quantiles would cost). Rows per second =
 * {@code rows / reported seconds}. Run:
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar MonitoringProfileBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MonitoringProfileBenchmark {
    static final int COLUMNS = 20;

    @Param({"1000000"})
    public int rows;

    private Frame frame;
    private Profiler withoutCorrelations;

    @Setup(Level.Trial)
    public void createData() {
        Random rnd = new Random(1);
        Frame.Builder b = Frame.builder();
        for (int c = 0; c < COLUMNS; c++) {
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = rnd.nextGaussian() * (c + 1) + c;
            }
            b.doubles("f" + c, v);
        }
        frame = b.build();
        withoutCorrelations = Profiler.builder().correlations(false).build();
    }

    /** The library with its defaults, correlations included. */
    @Benchmark
    public DatasetProfile profile() {
        return Profiler.defaults().profile(frame);
    }

    /** The library without correlations: the per-column sketches only. */
    @Benchmark
    public DatasetProfile profileWithoutCorrelations() {
        return withoutCorrelations.profile(frame);
    }

    /** Baseline: copy every column's values into a fresh array. */
    @Benchmark
    public void baselineCopyValues(Blackhole bh) {
        for (int c = 0; c < COLUMNS; c++) {
            bh.consume(frame.doubleColumn("f" + c).toArray(Double.NaN));
        }
    }

    /** Baseline: copy and sort every column, the price of exact quantiles. */
    @Benchmark
    public void baselineSortValues(Blackhole bh) {
        for (int c = 0; c < COLUMNS; c++) {
            double[] v = frame.doubleColumn("f" + c).toArray(Double.NaN);
            java.util.Arrays.sort(v);
            bh.consume(v);
        }
    }
}
