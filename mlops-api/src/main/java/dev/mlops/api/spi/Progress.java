package dev.mlops.api.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one task's progress to a {@link ProgressListener}. Library code uses it like this:
 *
 * <pre>{@code
 * try (Progress p = Progress.start(listener, "train", epochs)) {
 *     for (int e = 0; e < epochs; e++) { ...; p.advance(1); }
 *     p.finish();
 * }   // closing without finish() reports FAILED
 * }</pre>
 *
 * <p>A listener that throws is logged at WARN and otherwise ignored: progress reporting never breaks the work.
 * Thread-safe; several threads may advance the same task.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final ProgressListener listener;
    private final String task;
    private final long total;
    private final TimeSource time;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();

    private Progress(ProgressListener listener, String task, long total, TimeSource time) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.task = Objects.requireNonNull(task, "task");
        this.total = total;
        this.time = Objects.requireNonNull(time, "time");
        this.startNanos = time.nanoTime();
    }

    /**
     * Starts a task and reports {@link ProgressEvent.Phase#STARTED}.
     *
     * @param listener where reports go
     * @param task the task's name
     * @param total units of work in all, or {@code -1} when unknown
     * @return the task's progress handle
     */
    public static Progress start(ProgressListener listener, String task, long total) {
        return start(listener, task, total, TimeSource.system());
    }

    /**
     * Starts a task on a given clock and reports {@link ProgressEvent.Phase#STARTED}.
     *
     * @param listener where reports go
     * @param task the task's name
     * @param total units of work in all, or {@code -1} when unknown
     * @param time the clock that measures elapsed time
     * @return the task's progress handle
     */
    public static Progress start(ProgressListener listener, String task, long total, TimeSource time) {
        Progress p = new Progress(listener, task, total, time);
        p.emit(ProgressEvent.Phase.STARTED, 0, null);
        return p;
    }

    /**
     * Records work done and reports {@link ProgressEvent.Phase#ADVANCED}.
     *
     * @param units units of work just done
     */
    public void advance(long units) {
        emit(ProgressEvent.Phase.ADVANCED, done.addAndGet(units), null);
    }

    /**
     * Records work done with a remark, for instance the latest loss.
     *
     * @param units units of work just done
     * @param message the remark
     */
    public void advance(long units, String message) {
        emit(ProgressEvent.Phase.ADVANCED, done.addAndGet(units), message);
    }

    /**
     * Returns the units done so far.
     *
     * @return the count
     */
    public long done() {
        return done.get();
    }

    /** Reports {@link ProgressEvent.Phase#FINISHED}; later calls do nothing. */
    public void finish() {
        if (ended.compareAndSet(false, true)) {
            emit(ProgressEvent.Phase.FINISHED, done.get(), null);
        }
    }

    /**
     * Reports {@link ProgressEvent.Phase#FAILED}; later calls do nothing.
     *
     * @param cause what went wrong
     */
    public void fail(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            emit(ProgressEvent.Phase.FAILED, done.get(), String.valueOf(cause.getMessage()));
        }
    }

    /** Reports FAILED unless {@link #finish()} or {@link #fail(Throwable)} came first. */
    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            emit(ProgressEvent.Phase.FAILED, done.get(), "ended without finishing");
        }
    }

    private void emit(ProgressEvent.Phase phase, long doneNow, String message) {
        ProgressEvent event = new ProgressEvent(task, phase, doneNow, total,
                Duration.ofNanos(time.nanoTime() - startNanos), message);
        try {
            listener.onProgress(event);
        } catch (RuntimeException e) {
            LOG.warn("progress listener {} failed on {} of '{}'; the task goes on", listener, phase, task, e);
        }
    }
}
