package dev.mlops.llm.metrics;

import java.util.List;

/**
 * A text metric in the form bootstrap resampling and the evaluation harness need: per-segment sufficient statistics
 * that add up, and a score computed from their sum. BLEU and chrF sum n-gram counts (so the corpus score is not the
 * mean of sentence scores); mean-type metrics (ROUGE, exact match, token F1) use {@code [value, 1]}.
 *
 * <p>{@link TextMetrics} makes the built-in ones; implement this interface for a metric of your own.
 * Implementations must be thread-safe.
 */
public interface CorpusMetric {
    /**
     * Returns the metric's name, used as a column name and a metric key: letters, digits, {@code _ - .}.
     *
     * @return for instance {@code bleu} or {@code rougeL}
     */
    String name();

    /**
     * Returns one segment's sufficient statistics.
     *
     * @param prediction the generated text
     * @param references the segment's references
     * @return a fixed number of statistics
     * @throws dev.mlops.api.InvalidArgumentException if the input is not acceptable, for instance no reference
     */
    double[] statistics(String prediction, List<String> references);

    /**
     * Computes the corpus score from statistics summed over segments.
     *
     * @param summed the element-wise sum of {@link #statistics} over the segments
     * @return the score
     */
    double score(double[] summed);

    /**
     * Returns the score of one segment on its own. The default scores its statistics; BLEU overrides it with
     * sentence BLEU (effective order), as sacreBLEU's {@code sentence_bleu}.
     *
     * @param prediction the generated text
     * @param references the segment's references
     * @return the segment's score
     */
    default double segmentScore(String prediction, List<String> references) {
        return score(statistics(prediction, references));
    }

    /**
     * Returns a description of how the score is computed (a sacreBLEU signature, for instance), or an empty string.
     *
     * @return the description
     */
    default String signature() {
        return "";
    }

    /**
     * Computes the corpus score of predictions against their references.
     *
     * @param predictions one prediction per segment
     * @param references the references of each segment
     * @return the corpus score
     * @throws dev.mlops.api.InvalidArgumentException if the lengths differ or a segment is not acceptable
     */
    default double corpusScore(List<String> predictions, List<? extends List<String>> references) {
        return score(Bootstrap.sum(Bootstrap.statistics(this, predictions, references)));
    }
}
