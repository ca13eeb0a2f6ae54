package dev.mlops.api.spi;

import dev.mlops.api.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that moves only when told to, for tests and simulations. Both {@link #now()} and {@link #nanoTime()}
 * advance together. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
    private Instant now;
    private long nanos;

    /**
     * Creates a clock that starts at an instant.
     *
     * @param start the initial time
     */
    public ManualTimeSource(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far, zero or more
     * @return the new time
     * @throws InvalidArgumentException if the amount is negative
     */
    public synchronized Instant advance(Duration amount) {
        if (amount.isNegative()) {
            throw new InvalidArgumentException("a clock cannot move backwards, but the amount was " + amount);
        }
        now = now.plus(amount);
        nanos += amount.toNanos();
        return now;
    }
}
