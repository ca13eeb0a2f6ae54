package dev.mlops.serving.internal;

import dev.mlops.api.UnavailableException;
import dev.mlops.serving.Batching;
import dev.mlops.serving.OverloadedException;
import dev.mlops.serving.PredictionTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces single-row requests into batches: a worker takes the first waiting request and gathers more until the
 * batch is full, the first request has waited {@code maxDelay}, or every caller currently waiting is already in the
 * batch (then no one else can join it, so waiting would only add latency); it runs the batch once and completes each
 * caller's future with its own row of the result. Requests that arrive while a batch runs form the next one. A full
 * queue refuses at once; a caller that times out leaves the queue (freeing its place) or is dropped from its batch.
 * Thread-safe.
 */
public final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
    /** How long to wait for one more request before checking again whether anyone else can still join. */
    private static final long LINGER_NANOS = 50_000;

    private final Batching options;
    private final BlockingQueue<Pending> queue;
    private final BiFunction<Object, float[][], float[][]> model;
    private final Consumer<Integer> batchSizes;
    private final List<Thread> workers = new ArrayList<>();
    /** Callers waiting for an answer: once a batch holds all of them, waiting longer cannot grow it. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    private static final class Pending {
        final Object model;
        final float[] row;
        final long enqueued = System.nanoTime();
        final CompletableFuture<float[]> result = new CompletableFuture<>();

        Pending(Object model, float[] row) {
            this.model = model;
            this.row = row;
        }
    }

    /**
     * Starts the workers.
     *
     * @param options batch size, delay, queue and timeout
     * @param model runs one batch on the model a request was checked against (requests for different models
     *     are never mixed in one run)
     * @param batchSizes told the size of every batch run (for meters)
     * @param name the worker threads' name prefix
     */
    public Batcher(Batching options, BiFunction<Object, float[][], float[][]> model, Consumer<Integer> batchSizes,
            String name) {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.model = model;
        this.batchSizes = batchSizes;
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::loop, name + "-batcher-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /**
     * Predicts one row through a batch, waiting at most the configured timeout.
     *
     * @param model the model the row was checked against
     * @param row the dense input row
     * @return the model's output row
     * @throws OverloadedException if the queue is full
     * @throws PredictionTimeoutException if no answer came in time
     */
    public float[] predict(Object model, float[] row) {
        if (closed) {
            throw new UnavailableException("the predictor is closed");
        }
        Pending p = new Pending(model, row);
        waiting.incrementAndGet();
        if (!queue.offer(p)) {
            waiting.decrementAndGet();
            throw new OverloadedException("the batching queue is full (" + options.queueCapacity()
                    + " requests waiting); retry later");
        }
        try {
            return p.result.get(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            p.result.cancel(false);
            queue.remove(p); // a caller that gave up no longer holds a place in the queue
            throw new PredictionTimeoutException("no prediction within " + options.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            p.result.cancel(false);
            queue.remove(p);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a prediction", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("prediction failed: " + cause.getMessage(), cause);
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Returns how many requests wait.
     *
     * @return the queue depth
     */
    public int depth() {
        return queue.size();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(options.maxBatchSize());
        long maxDelay = options.maxDelay().toNanos();
        while (!closed || !queue.isEmpty()) {
            batch.clear();
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            long deadline = first.enqueued + maxDelay;
            while (batch.size() < options.maxBatchSize()) {
                Pending next = queue.poll();
                if (next != null) {
                    batch.add(next);
                    continue;
                }
                if (batch.size() >= waiting.get()) {
                    break; // every caller waiting is in this batch: nobody else can join it
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                try {
                    next = queue.poll(Math.min(wait, LINGER_NANOS), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (next != null) {
                    batch.add(next);
                }
            }
            run(batch);
        }
    }

    private void run(List<Pending> batch) {
        batch.removeIf(p -> p.result.isDone()); // callers that gave up are not computed
        Map<Object, List<Pending>> byModel = new LinkedHashMap<>();
        for (Pending p : batch) {
            byModel.computeIfAbsent(p.model, k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<Object, List<Pending>> group : byModel.entrySet()) {
            List<Pending> members = group.getValue();
            float[][] rows = new float[members.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = members.get(i).row;
            }
            try {
                float[][] out = model.apply(group.getKey(), rows);
                batchSizes.accept(rows.length);
                for (int i = 0; i < rows.length; i++) {
                    members.get(i).result.complete(out[i]);
                }
            } catch (RuntimeException | Error e) {
                LOG.debug("a batch of {} failed", rows.length, e);
                for (Pending p : members) {
                    p.result.completeExceptionally(e);
                }
            }
        }
    }

    /** Stops taking requests, finishes those queued, and stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            try {
                t.join(options.timeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
