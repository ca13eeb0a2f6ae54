package dev.mlops.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.InMemoryOnlineStore;
import dev.mlops.features.OnlineResult;
import dev.mlops.features.OnlineStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An online read of one entity's 50 double features from the in-process store, keys drawn uniformly from 100k
 * materialized entities (the worst case for a cache). {@code library} is {@link FeatureStore#onlineFeatures}: the
 * request map built in each call as a server would, service resolution, key encoding, the Caffeine read, the TTL check
 * on the feature store's clock and the result with a status per feature. {@code caffeineBaseline} is a bare
 * {@code Cache.getIfPresent} returning a {@code double[50]}. Sample mode reports percentiles (p99 is the goal). Run:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FeatureOnlineBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeatureOnlineBenchmark {
    static final int FEATURES = 50;

    @Param("100000")
    public int entities;

    private Path dir;
    private FeatureStore store;
    private Cache<Long, double[]> cache;
    private Long[] keys;
    private int[] draws;
    private int next;

    /** Creates the view, service and offline rows of the online benchmarks, event times one minute ago. */
    static FeatureStore load(Path root, OnlineStore online, int entities) {
        FeatureStore store = FeatureStore.builder().root(root).online(online).progress(ProgressListener.noop()).build();
        store.apply(Entity.builder("customer").joinKey("customer_id", DataType.LONG).build());
        FeatureView.Builder view = FeatureView.builder("wide").entity("customer").ttl(Duration.ofDays(1));
        List<Field> fields = new ArrayList<>(List.of(Field.of("customer_id", DataType.LONG),
                Field.of("event_timestamp", DataType.TIMESTAMP)));
        for (int f = 0; f < FEATURES; f++) {
            view.feature(String.format("f%02d", f), DataType.DOUBLE);
            fields.add(Field.of(String.format("f%02d", f), DataType.DOUBLE));
        }
        store.apply(view.build());
        store.apply(FeatureService.builder("wide_svc").view("wide").build());
        Instant when = Instant.now().minus(1, ChronoUnit.MINUTES);
        Random rnd = new Random(3);
        Frame.RowBuilder rows = Frame.rowBuilder(Schema.of(fields));
        Object[] values = new Object[2 + FEATURES];
        for (int e = 0; e < entities; e++) {
            values[0] = (long) e;
            values[1] = when;
            for (int f = 0; f < FEATURES; f++) {
                values[2 + f] = rnd.nextDouble();
            }
            rows.row(values);
        }
        store.write("wide", rows.build());
        store.materializeIncremental("wide", when);
        return store;
    }

    static int[] draws(int entities) {
        Random rnd = new Random(11);
        int[] draws = new int[1 << 20];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = rnd.nextInt(entities);
        }
        return draws;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bench-online");
        store = load(dir, InMemoryOnlineStore.builder().maximumEntries(2L * entities).build(), entities);
        draws = draws(entities);
        cache = Caffeine.newBuilder().maximumSize(2L * entities).build();
        keys = new Long[entities];
        Random rnd = new Random(5);
        for (int e = 0; e < entities; e++) {
            keys[e] = (long) e;
            double[] v = new double[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                v[f] = rnd.nextDouble();
            }
            cache.put(keys[e], v);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        SqliteFixtures.deleteRecursively(dir);
    }

    private int draw() {
        int d = draws[next];
        next = (next + 1) & (draws.length - 1);
        return d;
    }

    /** The library: one entity's 50 features with statuses, TTL checked. */
    @Benchmark
    public OnlineResult library() {
        return store.onlineFeatures("wide_svc", List.of(Map.of("customer_id", (long) draw())));
    }

    /** The baseline: a bare Caffeine lookup of a {@code double[50]}. */
    @Benchmark
    public double[] caffeineBaseline() {
        return cache.getIfPresent(keys[draw()]);
    }
}
