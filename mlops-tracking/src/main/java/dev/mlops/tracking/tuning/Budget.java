package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;

/**
 * How much one {@link Study#optimize} call may spend: trials started, wall time, and the cost that trials report.
 * New trials stop starting when a limit is reached; trials already running finish (so with parallel trials, time and
 * cost may overshoot by the trials in flight).
 *
 * @param maxTrials trials to start, or {@link Integer#MAX_VALUE} for no limit
 * @param maxDuration wall time, or {@code null} for no limit
 * @param maxCost total reported cost, or infinity for no limit
 */
public record Budget(int maxTrials, Duration maxDuration, double maxCost) {
    /**
     * Validates the budget.
     *
     * @throws InvalidArgumentException if a limit is not positive, or nothing is limited
     */
    public Budget {
        if (maxTrials < 1) {
            throw new InvalidArgumentException("maxTrials must be 1 or more, not " + maxTrials);
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new InvalidArgumentException("maxDuration must be positive, not " + maxDuration);
        }
        if (!(maxCost > 0)) {
            throw new InvalidArgumentException("maxCost must be positive, not " + maxCost);
        }
        if (maxTrials == Integer.MAX_VALUE && maxDuration == null && maxCost == Double.POSITIVE_INFINITY) {
            throw new InvalidArgumentException("a budget must limit trials, time or cost");
        }
    }

    /**
     * A budget of trials.
     *
     * @param n trials to start
     * @return the budget
     */
    public static Budget trials(int n) {
        return new Budget(n, null, Double.POSITIVE_INFINITY);
    }

    /**
     * A budget of wall time.
     *
     * @param d the time
     * @return the budget
     */
    public static Budget duration(Duration d) {
        return new Budget(Integer.MAX_VALUE, Objects.requireNonNull(d, "duration"), Double.POSITIVE_INFINITY);
    }

    /**
     * A budget of reported cost.
     *
     * @param c the total cost
     * @return the budget
     */
    public static Budget cost(double c) {
        return new Budget(Integer.MAX_VALUE, null, c);
    }

    /**
     * Adds a time limit.
     *
     * @param d the time
     * @return a new budget
     */
    public Budget withDuration(Duration d) {
        return new Budget(maxTrials, Objects.requireNonNull(d, "duration"), maxCost);
    }

    /**
     * Adds a cost limit.
     *
     * @param c the total cost
     * @return a new budget
     */
    public Budget withCost(double c) {
        return new Budget(maxTrials, maxDuration, c);
    }

    /**
     * Adds a trial limit.
     *
     * @param n trials
     * @return a new budget
     */
    public Budget withTrials(int n) {
        return new Budget(n, maxDuration, maxCost);
    }
}
