package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Factories for the built-in {@link CorpusMetric}s used by bootstrap intervals and the evaluation harness.
 *
 * <table>
 *   <caption>Built-in metrics</caption>
 *   <tr><th>name</th><th>corpus score</th><th>segment score</th><th>scale</th></tr>
 *   <tr><td>{@code bleu}</td><td>sacreBLEU corpus BLEU</td><td>sentence BLEU (effective order)</td><td>0-100</td></tr>
 *   <tr><td>{@code chrf}</td><td>sacreBLEU corpus chrF</td><td>sentence chrF</td><td>0-100</td></tr>
 *   <tr><td>{@code rouge1}, {@code rougeL}, ...</td><td>mean F-measure</td><td>F-measure (best reference)</td>
 *       <td>0-1</td></tr>
 *   <tr><td>{@code exact_match}</td><td>mean</td><td>0 or 1 (SQuAD normalization)</td><td>0-1</td></tr>
 *   <tr><td>{@code token_f1}</td><td>mean</td><td>SQuAD token F1</td><td>0-1</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe; the metrics returned are immutable.
 */
public final class TextMetrics {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");

    private TextMetrics() {
    }

    /**
     * Returns corpus BLEU with sacreBLEU's defaults.
     *
     * @return the metric named {@code bleu}
     */
    public static CorpusMetric bleu() {
        return bleu(Bleu.corpus());
    }

    /**
     * Returns corpus BLEU with a given configuration; segment scores use the same settings with effective order.
     *
     * @param bleu the configuration
     * @return the metric named {@code bleu}
     */
    public static CorpusMetric bleu(Bleu bleu) {
        Objects.requireNonNull(bleu, "bleu");
        Bleu sentence = bleu.effectiveOrder() ? bleu : Bleu.builder().tokenizer(bleu.tokenizer())
                .smoothing(bleu.smoothing()).lowercase(bleu.lowercase()).maxNgramOrder(bleu.maxNgramOrder())
                .effectiveOrder(true).build();
        return new CorpusMetric() {
            @Override
            public String name() {
                return "bleu";
            }

            @Override
            public double[] statistics(String prediction, List<String> references) {
                return bleu.statistics(prediction, references);
            }

            @Override
            public double score(double[] summed) {
                return bleu.fromStatistics(summed, 1).score();
            }

            @Override
            public double segmentScore(String prediction, List<String> references) {
                return sentence.sentenceScore(prediction, references).score();
            }

            @Override
            public String signature() {
                return bleu.signature(1);
            }

            @Override
            public String toString() {
                return "bleu";
            }
        };
    }

    /**
     * Returns corpus chrF with sacreBLEU's defaults.
     *
     * @return the metric named {@code chrf}
     */
    public static CorpusMetric chrf() {
        return chrf(Chrf.defaults());
    }

    /**
     * Returns corpus chrF with a given configuration.
     *
     * @param chrf the configuration
     * @return the metric named {@code chrf}
     */
    public static CorpusMetric chrf(Chrf chrf) {
        Objects.requireNonNull(chrf, "chrf");
        return new CorpusMetric() {
            @Override
            public String name() {
                return "chrf";
            }

            @Override
            public double[] statistics(String prediction, List<String> references) {
                return chrf.statistics(prediction, references);
            }

            @Override
            public double score(double[] summed) {
                return chrf.fromStatistics(summed, 1).score();
            }

            @Override
            public String signature() {
                return chrf.signature(1);
            }

            @Override
            public String toString() {
                return "chrf";
            }
        };
    }

    /**
     * Returns the mean F-measure of one ROUGE variant, without stemming.
     *
     * @param type the variant
     * @return the metric named after the variant, for instance {@code rougeL}
     */
    public static CorpusMetric rouge(RougeType type) {
        return rouge(type, false);
    }

    /**
     * Returns the mean F-measure of one ROUGE variant.
     *
     * @param type the variant
     * @param stemming whether to stem tokens
     * @return the metric named after the variant
     */
    public static CorpusMetric rouge(RougeType type, boolean stemming) {
        Rouge rouge = Rouge.builder().types(type).stemming(stemming).build();
        return mean(type.name(), (p, refs) -> rouge.scoreMulti(p, refs).get(type).fmeasure());
    }

    /**
     * Returns the rate of exact matches after SQuAD normalization.
     *
     * @return the metric named {@code exact_match}
     */
    public static CorpusMetric exactMatch() {
        return mean("exact_match", AnswerMatch::exactMatch);
    }

    /**
     * Returns the mean SQuAD token F1.
     *
     * @return the metric named {@code token_f1}
     */
    public static CorpusMetric tokenF1() {
        return mean("token_f1", AnswerMatch::tokenF1);
    }

    /** A per-segment value whose corpus score is the mean. */
    @FunctionalInterface
    public interface SegmentFunction {
        /**
         * Scores one segment.
         *
         * @param prediction the generated text
         * @param references the segment's references
         * @return the segment's value
         */
        double apply(String prediction, List<String> references);
    }

    /**
     * Wraps a per-segment function as a metric whose corpus score is the mean over segments.
     *
     * @param name the metric's name: 1 to 100 letters, digits, {@code _ . -}
     * @param function the per-segment value; must be thread-safe
     * @return the metric
     * @throws InvalidArgumentException if the name is not acceptable
     */
    public static CorpusMetric mean(String name, SegmentFunction function) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("metric name '" + name + "' must be 1 to 100 letters, digits, "
                    + "'_', '.' or '-'");
        }
        Objects.requireNonNull(function, "function");
        return new CorpusMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double[] statistics(String prediction, List<String> references) {
                return new double[] {function.apply(prediction, references), 1};
            }

            @Override
            public double score(double[] summed) {
                return summed[1] == 0 ? Double.NaN : summed[0] / summed[1];
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
