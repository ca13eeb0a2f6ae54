package dev.mlops.llm.train;

/**
 * What one optimizer step did.
 *
 * @param step the step, from 1
 * @param trainLoss the mean loss per trained token over the step's micro-batches
 * @param learningRate the rate used
 * @param gradNorm the global gradient norm before clipping (NaN when the step was skipped)
 * @param tokens input tokens processed, padding excluded
 * @param validationLoss the validation loss measured after this step, or NaN when none was measured
 * @param skipped true when mixed precision found an overflow and skipped the update
 */
public record StepRecord(long step, double trainLoss, double learningRate, double gradNorm, long tokens,
        double validationLoss, boolean skipped) {
    /**
     * Returns a copy carrying a validation loss.
     *
     * @param loss the loss
     * @return the copy
     */
    public StepRecord withValidationLoss(double loss) {
        return new StepRecord(step, trainLoss, learningRate, gradNorm, tokens, loss, skipped);
    }
}
