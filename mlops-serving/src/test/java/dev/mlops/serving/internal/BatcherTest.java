package dev.mlops.serving.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.serving.Batching;
import dev.mlops.serving.OverloadedException;
import dev.mlops.serving.PredictionTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The micro-batcher on its own, with batch functions that make its timing observable. */
class BatcherTest {
    /** Answers each row with (row[0] * 2, batch size, model tag). */
    private static float[][] echo(Object model, float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[] {rows[i][0] * 2, rows.length, ((Integer) model)};
        }
        return out;
    }

    @Test
    void callersGetTheirOwnRowsBackAndBatchesStayWithinTheLimit() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (Batcher b = new Batcher(Batching.defaults().withBatch(8, Duration.ofMillis(20)), BatcherTest::echo,
                sizes::add, "test")) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    float value = i;
                    int model = i % 2;
                    futures.add(pool.submit(() -> b.predict(model, new float[] {value})));
                }
                for (int i = 0; i < 64; i++) {
                    float[] out = futures.get(i).get(10, TimeUnit.SECONDS);
                    assertEquals(2f * i, out[0], "caller " + i + " got its own answer");
                    assertEquals(i % 2, (int) out[2], "rows for different models never share a run");
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(64, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.stream().allMatch(s -> s <= 8), sizes.toString());
        assertTrue(sizes.stream().anyMatch(s -> s > 1), "some requests were coalesced: " + sizes);
    }

    @Test
    void fullQueueRefusesAtOnceAndSlowBatchesTimeOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Batching options = Batching.defaults().withBatch(1, Duration.ZERO).withQueueCapacity(2)
                .withTimeout(Duration.ofMillis(300));
        try (Batcher b = new Batcher(options, (model, rows) -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return echo(model, rows);
        }, s -> { }, "blocked")) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<float[]> first = pool.submit(() -> b.predict(0, new float[] {1}));
                assertTrue(started.await(5, TimeUnit.SECONDS), "the worker took the first request");
                Future<float[]> second = pool.submit(() -> b.predict(0, new float[] {2}));
                Future<float[]> third = pool.submit(() -> b.predict(0, new float[] {3}));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (b.depth() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(2, b.depth());
                long t0 = System.nanoTime();
                assertThrows(OverloadedException.class, () -> b.predict(0, new float[] {4}));
                assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100), "refused at once");
                var e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> second.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof PredictionTimeoutException, e.getCause().toString());
                assertThrows(java.util.concurrent.ExecutionException.class, () -> third.get(5, TimeUnit.SECONDS));
                assertEquals(0, b.depth(), "callers that timed out left the queue");
                release.countDown();
                var firstFailure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> first.get(5, TimeUnit.SECONDS));
                assertTrue(firstFailure.getCause() instanceof PredictionTimeoutException,
                        "the blocked batch outlived its caller's timeout too");
                assertArrayEquals(new float[] {10, 1, 0}, b.predict(0, new float[] {5}), "the batcher recovers");
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aFailingBatchFailsOnlyItsCallers() {
        try (Batcher b = new Batcher(Batching.defaults().withBatch(4, Duration.ofMillis(1)), (model, rows) -> {
            if ((Integer) model == 1) {
                throw new IllegalStateException("model 1 is broken");
            }
            return echo(model, rows);
        }, s -> { }, "failing")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.predict(1, new float[] {1}));
            assertEquals("model 1 is broken", e.getMessage());
            assertEquals(4f, b.predict(0, new float[] {2})[0]);
        }
    }
}
