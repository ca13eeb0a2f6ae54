package dev.mlops.llm.align;

/**
 * What one optimizer step of preference training did.
 *
 * @param step the step, from 1
 * @param loss the mean DPO loss over the step's pairs
 * @param rewardMargin the mean chosen-minus-rejected reward over the step's pairs
 * @param rewardAccuracy the share of the step's pairs whose chosen reward exceeds the rejected one
 * @param chosenReward the mean reward of the chosen completions
 * @param rejectedReward the mean reward of the rejected completions
 * @param learningRate the rate used
 * @param gradNorm the global gradient norm before clipping
 * @param tokens input tokens processed, padding excluded
 * @param validation the validation metrics measured after this step, or null when none were measured
 */
public record DpoStep(long step, double loss, double rewardMargin, double rewardAccuracy, double chosenReward,
        double rejectedReward, double learningRate, double gradNorm, long tokens, PreferenceMetrics validation) {
    /**
     * Returns a copy carrying validation metrics.
     *
     * @param metrics the metrics
     * @return the copy
     */
    public DpoStep withValidation(PreferenceMetrics metrics) {
        return new DpoStep(step, loss, rewardMargin, rewardAccuracy, chosenReward, rejectedReward, learningRate,
                gradNorm, tokens, metrics);
    }
}
