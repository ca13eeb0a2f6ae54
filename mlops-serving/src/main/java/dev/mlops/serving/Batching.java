package dev.mlops.serving;

import dev.mlops.api.InvalidArgumentException;
import java.time.Duration;

/**
 * Dynamic micro-batching: single-row requests wait up to {@code maxDelay} to be run together with others, in
 * batches of at most {@code maxBatchSize}. The queue holds at most {@code queueCapacity} requests; when it is full a
 * request fails at once with {@link OverloadedException}. A request not answered within {@code timeout} fails with
 * {@link PredictionTimeoutException}.
 *
 * @param maxBatchSize the largest batch
 * @param maxDelay how long the first request of a batch may wait for others
 * @param queueCapacity the most waiting requests
 * @param timeout how long a caller waits for its answer
 * @param workers how many batches may run at once
 */
public record Batching(int maxBatchSize, Duration maxDelay, int queueCapacity, Duration timeout, int workers) {
    /**
     * Validates the options.
     *
     * @throws InvalidArgumentException naming the bad value
     */
    public Batching {
        if (maxBatchSize < 1) {
            throw new InvalidArgumentException("maxBatchSize must be 1 or more, but was " + maxBatchSize);
        }
        if (maxDelay.isNegative()) {
            throw new InvalidArgumentException("maxDelay must not be negative, but was " + maxDelay);
        }
        if (queueCapacity < 1) {
            throw new InvalidArgumentException("queueCapacity must be 1 or more, but was " + queueCapacity);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidArgumentException("timeout must be positive, but was " + timeout);
        }
        if (workers < 1) {
            throw new InvalidArgumentException("workers must be 1 or more, but was " + workers);
        }
    }

    /**
     * Batches of up to 64 rows, waiting at most 2 ms, 10,000 queued requests, a 5 s timeout, one worker.
     *
     * @return the defaults
     */
    public static Batching defaults() {
        return new Batching(64, Duration.ofMillis(2), 10_000, Duration.ofSeconds(5), 1);
    }

    /**
     * Changes the batch size and delay.
     *
     * @param size the largest batch
     * @param delay the longest wait
     * @return the changed options
     */
    public Batching withBatch(int size, Duration delay) {
        return new Batching(size, delay, queueCapacity, timeout, workers);
    }

    /**
     * Changes the queue capacity.
     *
     * @param capacity the most waiting requests
     * @return the changed options
     */
    public Batching withQueueCapacity(int capacity) {
        return new Batching(maxBatchSize, maxDelay, capacity, timeout, workers);
    }

    /**
     * Changes the timeout.
     *
     * @param value how long a caller waits
     * @return the changed options
     */
    public Batching withTimeout(Duration value) {
        return new Batching(maxBatchSize, maxDelay, queueCapacity, value, workers);
    }

    /**
     * Changes the number of workers.
     *
     * @param count batches run at once
     * @return the changed options
     */
    public Batching withWorkers(int count) {
        return new Batching(maxBatchSize, maxDelay, queueCapacity, timeout, count);
    }
}
