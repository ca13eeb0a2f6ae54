package dev.mlops.llm.align;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a preference training run.
 *
 * @param steps optimizer steps taken
 * @param history every step, in order
 * @param initialValidation validation metrics before the first step (all rewards zero when the reference is the
 *     policy's starting weights), or null without validation data
 * @param finalValidation validation metrics after the last step, or null without validation data
 * @param trainableParameters parameters the optimizer updated
 * @param tokens input tokens processed
 * @param tokensPerSecond tokens processed per second of step time
 * @param elapsed training time, including reference passes and validation
 * @param reference a description of the reference
 * @param device the device, for instance {@code cpu()}
 */
public record DpoResult(long steps, List<DpoStep> history, PreferenceMetrics initialValidation,
        PreferenceMetrics finalValidation, long trainableParameters, long tokens, double tokensPerSecond,
        Duration elapsed, String reference, String device) {
    /** Copies the history. */
    public DpoResult {
        history = List.copyOf(history);
    }

    /**
     * Returns the reward margin of every step.
     *
     * @return the margins in step order
     */
    public double[] rewardMargins() {
        return history.stream().mapToDouble(DpoStep::rewardMargin).toArray();
    }
}
