package dev.mlops.benchmarks;

import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.Batching;
import dev.mlops.serving.ModelEngine;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micro-batching under 16 concurrent callers of {@code predict(Map)} on one predictor: with batching (up to 64 rows,
 * 1 ms delay) against the same predictor without it. Sample mode reports throughput and the latency percentiles
 * (p50, p99). Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ServingBatchingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(16)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true"})
public class ServingBatchingBenchmark {
    private Path dir;
    private Predictor plain;
    private Predictor batched;
    private Map<String, Object> row;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bench-batching");
        ModelPackage pkg = ServingModels.logistic30(dir.resolve("pkg"));
        plain = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).build();
        batched = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX)
                .batching(Batching.defaults().withBatch(64, Duration.ofMillis(1))).build();
        float[] values = ServingModels.rows(1, 5)[0];
        row = new LinkedHashMap<>();
        for (int i = 0; i < ServingModels.FEATURES; i++) {
            row.put(String.format("f%02d", i), (double) values[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        plain.close();
        batched.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** Each caller runs its own single-row inference. */
    @Benchmark
    public Object unbatched() {
        return plain.predict(row);
    }

    /** Callers' rows are coalesced into batches. */
    @Benchmark
    public Object batched() {
        return batched.predict(row);
    }
}
