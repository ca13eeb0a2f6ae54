package dev.mlops.llm.align;

/**
 * How a policy ranks preference pairs against its reference. A pair's implicit reward for a completion is
 * {@code beta * (log pi(y|x) - log ref(y|x))}, with log-probabilities summed over the completion's tokens.
 *
 * @param loss the mean DPO loss {@code -log sigmoid(chosenReward - rejectedReward)}
 * @param rewardMargin the mean of chosen minus rejected reward
 * @param rewardAccuracy the share of pairs whose chosen reward exceeds the rejected one
 * @param chosenReward the mean reward of the chosen completions
 * @param rejectedReward the mean reward of the rejected completions
 * @param pairs the number of pairs measured
 */
public record PreferenceMetrics(double loss, double rewardMargin, double rewardAccuracy, double chosenReward,
        double rejectedReward, int pairs) {
}
