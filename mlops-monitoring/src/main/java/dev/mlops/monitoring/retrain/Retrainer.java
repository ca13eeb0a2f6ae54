package dev.mlops.monitoring.retrain;

/**
 * Trains a candidate model; supplied by the host application (for instance: train on the training set plus the
 * recent labelled rows, then register the model as a new version). The policy calls it on its executor, one
 * attempt at a time.
 */
@FunctionalInterface
public interface Retrainer {
    /**
     * Trains and registers a candidate.
     *
     * @param request why, on which data, and the current champion
     * @return the candidate's model version
     * @throws Exception if training fails; the policy records the failure and does not promote
     */
    long retrain(RetrainRequest request) throws Exception;
}
