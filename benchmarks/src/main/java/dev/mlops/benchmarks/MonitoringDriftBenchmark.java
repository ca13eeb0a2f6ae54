package dev.mlops.benchmarks;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.DriftDetector;
import dev.mlops.monitoring.Monitoring;
import dev.mlops.monitoring.drift.DriftMethod;
import dev.mlops.monitoring.drift.DriftReport;
import java.util.Arrays;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Drift of 20 numeric columns, 1M reference rows against 1M current rows (reference {@code N(0,1)}, current
 * {@code N(0.02, 1.05^2)}, as in the engine baselines): exact with Evidently's default choice (the normed Wasserstein
 * distance above 1000 rows), exact Kolmogorov-Smirnov, exact against a reference prepared once (values sorted, as a
 * monitor reuses it for every window), and from stored profiles (reference profile against raw current rows, and
 * profile against profile). The baseline in the same run is the Java floor of an exact two-sample test: copy and sort
 * both columns and walk them once for the KS statistic. Each benchmark prints its peak heap per iteration
 * ({@code [peak heap]} lines) next to the heap the data already hold. Run:
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar MonitoringDriftBenchmark
 * </pre>
 *
 * <p>For scale: Evidently took 23 minutes for 100 columns of 356k rows; SciPy's KS plus Wasserstein take 37 to 45 s
 * for these 20 columns on the 2-core build machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class MonitoringDriftBenchmark {
    static final int COLUMNS = 20;

    @Param({"1000000"})
    public int rows;

    private Frame reference;
    private Frame current;
    private DatasetProfile referenceProfile;
    private DatasetProfile currentProfile;
    private DriftDetector.Reference prepared;
    private DriftDetector ks;
    private double dataMiB;

    @Setup(Level.Trial)
    public void createData() {
        Random rnd = new Random(1);
        Frame.Builder r = Frame.builder();
        Frame.Builder c = Frame.builder();
        for (int k = 0; k < COLUMNS; k++) {
            double[] a = new double[rows];
            double[] b = new double[rows];
            for (int i = 0; i < rows; i++) {
                a[i] = rnd.nextGaussian();
                b[i] = 0.02 + 1.05 * rnd.nextGaussian();
            }
            r.doubles("f" + k, a);
            c.doubles("f" + k, b);
        }
        reference = r.build();
        current = c.build();
        referenceProfile = Monitoring.profile(reference);
        currentProfile = Monitoring.profile(current);
        prepared = DriftDetector.defaults().reference(reference);
        ks = DriftDetector.builder().method(DataType.DOUBLE, DriftMethod.KOLMOGOROV_SMIRNOV).build();
        MonitoringHeap.reset();
        dataMiB = MonitoringHeap.peakMiB();
    }

    @Setup(Level.Iteration)
    public void resetPeak() {
        MonitoringHeap.reset();
    }

    @TearDown(Level.Iteration)
    public void reportPeak(BenchmarkParams params) {
        MonitoringHeap.report(params.getBenchmark(), dataMiB);
    }

    /** The library, exact, default methods (normed Wasserstein for these columns), reference sorted on each call. */
    @Benchmark
    public DriftReport exactDefault() {
        return DriftDetector.defaults().compare(reference, current);
    }

    /** The library, exact two-sample KS with p-values (asymptotic above 10,000 rows). */
    @Benchmark
    public DriftReport exactKolmogorovSmirnov() {
        return ks.compare(reference, current);
    }

    /** The library, exact, against a reference prepared once: only the current window is sorted. */
    @Benchmark
    public DriftReport exactPreparedReference() {
        return DriftDetector.defaults().compare(prepared, current);
    }

    /** The library, from the stored reference profile (no raw reference rows) against raw current rows. */
    @Benchmark
    public DriftReport storedProfileAgainstRows() {
        return DriftDetector.defaults().compare(referenceProfile, current);
    }

    /** The library, from two stored profiles: no raw rows on either side. */
    @Benchmark
    public DriftReport storedProfileAgainstProfile() {
        return DriftDetector.defaults().compare(referenceProfile, currentProfile);
    }

    /** Baseline, the Java floor: copy and sort both columns, one merge walk for the KS statistic. */
    @Benchmark
    public double baselineSortAndWalk() {
        double sum = 0;
        for (int k = 0; k < COLUMNS; k++) {
            double[] a = reference.doubleColumn("f" + k).toArray(Double.NaN);
            double[] b = current.doubleColumn("f" + k).toArray(Double.NaN);
            Arrays.sort(a);
            Arrays.sort(b);
            int i = 0;
            int j = 0;
            double d = 0;
            while (i < a.length && j < b.length) {
                if (a[i] <= b[j]) {
                    i++;
                } else {
                    j++;
                }
                d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
            }
            sum += d;
        }
        return sum;
    }
}
