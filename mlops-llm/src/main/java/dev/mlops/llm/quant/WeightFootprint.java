package dev.mlops.llm.quant;

import dev.mlops.api.InvalidArgumentException;

/**
 * The bytes a model's base weights take in memory, split into the linear layers' weights (what 8-bit quantization
 * shrinks) and everything else (embeddings, which double as the LM head, layer norms, biases, adapters).
 *
 * @param linearWeightBytes the weights of the attention and MLP projections, with their scales when quantized
 * @param otherBytes every other parameter
 */
public record WeightFootprint(long linearWeightBytes, long otherBytes) {
    /**
     * Validates the counts.
     *
     * @throws InvalidArgumentException if a count is negative
     */
    public WeightFootprint {
        if (linearWeightBytes < 0 || otherBytes < 0) {
            throw new InvalidArgumentException("byte counts must be 0 or more, not " + linearWeightBytes + " and "
                    + otherBytes);
        }
    }

    /**
     * Returns the total.
     *
     * @return linear plus other bytes
     */
    public long totalBytes() {
        return linearWeightBytes + otherBytes;
    }
}
