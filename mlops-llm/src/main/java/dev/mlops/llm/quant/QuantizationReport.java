package dev.mlops.llm.quant;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;

/**
 * What quantizing a model did.
 *
 * @param scheme the scheme, {@link Int8Quantization#SCHEME}
 * @param quantizedTensors how many weight matrices became 8-bit (per layer: query, key, value, attention output,
 *     MLP up and down)
 * @param before the weights' bytes in memory before
 * @param after the weights' bytes in memory after
 * @param maxAbsoluteError the largest difference between a weight and its dequantized value
 */
public record QuantizationReport(String scheme, int quantizedTensors, WeightFootprint before, WeightFootprint after,
        double maxAbsoluteError) {
    /**
     * Validates the report.
     *
     * @throws InvalidArgumentException if the count or the error is negative or the error is NaN
     * @throws NullPointerException if a part is null
     */
    public QuantizationReport {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (quantizedTensors < 0 || !(maxAbsoluteError >= 0)) {
            throw new InvalidArgumentException("quantizedTensors (" + quantizedTensors + ") and maxAbsoluteError ("
                    + maxAbsoluteError + ") must be 0 or more");
        }
    }

    /**
     * Returns how many times smaller the linear weights became.
     *
     * @return before over after, for instance 3.9
     */
    public double linearCompression() {
        return after.linearWeightBytes() == 0 ? 1 : (double) before.linearWeightBytes() / after.linearWeightBytes();
    }
}
