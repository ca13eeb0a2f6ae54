package dev.mlops.llm.metrics;

/**
 * Precision, recall and F-measure of one ROUGE variant, each 0 to 1.
 *
 * @param precision matches over prediction size
 * @param recall matches over reference size
 * @param fmeasure the harmonic mean of precision and recall, 0 when both are 0
 */
public record RougeScore(double precision, double recall, double fmeasure) {
    /** A score of zero. */
    public static final RougeScore ZERO = new RougeScore(0, 0, 0);

    /**
     * Makes a score from precision and recall, computing F as rouge-score does.
     *
     * @param precision the precision
     * @param recall the recall
     * @return the score
     */
    public static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
