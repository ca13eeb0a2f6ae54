package dev.mlops.llm.model;

import java.util.List;

/**
 * The outcome of one generation.
 *
 * @param text the generated text, cut before a stop sequence and without the end-of-text token
 * @param tokenIds the generated token ids, including the end-of-text token when it was produced
 * @param logProbs the model's natural-log probability of each generated token (at temperature 1, before top-k and
 *     top-p), one per id
 * @param promptTokens the number of prompt tokens
 * @param reason why generation stopped
 */
public record Generated(String text, long[] tokenIds, List<Double> logProbs, int promptTokens, FinishReason reason) {
    /** Why generation stopped. */
    public enum FinishReason {
        /** The model produced the end-of-text token. */
        END_OF_TEXT,
        /** A stop sequence appeared. */
        STOP_SEQUENCE,
        /** The token budget was spent. */
        MAX_TOKENS,
        /** The context length was reached. */
        CONTEXT_FULL
    }

    /** Copies the arrays. */
    public Generated {
        tokenIds = tokenIds.clone();
        logProbs = List.copyOf(logProbs);
    }

    /**
     * Returns the generated ids.
     *
     * @return a copy
     */
    @Override
    public long[] tokenIds() {
        return tokenIds.clone();
    }
}
