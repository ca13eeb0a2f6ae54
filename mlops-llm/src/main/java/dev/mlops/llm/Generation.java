package dev.mlops.llm;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Objects;

/**
 * What a generator returned for one prompt: the text and, when the model reports them, token counts and the
 * log-probabilities of the generated tokens.
 *
 * @param text the generated text
 * @param promptTokens tokens in the prompt, or {@code -1} when unknown (the harness then estimates them)
 * @param completionTokens tokens generated, or {@code -1} when unknown
 * @param tokenLogProbs natural-log probabilities of the generated tokens, empty when unknown
 */
public record Generation(String text, long promptTokens, long completionTokens, List<Double> tokenLogProbs) {
    /**
     * Validates the generation.
     *
     * @throws InvalidArgumentException if the text is null or a count is below -1
     */
    public Generation {
        if (text == null) {
            throw new InvalidArgumentException("generated text must not be null");
        }
        if (promptTokens < -1 || completionTokens < -1) {
            throw new InvalidArgumentException("token counts must be 0 or more, or -1 for unknown, but were "
                    + promptTokens + " and " + completionTokens);
        }
        tokenLogProbs = List.copyOf(Objects.requireNonNull(tokenLogProbs, "tokenLogProbs"));
    }

    /**
     * Creates a generation with unknown token counts.
     *
     * @param text the generated text
     * @return the generation
     */
    public static Generation of(String text) {
        return new Generation(text, -1, -1, List.of());
    }

    /**
     * Creates a generation with token counts reported by the model.
     *
     * @param text the generated text
     * @param promptTokens tokens in the prompt
     * @param completionTokens tokens generated
     * @return the generation
     */
    public static Generation of(String text, long promptTokens, long completionTokens) {
        return new Generation(text, promptTokens, completionTokens, List.of());
    }

    /**
     * Returns a copy with the log-probabilities of the generated tokens, from which the harness computes perplexity.
     *
     * @param logProbs natural-log probabilities
     * @return the copy
     */
    public Generation withTokenLogProbs(List<Double> logProbs) {
        return new Generation(text, promptTokens, completionTokens, logProbs);
    }
}
