package dev.mlops.benchmarks;

import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineResult;
import dev.mlops.features.RedisOnlineStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
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
 * An online read of one entity's 50 double features from Redis on loopback, keys drawn uniformly from 10k
 * materialized entities. {@code library} is {@link FeatureStore#onlineFeatures} on a {@link RedisOnlineStore};
 * {@code lettuceBaseline} is a bare Lettuce {@code HGETALL} of a 50-field hash with its values parsed into a
 * {@code double[50]}. Sample mode reports percentiles (p99 is the goal). The server comes from
 * {@code MLOPS_BENCH_REDIS_URL} (default {@code redis://127.0.0.1:6379}); the keys are removed afterwards. Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FeatureRedisBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeatureRedisBenchmark {
    @Param("10000")
    public int entities;

    private Path dir;
    private String prefix;
    private FeatureStore store;
    private RedisClient client;
    private StatefulRedisConnection<String, String> bare;
    private String[] bareKeys;
    private int[] draws;
    private int next;

    private static String url() {
        String url = System.getenv("MLOPS_BENCH_REDIS_URL");
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bench-redis");
        prefix = "mlops-bench:" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ":";
        store = FeatureOnlineBenchmark.load(dir, RedisOnlineStore.builder().uri(url()).keyPrefix(prefix).build(),
                entities);
        draws = FeatureOnlineBenchmark.draws(entities);
        client = RedisClient.create(url());
        bare = client.connect();
        bareKeys = new String[entities];
        Random rnd = new Random(5);
        List<RedisFuture<Long>> pending = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            bareKeys[e] = prefix + "bare:" + e;
            Map<String, String> hash = new LinkedHashMap<>();
            for (int f = 0; f < FeatureOnlineBenchmark.FEATURES; f++) {
                hash.put(String.format("f%02d", f), Double.toString(rnd.nextDouble()));
            }
            pending.add(bare.async().hset(bareKeys[e], hash));
        }
        LettuceFutures.awaitAll(60, TimeUnit.SECONDS, pending.toArray(RedisFuture[]::new));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        RedisCommands<String, String> sync = bare.sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            if (!page.getKeys().isEmpty()) {
                sync.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        bare.close();
        client.shutdown();
        store.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    private int draw() {
        int d = draws[next];
        next = (next + 1) & (draws.length - 1);
        return d;
    }

    /** The library: one entity's 50 features from Redis with statuses, TTL checked. */
    @Benchmark
    public OnlineResult library() {
        return store.onlineFeatures("wide_svc", List.of(Map.of("customer_id", (long) draw())));
    }

    /** The baseline: a bare Lettuce HGETALL of a 50-field hash, parsed into doubles. */
    @Benchmark
    public double[] lettuceBaseline() {
        Map<String, String> hash = bare.sync().hgetall(bareKeys[draw()]);
        double[] values = new double[FeatureOnlineBenchmark.FEATURES];
        int i = 0;
        for (String v : hash.values()) {
            values[i++] = Double.parseDouble(v);
        }
        return values;
    }
}
