package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.NGrams;
import dev.mlops.llm.internal.PyText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.x computes it: the same tokenizers ({@code 13a} and
 * {@code none}), clipped n-gram matches against one or more references (each n-gram's count is the largest over the
 * references), the closest reference length (the shorter on a tie) for the brevity penalty, the four smoothing
 * methods, optional effective order, and the same signature.
 *
 * <pre>{@code
 * Bleu bleu = Bleu.corpus();                                   // 13a, exp smoothing, eff:no
 * BleuScore s = bleu.corpusScore(hypotheses, references);      // one reference stream
 * BleuScore t = bleu.corpusScore(hypotheses, refsA, refsB);    // two reference streams
 * double sentence = Bleu.sentence().sentenceScore("the cat", "the cat sat").score();
 * }</pre>
 *
 * <p>Segments are right-stripped (and lower-cased when asked) before tokenizing, as in sacreBLEU; an empty or null
 * reference is a missing one, and a segment left with no reference is an error. Scores are 0 to 100. Results equal
 * sacreBLEU's up to the last bits of {@code log}/{@code exp}. Immutable and thread-safe.
 */
public final class Bleu {
    /**
     * The sacreBLEU release whose definitions and signature format this implementation reproduces; it is the
     * {@code version} field of the signature.
     */
    public static final String SIGNATURE_VERSION = "2.5.1";

    private final BleuTokenizer tokenizer;
    private final Smoothing smoothing;
    private final boolean lowercase;
    private final int maxNgramOrder;
    private final boolean effectiveOrder;

    private Bleu(Builder b) {
        this.tokenizer = b.tokenizer;
        this.smoothing = b.smoothing;
        this.lowercase = b.lowercase;
        this.maxNgramOrder = b.maxNgramOrder;
        this.effectiveOrder = b.effectiveOrder;
    }

    /**
     * Returns sacreBLEU's corpus defaults: {@code 13a}, {@code exp} smoothing, mixed case, order 4, no effective order.
     *
     * @return the corpus BLEU
     */
    public static Bleu corpus() {
        return builder().build();
    }

    /**
     * Returns sacreBLEU's {@code sentence_bleu} defaults: as {@link #corpus()} but with effective order, so a short
     * sentence is not zeroed by the orders it is too short to have.
     *
     * @return the sentence BLEU
     */
    public static Bleu sentence() {
        return builder().effectiveOrder(true).build();
    }

    /**
     * Starts configuring BLEU.
     *
     * @return a builder with sacreBLEU's corpus defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores a corpus against one or more reference streams, each parallel to the hypotheses.
     *
     * @param hypotheses one hypothesis per segment
     * @param referenceStreams one or more lists of references, each as long as the hypotheses; an empty or null
     *     entry means that stream has no reference for that segment
     * @return the corpus score
     * @throws InvalidArgumentException if no stream is given, a stream's length differs, a hypothesis is null, or a
     *     segment has no reference
     */
    @SafeVarargs
    public final BleuScore corpusScore(List<String> hypotheses, List<String>... referenceStreams) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        if (referenceStreams.length == 0) {
            throw new InvalidArgumentException("at least one reference stream is needed");
        }
        for (int s = 0; s < referenceStreams.length; s++) {
            List<String> stream = Objects.requireNonNull(referenceStreams[s], "reference stream " + s);
            if (stream.size() != hypotheses.size()) {
                throw new InvalidArgumentException("reference stream " + s + " has " + stream.size()
                        + " segments but there are " + hypotheses.size() + " hypotheses");
            }
        }
        List<List<String>> bySegment = new ArrayList<>(hypotheses.size());
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> refs = new ArrayList<>(referenceStreams.length);
            for (List<String> stream : referenceStreams) {
                refs.add(stream.get(i));
            }
            bySegment.add(refs);
        }
        return corpusScoreBySegment(hypotheses, bySegment);
    }

    /**
     * Scores a corpus given the references of each segment.
     *
     * @param hypotheses one hypothesis per segment
     * @param references for each segment, its references (empty or null entries are missing references)
     * @return the corpus score
     * @throws InvalidArgumentException if the lengths differ, a hypothesis is null, or a segment has no reference
     */
    public BleuScore corpusScoreBySegment(List<String> hypotheses, List<? extends List<String>> references) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(references, "references");
        if (references.size() != hypotheses.size()) {
            throw new InvalidArgumentException("there are " + hypotheses.size() + " hypotheses but "
                    + references.size() + " reference lists");
        }
        double[] sum = new double[statisticsSize()];
        Set<Integer> refCounts = new HashSet<>();
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> refs = presentReferences(references.get(i), i);
            refCounts.add(refs.size());
            double[] st = statistics(hypothesis(hypotheses.get(i), i), refs, i);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += st[k];
            }
        }
        int nrefs = refCounts.size() == 1 ? refCounts.iterator().next() : refCounts.isEmpty() ? 1 : -1;
        return fromStatistics(sum, nrefs);
    }

    /**
     * Scores one segment against its references with this configuration ({@link #sentence()} gives sacreBLEU's
     * {@code sentence_bleu}).
     *
     * @param hypothesis the hypothesis
     * @param references one or more references
     * @return the sentence score
     * @throws InvalidArgumentException if the hypothesis is null or there is no non-empty reference
     */
    public BleuScore sentenceScore(String hypothesis, String... references) {
        return sentenceScore(hypothesis, Arrays.asList(references));
    }

    /**
     * Scores one segment against its references with this configuration.
     *
     * @param hypothesis the hypothesis
     * @param references one or more references
     * @return the sentence score
     * @throws InvalidArgumentException if the hypothesis is null or there is no non-empty reference
     */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        List<String> refs = presentReferences(references, 0);
        return fromStatistics(statistics(hypothesis(hypothesis, 0), refs, 0), refs.size());
    }

    /**
     * Returns one segment's sufficient statistics: hypothesis length, reference length, matches per order and
     * totals per order. Summing these over segments and calling {@link #fromStatistics} gives the corpus score.
     *
     * @param hypothesis the hypothesis
     * @param references the segment's references
     * @return {@code 2 + 2 * maxNgramOrder} numbers
     * @throws InvalidArgumentException if the hypothesis is null or there is no non-empty reference
     */
    public double[] statistics(String hypothesis, List<String> references) {
        return statistics(hypothesis(hypothesis, 0), presentReferences(references, 0), 0);
    }

    private double[] statistics(String hypothesis, List<String> refs, int segment) {
        String[] hyp = tokens(hypothesis);
        List<String[]> refTokens = new ArrayList<>(refs.size());
        for (String r : refs) {
            refTokens.add(tokens(r));
        }
        return NGrams.bleuStatistics(hyp, refTokens, maxNgramOrder);
    }

    /**
     * Returns the number of statistics per segment.
     *
     * @return {@code 2 + 2 * maxNgramOrder}
     */
    public int statisticsSize() {
        return 2 + 2 * maxNgramOrder;
    }

    /**
     * Computes a score from summed statistics, exactly as sacreBLEU's {@code compute_bleu}.
     *
     * @param stats summed statistics in the layout of {@link #statistics}
     * @param nrefs references per segment for the signature, or {@code -1} when it varies
     * @return the score
     * @throws InvalidArgumentException if the statistics have the wrong length
     */
    public BleuScore fromStatistics(double[] stats, int nrefs) {
        if (stats.length != statisticsSize()) {
            throw new InvalidArgumentException("BLEU statistics must have " + statisticsSize() + " values, not "
                    + stats.length);
        }
        int order = maxNgramOrder;
        double[] correct = Arrays.copyOfRange(stats, 2, 2 + order);
        double[] total = Arrays.copyOfRange(stats, 2 + order, 2 + 2 * order);
        List<Long> counts = new ArrayList<>(order);
        List<Long> totals = new ArrayList<>(order);
        for (int n = 0; n < order; n++) {
            counts.add((long) correct[n]);
            totals.add((long) total[n]);
        }
        double sysLen = stats[0];
        double refLen = stats[1];
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[order];
        String signature = signature(nrefs);
        boolean anyMatch = false;
        for (double c : correct) {
            anyMatch |= c != 0;
        }
        if (!anyMatch) {
            return new BleuScore(0.0, counts, totals, boxed(precisions), bp, (long) sysLen, (long) refLen, signature);
        }
        double smoothMteval = 1.0;
        int effOrder = order;
        double k = smoothing.value();
        for (int n = 1; n <= order; n++) {
            if (smoothing.method() == Smoothing.Method.ADD_K && n > 1) {
                correct[n - 1] += k;
                total[n - 1] += k;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                if (smoothing.method() == Smoothing.Method.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                } else if (smoothing.method() == Smoothing.Method.FLOOR) {
                    precisions[n - 1] = 100.0 * k / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int n = 0; n < effOrder; n++) {
            logSum += precisions[n] > 0 ? Math.log(precisions[n]) : -9999999999.0;
        }
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, counts, totals, boxed(precisions), bp, (long) sysLen, (long) refLen, signature);
    }

    /**
     * Returns sacreBLEU's signature for this configuration.
     *
     * @param nrefs references per segment, or {@code -1} when it varies ({@code nrefs:var})
     * @return for instance {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1}
     */
    public String signature(int nrefs) {
        return "nrefs:" + (nrefs == -1 ? "var" : String.valueOf(nrefs)) + "|case:" + (lowercase ? "lc" : "mixed")
                + "|eff:" + (effectiveOrder ? "yes" : "no") + "|tok:" + tokenizer.signature() + "|smooth:"
                + smoothing.signature() + "|version:" + SIGNATURE_VERSION;
    }

    /**
     * Tokenizes a segment as BLEU sees it: lower-cased if configured, right-stripped, tokenized, split.
     *
     * @param segment the text
     * @return the tokens
     */
    public String[] tokens(String segment) {
        String s = lowercase ? PyText.lower(segment) : segment;
        return PyText.split(tokenizer.apply(PyText.rstrip(s))).toArray(new String[0]);
    }

    /**
     * Returns the tokenizer.
     *
     * @return the tokenizer
     */
    public BleuTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Returns the smoothing.
     *
     * @return the smoothing
     */
    public Smoothing smoothing() {
        return smoothing;
    }

    /**
     * Tells whether text is lower-cased first.
     *
     * @return true for case-insensitive BLEU
     */
    public boolean lowercase() {
        return lowercase;
    }

    /**
     * Returns the largest n-gram order.
     *
     * @return the order, 4 by default
     */
    public int maxNgramOrder() {
        return maxNgramOrder;
    }

    /**
     * Tells whether orders the hypothesis is too short to have are left out of the mean.
     *
     * @return true for effective order
     */
    public boolean effectiveOrder() {
        return effectiveOrder;
    }

    private static String hypothesis(String h, int segment) {
        if (h == null) {
            throw new InvalidArgumentException("hypothesis of segment " + segment + " is null");
        }
        return h;
    }

    private static List<String> presentReferences(List<String> refs, int segment) {
        if (refs == null) {
            throw new InvalidArgumentException("segment " + segment + " has no reference list");
        }
        List<String> out = new ArrayList<>(refs.size());
        for (String r : refs) {
            if (r != null && !r.isEmpty()) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidArgumentException("segment " + segment + " has no non-empty reference");
        }
        return out;
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Bleu[" + signature(1) + "]";
    }

    /**
     * Configures {@link Bleu}. Each option may be set once; not thread-safe.
     */
    public static final class Builder {
        private BleuTokenizer tokenizer = BleuTokenizer.THIRTEEN_A;
        private Smoothing smoothing = Smoothing.exp();
        private boolean lowercase;
        private int maxNgramOrder = 4;
        private boolean effectiveOrder;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            Objects.requireNonNull(value, option);
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Sets the tokenizer; the default is {@link BleuTokenizer#THIRTEEN_A}.
         *
         * @param value the tokenizer
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder tokenizer(BleuTokenizer value) {
            once("tokenizer", value);
            this.tokenizer = value;
            return this;
        }

        /**
         * Sets the smoothing; the default is {@link Smoothing#exp()}.
         *
         * @param value the smoothing
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder smoothing(Smoothing value) {
            once("smoothing", value);
            this.smoothing = value;
            return this;
        }

        /**
         * Makes BLEU case-insensitive ({@code case:lc}); the default is mixed case.
         *
         * @param value true to lower-case text first
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder lowercase(boolean value) {
            once("lowercase", value);
            this.lowercase = value;
            return this;
        }

        /**
         * Sets the largest n-gram order; the default is 4.
         *
         * @param value 1 to 9
         * @return this builder
         * @throws InvalidArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder maxNgramOrder(int value) {
            once("maxNgramOrder", value);
            if (value < 1 || value > 9) {
                throw new InvalidArgumentException("maxNgramOrder must be 1 to 9, but was " + value);
            }
            this.maxNgramOrder = value;
            return this;
        }

        /**
         * Leaves out of the geometric mean the orders a hypothesis is too short to have ({@code eff:yes}); the
         * default is off, as for corpus BLEU in sacreBLEU.
         *
         * @param value true for effective order
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder effectiveOrder(boolean value) {
            once("effectiveOrder", value);
            this.effectiveOrder = value;
            return this;
        }

        /**
         * Builds the configured metric.
         *
         * @return the metric
         */
        public Bleu build() {
            return new Bleu(this);
        }
    }
}
