package dev.mlops.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.ModelEngine;
import dev.mlops.serving.Predictor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * The predictor's overhead over a bare ONNX Runtime session on the same model (a 30-feature logistic regression
 * exported by Tribuo) and the same rows: {@code predictorDense} against {@code rawOrt} at batch 1 and 64, both
 * building the input tensor from {@code float[][]} and reading the output back. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ServingOverheadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true"})
public class ServingOverheadBenchmark {
    @Param({"1", "64"})
    public int batch;

    private Path dir;
    private Predictor predictor;
    private OrtEnvironment env;
    private OrtSession session;
    private float[][] rows;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OrtException {
        dir = Files.createTempDirectory("bench-serving");
        ModelPackage pkg = ServingModels.logistic30(dir.resolve("pkg"));
        predictor = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).build();
        env = OrtEnvironment.getEnvironment(); // after the predictor, which lets DJL create the environment first
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(pkg.file("model/model.onnx").toString(), options);
        rows = ServingModels.rows(batch, 11);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, OrtException {
        session.close();
        predictor.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** The library: {@code Predictor.predictDense}. */
    @Benchmark
    public float[][] predictorDense() {
        return predictor.predictDense(rows);
    }

    /** The baseline: the same work straight on an ONNX Runtime session. */
    @Benchmark
    public float[][] rawOrt() throws OrtException {
        int n = rows.length;
        int d = ServingModels.FEATURES;
        FloatBuffer buffer = FloatBuffer.allocate(n * d);
        for (float[] r : rows) {
            buffer.put(r, 0, d);
        }
        buffer.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, d});
                OrtSession.Result result = session.run(Map.of("input", tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            int k = out.remaining() / n;
            float[][] scores = new float[n][k];
            for (int r = 0; r < n; r++) {
                out.get(scores[r]);
            }
            return scores;
        }
    }
}
