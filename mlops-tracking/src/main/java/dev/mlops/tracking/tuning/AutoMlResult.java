package dev.mlops.tracking.tuning;

import dev.mlops.api.Frame;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.Output;

/**
 * What {@link AutoMl} found.
 *
 * @param leaderboard one row per candidate, best first: rank, candidate, mean and standard deviation of the metric
 *     over the folds, trials, best trial, its parameters, seconds spent, and the error of a candidate that never
 *     completed
 * @param bestCandidate the winning candidate's name
 * @param bestParams its best parameters
 * @param bestScore its mean cross-validated score
 * @param bestModel the winner retrained on all the data
 * @param provenanceJson the model's full Tribuo provenance (trainer, hyperparameters, data, versions) as JSON
 * @param studies each candidate's study, by name
 * @param <T> the output type: a label or a regressor
 */
public record AutoMlResult<T extends Output<T>>(Frame leaderboard, String bestCandidate, Map<String, Object> bestParams,
        double bestScore, Model<T> bestModel, String provenanceJson, Map<String, Study> studies) {
    /**
     * Copies the maps.
     *
     * @throws NullPointerException if a part is null
     */
    public AutoMlResult {
        Objects.requireNonNull(leaderboard, "leaderboard");
        Objects.requireNonNull(bestModel, "bestModel");
        bestParams = Map.copyOf(bestParams);
        studies = Map.copyOf(studies);
    }
}
