package dev.mlops.benchmarks;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.ModelUri;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.registry.ModelPackage;
import dev.mlops.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
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
 * Loading from the registry. {@code loadCached} and {@code loadThroughStore} load {@code models:/bench@champion},
 * an already-verified package: the first reuses the cached resolution, the second resolves alias and version
 * through the database every time. {@code verify8MiB} opens (and so hashes) a package holding an 8 MiB file, against
 * {@code read8MiB}, which only reads the same bytes. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RegistryLoadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RegistryLoadBenchmark {
    private static final ModelUri CHAMPION = ModelUri.parse("models:/bench@champion");

    private Path dir;
    private Registry cached;
    private Registry uncached;
    private Path bigPackage;
    private Path bigFile;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bench-registry");
        bigFile = dir.resolve("weights.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(bigFile)) {
            for (int i = 0; i < 8; i++) {
                out.write(chunk);
            }
        }
        Signature sig = new Signature(Schema.of(Field.required("x", DataType.DOUBLE)), null);
        bigPackage = ModelPackage.builder().onnx(bigFile, Map.of("inputName", "input")).signature(sig)
                .build(dir.resolve("big")).directory();
        ModelPackage small = ModelPackage.builder().onnx(dir.resolve("big/mlops-model.json"), Map.of()).signature(sig)
                .build(dir.resolve("small"));
        cached = Registry.builder().root(dir.resolve("registry")).build();
        cached.register("bench", small);
        cached.setAlias("bench", "champion", 1);
        uncached = Registry.builder().jdbcUrl("jdbc:sqlite:" + dir.resolve("registry/registry.db"))
                .packageRoot(dir.resolve("registry/packages")).resolutionCacheTtl(Duration.ZERO).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cached.close();
        uncached.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** Resolution from the cache, package already verified. */
    @Benchmark
    public ModelPackage loadCached() {
        return cached.load(CHAMPION);
    }

    /** Resolution through the database on every call, package already verified. */
    @Benchmark
    public ModelPackage loadThroughStore() {
        return uncached.load(CHAMPION);
    }

    /** Opening a package verifies the SHA-256 of its 8 MiB file. */
    @Benchmark
    public ModelPackage verify8MiB() {
        return ModelPackage.open(bigPackage);
    }

    /** The baseline: reading the same 8 MiB without hashing. */
    @Benchmark
    public long read8MiB() throws IOException {
        try (InputStream in = Files.newInputStream(bigFile)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
