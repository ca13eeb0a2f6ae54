package dev.mlops.monitoring.retrain;

import dev.mlops.api.Frame;

/**
 * Scores a model version on labelled data, higher being better (accuracy, AUC, negative RMSE); supplied by the host
 * application, which knows how to load and run its models. The policy calls it on its executor, one attempt at a
 * time.
 */
@FunctionalInterface
public interface ModelScorer {
    /**
     * Scores one version.
     *
     * @param version the model version
     * @param labelled labelled rows (see {@link dev.mlops.monitoring.stream.Monitor#recentLabelled()})
     * @return the score, higher is better
     * @throws Exception if the model cannot be loaded or run
     */
    double score(long version, Frame labelled) throws Exception;
}
