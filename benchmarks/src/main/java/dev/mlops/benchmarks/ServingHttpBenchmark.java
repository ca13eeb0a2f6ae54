package dev.mlops.benchmarks;

import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.Batching;
import dev.mlops.serving.ModelEngine;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.http.ServingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * HTTP on loopback at a concurrency of 8 clients: {@code POST /invocations} with one row (MLflow's
 * {@code dataframe_records}) against {@code GET /ping} on the same server, which is the floor of the HTTP stack.
 * Sample mode gives requests per second and the p99 latency. The load generator (the JDK's HTTP client) shares the
 * machine's cores with the server. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ServingHttpBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Threads(8)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true"})
public class ServingHttpBenchmark {
    private Path dir;
    private Predictor predictor;
    private ServingServer server;
    private HttpClient client;
    private HttpRequest invocation;
    private HttpRequest ping;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bench-http");
        ModelPackage pkg = ServingModels.logistic30(dir.resolve("pkg"));
        predictor = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX)
                .batching(Batching.defaults().withBatch(64, Duration.ofMillis(1))).build();
        server = ServingServer.builder(predictor).port(0).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        StringBuilder body = new StringBuilder("{\"dataframe_records\": [{");
        float[] values = ServingModels.rows(1, 5)[0];
        for (int i = 0; i < ServingModels.FEATURES; i++) {
            body.append(i == 0 ? "" : ", ").append(String.format("\"f%02d\": %s", i, values[i]));
        }
        body.append("}]}");
        URI base = URI.create("http://127.0.0.1:" + server.port());
        invocation = HttpRequest.newBuilder(base.resolve("/invocations")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        ping = HttpRequest.newBuilder(base.resolve("/ping")).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        server.close();
        predictor.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    /** A one-row prediction over HTTP. */
    @Benchmark
    public int invocations() throws IOException, InterruptedException {
        return client.send(invocation, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The floor: the cheapest request the server answers. */
    @Benchmark
    public int ping() throws IOException, InterruptedException {
        return client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
