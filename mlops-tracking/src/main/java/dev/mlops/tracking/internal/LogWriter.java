package dev.mlops.tracking.internal;

import dev.mlops.api.MlopsException;
import dev.mlops.api.UnavailableException;
import dev.mlops.tracking.BackpressurePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves logged values from callers to the store without making callers wait for I/O: a bounded queue drained by
 * one writer thread that commits what it finds in one transaction per batch.
 *
 * <p>Back-pressure: when the queue is full, {@link BackpressurePolicy#BLOCK} makes the caller wait and
 * {@link BackpressurePolicy#FAIL} rejects the value. {@link #flush()} returns once everything submitted before it is
 * committed, and reports a write that failed since the previous flush. Thread-safe.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    /** Most operations committed in one transaction. */
    static final int MAX_OPS_PER_COMMIT = 20_000;

    /** One thing to write. */
    public sealed interface Op permits MetricOp, ParamOp, TagOp, Barrier, Stop {
    }

    /**
     * A metric value.
     *
     * @param runId the run
     * @param key the metric key
     * @param value the value
     * @param timestamp epoch milliseconds
     * @param step the step
     */
    public record MetricOp(String runId, String key, double value, long timestamp, long step) implements Op {
    }

    /**
     * A parameter.
     *
     * @param runId the run
     * @param key the key
     * @param value the value
     */
    public record ParamOp(String runId, String key, String value) implements Op {
    }

    /**
     * A tag write or, with a null value, a tag deletion.
     *
     * @param runId the run
     * @param key the key
     * @param value the value, or null to delete
     */
    public record TagOp(String runId, String key, String value) implements Op {
    }

    /** Completes when everything before it is committed. */
    record Barrier(CompletableFuture<Void> done) implements Op {
    }

    /** Ends the writer thread. */
    record Stop() implements Op {
    }

    private final BlockingQueue<Op> queue;
    private final BackpressurePolicy policy;
    private final Consumer<List<Op>> sink;
    private final Thread thread;
    private volatile boolean closed;
    private RuntimeException pendingFailure;

    /**
     * Starts a writer.
     *
     * @param capacity the queue's capacity
     * @param policy what to do when the queue is full
     * @param sink commits a batch of operations in one transaction, or throws
     * @param name the writer thread's name
     */
    public LogWriter(int capacity, BackpressurePolicy policy, Consumer<List<Op>> sink, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.policy = policy;
        this.sink = sink;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues an operation, waiting or failing when the queue is full as the policy says.
     *
     * @param op the operation
     * @throws UnavailableException if the writer is closed, or the queue is full under the FAIL policy
     */
    public void submit(Op op) {
        if (closed) {
            throw new UnavailableException("the tracking store is closed; nothing more can be logged");
        }
        if (queue.offer(op)) {
            return;
        }
        if (policy == BackpressurePolicy.FAIL) {
            throw new UnavailableException("the logging queue is full (" + (queue.size() + queue.remainingCapacity())
                    + " entries): the store cannot keep up; the value was not logged");
        }
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for room in the logging queue", e);
        }
    }

    /**
     * Waits until everything queued before this call is committed.
     *
     * @throws MlopsException the first write failure since the previous flush, if any
     */
    public void flush() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("flush() called from the writer thread");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Barrier b = new Barrier(done);
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while flushing", e);
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while flushing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MlopsException m) {
                throw m;
            }
            throw new UnavailableException("writing logged values failed: " + cause.getMessage(), cause);
        }
    }

    private void loop() {
        List<Op> batch = new ArrayList<>(1024);
        List<Op> writes = new ArrayList<>(1024);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() stops the writer; an interrupt from elsewhere is ignored.
                continue;
            }
            queue.drainTo(batch, MAX_OPS_PER_COMMIT - 1);
            boolean stop = false;
            writes.clear();
            for (Op op : batch) {
                if (op instanceof Barrier b) {
                    commit(writes);
                    writes.clear();
                    release(b);
                } else if (op instanceof Stop) {
                    stop = true;
                } else {
                    writes.add(op);
                }
            }
            commit(writes);
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Op> writes) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            sink.accept(writes);
        } catch (RuntimeException e) {
            LOG.error("writing {} logged values failed; flush() will report it", writes.size(), e);
            if (pendingFailure == null) {
                pendingFailure = e;
            } else {
                pendingFailure.addSuppressed(e);
            }
        }
    }

    private void release(Barrier b) {
        RuntimeException failure = pendingFailure;
        pendingFailure = null;
        if (failure == null) {
            b.done().complete(null);
        } else {
            b.done().completeExceptionally(failure);
        }
    }

    /**
     * Returns the number of operations waiting.
     *
     * @return the queue length
     */
    public int backlog() {
        return queue.size();
    }

    /** Flushes, then stops the writer thread. A write failure found by the last flush is thrown. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                queue.put(new Stop());
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
