package dev.mlops.api.tuning;

/** A function with several values to optimize at once, for instance quality and cost. */
@FunctionalInterface
public interface MultiObjective {
    /**
     * Evaluates the trial's parameters.
     *
     * @param trial the trial
     * @return one value per study direction; a NaN marks the trial failed
     * @throws Exception if the evaluation fails; the trial is recorded as failed and the study goes on
     */
    double[] evaluate(Trial trial) throws Exception;
}
