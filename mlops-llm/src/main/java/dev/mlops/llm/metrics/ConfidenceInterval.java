package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;

/**
 * A bootstrap confidence interval for a corpus metric.
 *
 * @param metric the metric's name
 * @param score the score on the full corpus
 * @param mean the mean of the resampled scores
 * @param low the lower percentile of the resampled scores
 * @param high the upper percentile of the resampled scores
 * @param level the confidence level, for instance 0.95
 * @param samples the number of resamples
 * @param seed the seed of the resampling
 */
public record ConfidenceInterval(String metric, double score, double mean, double low, double high, double level,
        int samples, long seed) {
    /**
     * Validates the interval.
     *
     * @throws InvalidArgumentException if the level is not in (0, 1) or there are no samples
     */
    public ConfidenceInterval {
        Objects.requireNonNull(metric, "metric");
        if (!(level > 0 && level < 1)) {
            throw new InvalidArgumentException("confidence level must be between 0 and 1, but was " + level);
        }
        if (samples < 1) {
            throw new InvalidArgumentException("samples must be 1 or more, but was " + samples);
        }
    }

    /**
     * Returns half the width of the interval, as sacreBLEU's {@code ±}.
     *
     * @return {@code (high - low) / 2}
     */
    public double halfWidth() {
        return (high - low) / 2;
    }
}
