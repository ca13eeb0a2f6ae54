package dev.mlops.api.tuning;

import dev.mlops.api.spi.MetricSink;
import java.util.Map;

/**
 * One evaluation of an objective: the parameter values a sampler chose, and the channel through which the objective
 * reports intermediate values (for pruning), its cost and any extra metrics. Handed to one thread at a time.
 */
public interface Trial {
    /**
     * Returns the trial's number in its study, from 0.
     *
     * @return the number
     */
    int number();

    /**
     * Returns the values of the active parameters.
     *
     * @return parameter values by name: {@link Double}, {@link Long}, or a categorical choice
     */
    Map<String, Object> params();

    /**
     * Returns a real parameter.
     *
     * @param name the name
     * @return the value
     * @throws dev.mlops.api.InvalidArgumentException if the parameter is inactive, unknown or not a number
     */
    double getDouble(String name);

    /**
     * Returns a whole-number parameter.
     *
     * @param name the name
     * @return the value
     * @throws dev.mlops.api.InvalidArgumentException if the parameter is inactive, unknown or not whole
     */
    long getLong(String name);

    /**
     * Returns a whole-number parameter as an {@code int}.
     *
     * @param name the name
     * @return the value
     * @throws dev.mlops.api.InvalidArgumentException if the parameter is inactive, unknown, not whole or too large
     */
    default int getInt(String name) {
        long v = getLong(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new dev.mlops.api.InvalidArgumentException("parameter '" + name + "' = " + v
                    + " does not fit an int");
        }
        return (int) v;
    }

    /**
     * Returns a parameter as text (a categorical choice, typically).
     *
     * @param name the name
     * @return the value as text
     * @throws dev.mlops.api.InvalidArgumentException if the parameter is inactive or unknown
     */
    String getString(String name);

    /**
     * Tells whether a parameter is active in this trial.
     *
     * @param name the name
     * @return true if it has a value
     */
    default boolean has(String name) {
        return params().containsKey(name);
    }

    /**
     * Reports an intermediate value of the (single) objective, for instance validation loss after an epoch.
     *
     * @param step the step, 0 or more; reporting a step twice keeps the first value
     * @param value the value
     */
    void report(long step, double value);

    /**
     * Tells whether the study's pruner would stop this trial now, given what it has reported.
     *
     * @return true to stop early: throw {@link TrialPrunedException}
     */
    boolean shouldPrune();

    /**
     * Adds to the trial's cost (money, GPU-seconds, tokens, in whatever unit the study's budget uses).
     *
     * @param cost a finite amount, 0 or more
     */
    void reportCost(double cost);

    /**
     * Returns where the trial's extra metrics go (the trial's run, when the study is tracked).
     *
     * @return the sink
     */
    MetricSink metrics();
}
