package dev.mlops.api.tuning;

/** A function to optimize: one value per trial. */
@FunctionalInterface
public interface Objective {
    /**
     * Evaluates the trial's parameters.
     *
     * @param trial the trial
     * @return the objective value; NaN marks the trial failed
     * @throws TrialPrunedException to stop early when {@link Trial#shouldPrune()} says so
     * @throws Exception if the evaluation fails; the trial is recorded as failed and the study goes on
     */
    double evaluate(Trial trial) throws Exception;
}
