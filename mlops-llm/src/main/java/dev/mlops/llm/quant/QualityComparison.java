package dev.mlops.llm.quant;

import dev.mlops.api.InvalidArgumentException;

/**
 * How a model's predictions compare with a reference's on the same token sequences (teacher forcing: at every
 * position both predict the next token of the sequence).
 *
 * @param referencePerplexity the reference's perplexity of the sequences
 * @param perplexity the compared model's perplexity of the same sequences
 * @param top1Agreement the share of positions where both models rank the same token first, in [0, 1]
 * @param maxAbsoluteLogitDifference the largest difference between the two models' logits
 * @param positions the number of predicted positions
 */
public record QualityComparison(double referencePerplexity, double perplexity, double top1Agreement,
        double maxAbsoluteLogitDifference, long positions) {
    /**
     * Validates the figures.
     *
     * @throws InvalidArgumentException if a perplexity is below 1 or NaN, the agreement is outside [0, 1], the
     *     difference is negative or NaN, or there are no positions
     */
    public QualityComparison {
        if (!(referencePerplexity >= 1) || !(perplexity >= 1)) {
            throw new InvalidArgumentException("perplexities must be 1 or more, not " + referencePerplexity + " and "
                    + perplexity);
        }
        if (!(top1Agreement >= 0 && top1Agreement <= 1)) {
            throw new InvalidArgumentException("top1Agreement must be in [0, 1], not " + top1Agreement);
        }
        if (!(maxAbsoluteLogitDifference >= 0)) {
            throw new InvalidArgumentException("maxAbsoluteLogitDifference must be 0 or more, not "
                    + maxAbsoluteLogitDifference);
        }
        if (positions < 1) {
            throw new InvalidArgumentException("positions must be at least 1, not " + positions);
        }
    }

    /**
     * Returns the perplexity's relative change: {@code perplexity / referencePerplexity - 1}.
     *
     * @return for instance 0.01 for a one percent increase
     */
    public double relativePerplexityIncrease() {
        return perplexity / referencePerplexity - 1;
    }
}
