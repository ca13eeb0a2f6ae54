package dev.mlops.api.spi;

import java.time.Instant;

/**
 * The clock this library reads: wall-clock instants for records and a monotonic counter for durations. Tests and
 * simulations pass a {@link ManualTimeSource} to control time; everything else uses {@link #system()}.
 * Implementations are thread-safe.
 */
public interface TimeSource {
    /**
     * Returns the current instant.
     *
     * @return the wall-clock time
     */
    Instant now();

    /**
     * Returns a monotonic counter in nanoseconds, meaningful only as a difference between two readings.
     *
     * @return nanoseconds from an arbitrary origin
     */
    long nanoTime();

    /**
     * Returns the system clock.
     *
     * @return a time source backed by {@link Instant#now()} and {@link System#nanoTime()}
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
