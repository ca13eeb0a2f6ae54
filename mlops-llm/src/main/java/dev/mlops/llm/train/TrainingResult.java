package dev.mlops.llm.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of a fine-tuning run.
 *
 * @param steps optimizer steps taken, including those before a resume
 * @param totalSteps steps planned
 * @param stoppedEarly true when early stopping ended the run
 * @param bestValidationLoss the lowest validation loss measured, NaN when none
 * @param bestStep the step of that loss, 0 when none
 * @param finalTrainLoss the last step's training loss
 * @param history every step, in order
 * @param trainableParameters parameters the optimizer updated
 * @param optimizerStateBytes bytes of AdamW state (two 32-bit moments per trainable parameter)
 * @param tokens input tokens processed
 * @param tokensPerSecond tokens processed per second of training time
 * @param elapsed training time, including validation and checkpoints, summed over resumed parts
 * @param estimatedCost elapsed device-hours times the configured price, 0 without a price
 * @param precision the arithmetic used
 * @param device the device, for instance {@code cpu()} or {@code gpu(0)}
 * @param lastCheckpoint the last checkpoint written, or null
 */
public record TrainingResult(long steps, long totalSteps, boolean stoppedEarly, double bestValidationLoss,
        long bestStep, double finalTrainLoss, List<StepRecord> history, long trainableParameters,
        long optimizerStateBytes, long tokens, double tokensPerSecond, Duration elapsed, double estimatedCost,
        Precision precision, String device, Path lastCheckpoint) {
    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /**
     * Returns the training loss of every step.
     *
     * @return the losses in step order
     */
    public double[] trainLosses() {
        return history.stream().mapToDouble(StepRecord::trainLoss).toArray();
    }
}
