package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.registry.Registry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictors bound to registry aliases: swaps under load, rollback, canary and shadow routing. */
class HotSwapTest {
    @TempDir
    Path dir;

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void movingTheAliasSwapsWithoutFailingInFlightRequests() throws Exception {
        try (Registry registry = Registry.open(dir.resolve("registry"))) {
            registry.register("churn", Fixtures.logisticPackage(dir.resolve("v1"), 1));
            registry.register("churn", Fixtures.logisticPackage(dir.resolve("v2"), 2));
            registry.register("churn", Fixtures.logisticPackage(dir.resolve("v3"), 3));
            registry.setAlias("churn", "champion", 1);
            try (Predictor p = Predictor.builder().registry(registry, "models:/churn@champion")
                    .batching(Batching.defaults()).refreshInterval(Duration.ofMillis(200)).build()) {
                assertEquals(1, p.info().version());
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger failures = new AtomicInteger();
                AtomicInteger served = new AtomicInteger();
                Set<Long> versionsSeen = ConcurrentHashMap.newKeySet();
                ExecutorService load = Executors.newFixedThreadPool(8);
                List<Future<?>> workers = new CopyOnWriteArrayList<>();
                for (int t = 0; t < 8; t++) {
                    workers.add(load.submit(() -> {
                        while (!stop.get()) {
                            try {
                                versionsSeen.add(p.predict(Fixtures.row(1, -1, 0)).version());
                                served.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.incrementAndGet();
                            }
                        }
                    }));
                }
                Thread.sleep(200);
                registry.setAlias("churn", "champion", 2);
                await("version 2 serves", () -> p.info().version() == 2);
                Thread.sleep(200);
                registry.setAlias("churn", "champion", 3);
                await("version 3 serves", () -> p.info().version() == 3);
                Thread.sleep(200);
                stop.set(true);
                for (Future<?> w : workers) {
                    w.get(30, TimeUnit.SECONDS);
                }
                load.shutdown();
                assertEquals(0, failures.get(), "no request failed across two swaps");
                assertTrue(served.get() > 100, "served " + served.get());
                assertEquals(Set.of(1L, 2L, 3L), versionsSeen);
                assertEquals(2.0, p.meters().counter("mlops.serving.swaps", "model", "churn").count());

                assertEquals(2, p.rollback());
                assertEquals(2, p.info().version());
                assertEquals(false, p.refresh(), "a rollback holds until the alias moves again");
                assertEquals(2, p.info().version());
                registry.setAlias("churn", "champion", 1);
                await("version 1 serves", () -> p.info().version() == 1);
            }
        }
    }

    @Test
    void rollbackNeedsAPreviousVersion() {
        try (Predictor p = Predictor.builder().modelPackage(Fixtures.logisticPackage(dir.resolve("p"), 1)).build()) {
            assertThrows(ConflictException.class, p::rollback);
            assertThrows(IllegalStateException.class, p::refresh);
        }
    }

    @Test
    void canaryTakesItsShareAndShadowScoresACopy() throws Exception {
        try (Registry registry = Registry.open(dir.resolve("registry"))) {
            registry.register("m", Fixtures.logisticPackage(dir.resolve("v1"), 1));
            registry.register("m", Fixtures.logisticPackage(dir.resolve("v2"), 2));
            registry.setAlias("m", "champion", 1);
            registry.setAlias("m", "challenger", 2);
            List<InferenceRecord> canaryLog = new CopyOnWriteArrayList<>();
            try (Predictor p = Predictor.builder().registry(registry, "models:/m@champion")
                    .canary("models:/m@challenger", 0.3).inferenceLog(canaryLog::add, 1.0).build()) {
                int challengerAnswers = 0;
                for (int i = 0; i < 1000; i++) {
                    if (p.predict(Fixtures.row(0.5, -0.5, 0)).version() == 2) {
                        challengerAnswers++;
                    }
                }
                assertTrue(challengerAnswers > 220 && challengerAnswers < 380, "canary share " + challengerAnswers);
                assertEquals(challengerAnswers, canaryLog.stream()
                        .filter(r -> r.role() == InferenceRecord.Role.CANARY).count());
            }
            List<InferenceRecord> shadowLog = new CopyOnWriteArrayList<>();
            try (Predictor p = Predictor.builder().registry(registry, "models:/m@champion")
                    .shadow("models:/m@challenger").inferenceLog(shadowLog::add, 1.0).build()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(1, p.predict(Fixtures.row(i / 10.0, 0, 0)).version(), "callers get the champion");
                }
                await("50 shadow records", () -> shadowLog.stream()
                        .filter(r -> r.role() == InferenceRecord.Role.SHADOW).count() == 50);
                for (InferenceRecord shadow : shadowLog.stream().filter(r -> r.role() == InferenceRecord.Role.SHADOW)
                        .toList()) {
                    assertEquals(2, shadow.version());
                    assertTrue(shadowLog.stream().anyMatch(r -> r.role() == InferenceRecord.Role.PRIMARY
                            && r.predictionId().equals(shadow.predictionId())), "shadow shares the primary's id");
                }
            }
        }
    }
}
