package dev.mlops.llm.metrics;

import java.util.Objects;

/**
 * The outcome of a paired bootstrap test between a baseline and a candidate system on the same segments
 * (Koehn, 2004; the p-value as sacreBLEU computes it).
 *
 * @param metric the metric's name
 * @param baseline the baseline's corpus score
 * @param candidate the candidate's corpus score
 * @param delta {@code candidate - baseline}
 * @param deltaLow the lower percentile of the resampled deltas
 * @param deltaHigh the upper percentile of the resampled deltas
 * @param pValue the two-sided p-value of "no difference": the share of resamples whose centred absolute delta
 *     reaches the observed absolute delta, with add-one correction
 * @param candidateWinRate the share of resamples in which the candidate scores higher than the baseline
 * @param level the confidence level of the delta interval
 * @param samples the number of resamples
 * @param seed the seed of the resampling
 */
public record PairedBootstrapResult(String metric, double baseline, double candidate, double delta,
        double deltaLow, double deltaHigh, double pValue, double candidateWinRate, double level, int samples,
        long seed) {
    /**
     * Validates the result.
     *
     * @throws NullPointerException if the metric is null
     */
    public PairedBootstrapResult {
        Objects.requireNonNull(metric, "metric");
    }

    /**
     * Tells whether the difference is significant at a level.
     *
     * @param alpha the significance level, for instance 0.05
     * @return true if the p-value is below alpha
     */
    public boolean significant(double alpha) {
        return pValue < alpha;
    }
}
