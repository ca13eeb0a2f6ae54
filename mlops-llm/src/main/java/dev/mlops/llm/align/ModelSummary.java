package dev.mlops.llm.align;

/**
 * Size, speed and quality of one model on a validation set.
 *
 * @param parameters base parameters (adapters excluded)
 * @param bytes bytes of the 32-bit weights
 * @param tokensPerSecond input tokens per second of forward passes over the validation set, without gradients
 * @param validationLoss mean cross-entropy per completion token against the labels
 * @param tokenAccuracy share of completion tokens where the most likely next token is the label
 */
public record ModelSummary(long parameters, long bytes, double tokensPerSecond, double validationLoss,
        double tokenAccuracy) {
}
