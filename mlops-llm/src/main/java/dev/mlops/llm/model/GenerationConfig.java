package dev.mlops.llm.model;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;

/**
 * How text is generated: greedy decoding (temperature 0) or sampling with temperature, top-k and top-p (nucleus),
 * stopping at the end-of-text token, at a stop sequence, after a number of new tokens, or when the context is full.
 * Immutable; derive variants with the {@code with...} methods.
 *
 * @param maxNewTokens the most tokens to generate, 1 or more
 * @param temperature 0 for greedy decoding, else the softmax temperature (above 0)
 * @param topK keep only the k most likely tokens before sampling; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]; 1 keeps all
 * @param stopSequences texts that end the generation; the text is cut before the first one found
 * @param seed the sampling seed; each call starts from it, so equal prompts give equal outputs
 * @param useCache whether to keep keys and values of past tokens (true), or recompute the whole sequence for every
 *     new token (false; slower, same result)
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP,
        List<String> stopSequences, long seed, boolean useCache) {
    /**
     * Validates the configuration.
     *
     * @throws InvalidArgumentException naming the first value out of range
     */
    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new InvalidArgumentException("maxNewTokens must be at least 1, but was " + maxNewTokens);
        }
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new InvalidArgumentException("temperature must be 0 (greedy) or positive, but was " + temperature);
        }
        if (topK < 0) {
            throw new InvalidArgumentException("topK must be 0 (off) or positive, but was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidArgumentException("topP must be in (0, 1], but was " + topP);
        }
        stopSequences = List.copyOf(stopSequences);
        for (String s : stopSequences) {
            if (s.isEmpty()) {
                throw new InvalidArgumentException("a stop sequence must not be empty");
            }
        }
    }

    /**
     * Returns greedy decoding with the key/value cache and no stop sequences.
     *
     * @param maxNewTokens the most tokens to generate
     * @return the configuration
     */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 0, 1, List.of(), 0, true);
    }

    /**
     * Returns sampling with the key/value cache and no stop sequences.
     *
     * @param maxNewTokens the most tokens to generate
     * @param temperature the temperature, above 0
     * @param topK 0 for all tokens, else how many of the most likely to keep
     * @param topP the nucleus mass, in (0, 1]
     * @param seed the sampling seed
     * @return the configuration
     */
    public static GenerationConfig sampling(int maxNewTokens, double temperature, int topK, double topP, long seed) {
        if (temperature == 0) {
            throw new InvalidArgumentException("sampling needs a temperature above 0; use greedy() for 0");
        }
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, List.of(), seed, true);
    }

    /**
     * Returns a copy with stop sequences.
     *
     * @param stops the stop sequences
     * @return the copy
     */
    public GenerationConfig withStopSequences(String... stops) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, List.of(stops), seed, useCache);
    }

    /**
     * Returns a copy with another token budget.
     *
     * @param tokens the most tokens to generate
     * @return the copy
     */
    public GenerationConfig withMaxNewTokens(int tokens) {
        return new GenerationConfig(tokens, temperature, topK, topP, stopSequences, seed, useCache);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param value the seed
     * @return the copy
     */
    public GenerationConfig withSeed(long value) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, stopSequences, value, useCache);
    }

    /**
     * Returns a copy that uses the key/value cache or not.
     *
     * @param cache true to cache
     * @return the copy
     */
    public GenerationConfig withCache(boolean cache) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, stopSequences, seed, cache);
    }
}
