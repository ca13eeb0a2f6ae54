package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines, writes, training sets, materialization and online reads from several threads at once. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWorkOnOneStoreStaysConsistent() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
        try (FeatureStore store = Fixtures.embedded(dir, clock).build()) {
            store.apply(Entity.builder("account").joinKey("account_id", DataType.LONG).build());
            for (String v : List.of("a", "b")) {
                store.apply(FeatureView.builder(v).entity("account").timestampColumn("ts")
                        .feature("x_" + v, DataType.DOUBLE).build());
            }
            store.apply(FeatureService.builder("both").view("a").view("b").build());
            int hours = 40;
            long[] ids = IntStream.range(0, hours * 5).mapToLong(i -> i % 5).toArray();
            Instant[] ts = IntStream.range(0, hours * 5).mapToObj(i -> t((i / 5) * 3600L)).toArray(Instant[]::new);
            double[] xs = IntStream.range(0, hours * 5).mapToDouble(i -> i).toArray();
            Frame source = Frame.builder().longs("account_id", ids).timestamps("ts", ts).doubles("x", xs).build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Object>> work = new ArrayList<>();
                work.add(() -> {
                    for (int h = 0; h < hours; h += 8) {
                        store.pipeline("pa").from(Source.frame("src", source)).derive("x_a", "x").into("a")
                                .runUntil(t(h * 3600L + 7 * 3600L));
                    }
                    return null;
                });
                work.add(() -> {
                    for (int i = 0; i < hours * 5; i += 20) {
                        store.write("b", source.slice(i, i + 20).rename("x", "x_b"));
                    }
                    return null;
                });
                work.add(() -> {
                    Frame rows = Frame.builder().longs("account_id", 0, 1, 2, 3, 4)
                            .timestamps("event_timestamp", t(5 * 3600L), t(5 * 3600L), t(9 * 3600L), t(20 * 3600L),
                                    t(50 * 3600L)).build();
                    for (int i = 0; i < 10; i++) {
                        Frame f = store.trainingSet(rows, "both").frame();
                        assertEquals(5, f.rowCount());
                    }
                    return null;
                });
                work.add(() -> {
                    for (int i = 0; i < 10; i++) {
                        store.materialize("b", null, t(hours * 3600L));
                        store.onlineFeatures("both", List.of(Map.of("account_id", 1L)));
                    }
                    return null;
                });
                for (Future<Object> f : pool.invokeAll(work)) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(hours * 5, store.offlineRows("a").rowCount(), "every pipeline window once");
            assertEquals(hours * 5, store.offlineRows("b").rowCount(), "every written row once");
            Frame rows = Frame.builder().longs("account_id", 3).timestamps("event_timestamp", t(20 * 3600L)).build();
            Frame f = store.trainingSet(rows, "both").frame();
            assertEquals(103.0, f.column("x_a").get(0));
            assertEquals(103.0, f.column("x_b").get(0));
            store.materialize("a", null, t(hours * 3600L));
            store.materialize("b", null, t(hours * 3600L));
            clock.advance(Duration.ofHours(hours));
            OnlineResult r = store.onlineFeatures("both", List.of(Map.of("account_id", 4L)));
            assertTrue(r.isComplete(0));
            assertEquals((hours - 1) * 5 + 4.0, r.getDouble(0, "x_a"));
        }
    }
}
