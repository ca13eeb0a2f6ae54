package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.PyText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.x computes them: character n-grams of
 * orders 1 to {@code charOrder} over the text with whitespace removed (code points, not UTF-16 units), optional word
 * n-grams after splitting punctuation off word ends, precision and recall averaged over the orders that both sides
 * have, and the F-beta of the averages. With several references a segment takes the statistics of the reference
 * with the best F. A corpus score sums the statistics of all segments first.
 *
 * <p>The defaults are sacreBLEU's: character order 6, word order 0, beta 2, case-sensitive, whitespace ignored,
 * effective-order averaging (not the epsilon smoothing of chrF++.py). Scores are 0 to 100. Immutable and thread-safe.
 */
public final class Chrf {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final int charOrder;
    private final int wordOrder;
    private final int beta;
    private final boolean lowercase;
    private final boolean whitespace;
    private final boolean epsSmoothing;

    private Chrf(Builder b) {
        this.charOrder = b.charOrder;
        this.wordOrder = b.wordOrder;
        this.beta = b.beta;
        this.lowercase = b.lowercase;
        this.whitespace = b.whitespace;
        this.epsSmoothing = b.epsSmoothing;
    }

    /**
     * Returns chrF with sacreBLEU's defaults (chrF2, character order 6).
     *
     * @return the metric
     */
    public static Chrf defaults() {
        return builder().build();
    }

    /**
     * Returns chrF++: sacreBLEU's defaults plus word n-grams of orders 1 and 2.
     *
     * @return the metric
     */
    public static Chrf plusPlus() {
        return builder().wordOrder(2).build();
    }

    /**
     * Starts configuring chrF.
     *
     * @return a builder with sacreBLEU's defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores a corpus against one or more reference streams, each parallel to the hypotheses.
     *
     * @param hypotheses one hypothesis per segment
     * @param referenceStreams lists of references, each as long as the hypotheses; empty or null entries are missing
     * @return the corpus score
     * @throws InvalidArgumentException if the lengths differ, a hypothesis is null, or a segment has no reference
     */
    @SafeVarargs
    public final ChrfScore corpusScore(List<String> hypotheses, List<String>... referenceStreams) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        if (referenceStreams.length == 0) {
            throw new InvalidArgumentException("at least one reference stream is needed");
        }
        for (int s = 0; s < referenceStreams.length; s++) {
            if (referenceStreams[s].size() != hypotheses.size()) {
                throw new InvalidArgumentException("reference stream " + s + " has " + referenceStreams[s].size()
                        + " segments but there are " + hypotheses.size() + " hypotheses");
            }
        }
        double[] sum = new double[statisticsSize()];
        Set<Integer> nrefs = new HashSet<>();
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> refs = new ArrayList<>();
            for (List<String> stream : referenceStreams) {
                refs.add(stream.get(i));
            }
            List<String> present = present(refs, i);
            nrefs.add(present.size());
            double[] st = statistics(hypothesis(hypotheses.get(i), i), present);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += st[k];
            }
        }
        return fromStatistics(sum, nrefs.size() == 1 ? nrefs.iterator().next() : nrefs.isEmpty() ? 1 : -1);
    }

    /**
     * Scores one segment.
     *
     * @param hypothesis the hypothesis
     * @param references one or more references
     * @return the score
     * @throws InvalidArgumentException if the hypothesis is null or there is no non-empty reference
     */
    public ChrfScore sentenceScore(String hypothesis, String... references) {
        List<String> refs = present(Arrays.asList(references), 0);
        return fromStatistics(statistics(hypothesis(hypothesis, 0), refs), refs.size());
    }

    /**
     * Returns one segment's statistics: for each order (characters first, then words), the hypothesis n-gram count,
     * the reference n-gram count and the matches, taken from the reference with the best F.
     *
     * @param hypothesis the hypothesis
     * @param references the segment's references
     * @return {@code 3 * (charOrder + wordOrder)} numbers
     * @throws InvalidArgumentException if the hypothesis is null or there is no non-empty reference
     */
    public double[] statistics(String hypothesis, List<String> references) {
        List<String> refs = present(references, 0);
        String hyp = prepare(hypothesis(hypothesis, 0));
        List<Map<String, Integer>> hypNgrams = ngrams(hyp);
        double[] best = null;
        double bestF = -1.0;
        for (String ref : refs) {
            List<Map<String, Integer>> refNgrams = ngrams(prepare(ref));
            double[] stats = new double[statisticsSize()];
            for (int o = 0; o < hypNgrams.size(); o++) {
                Map<String, Integer> h = hypNgrams.get(o);
                Map<String, Integer> r = refNgrams.get(o);
                long match = 0;
                long hypCount = 0;
                for (Map.Entry<String, Integer> e : h.entrySet()) {
                    hypCount += e.getValue();
                    Integer rc = r.get(e.getKey());
                    if (rc != null) {
                        match += Math.min(e.getValue(), rc);
                    }
                }
                long refCount = 0;
                for (int v : r.values()) {
                    refCount += v;
                }
                // sacreBLEU does not count hypothesis n-grams of an order the reference does not have.
                stats[3 * o] = r.isEmpty() ? 0 : hypCount;
                stats[3 * o + 1] = refCount;
                stats[3 * o + 2] = match;
            }
            double f = fScore(stats);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        return best;
    }

    /**
     * Returns the number of statistics per segment.
     *
     * @return {@code 3 * (charOrder + wordOrder)}
     */
    public int statisticsSize() {
        return 3 * (charOrder + wordOrder);
    }

    /**
     * Computes a score from summed statistics.
     *
     * @param stats summed statistics in the layout of {@link #statistics}
     * @param nrefs references per segment for the signature, or {@code -1} when it varies
     * @return the score
     * @throws InvalidArgumentException if the statistics have the wrong length
     */
    public ChrfScore fromStatistics(double[] stats, int nrefs) {
        if (stats.length != statisticsSize()) {
            throw new InvalidArgumentException("chrF statistics must have " + statisticsSize() + " values, not "
                    + stats.length);
        }
        return new ChrfScore(fScore(stats), "chrF" + beta + "+".repeat(wordOrder), signature(nrefs));
    }

    private double fScore(double[] statistics) {
        double eps = 1e-16;
        double score = 0.0;
        int effective = 0;
        double factor = (double) beta * beta;
        double avgPrec = 0.0;
        double avgRec = 0.0;
        int order = charOrder + wordOrder;
        for (int i = 0; i < order; i++) {
            double nHyp = statistics[3 * i];
            double nRef = statistics[3 * i + 1];
            double nMatch = statistics[3 * i + 2];
            double prec = nHyp > 0 ? nMatch / nHyp : eps;
            double rec = nRef > 0 ? nMatch / nRef : eps;
            double denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0) {
                avgPrec += prec;
                avgRec += rec;
                effective++;
            }
        }
        if (epsSmoothing) {
            return 100 * score / order;
        }
        if (effective == 0) {
            avgPrec = 0.0;
            avgRec = 0.0;
        } else {
            avgPrec /= effective;
            avgRec /= effective;
        }
        if (avgPrec + avgRec != 0) {
            double s = (1 + factor) * avgPrec * avgRec;
            s /= (factor * avgPrec) + avgRec;
            return 100 * s;
        }
        return 0.0;
    }

    /**
     * Returns sacreBLEU's signature for this configuration.
     *
     * @param nrefs references per segment, or {@code -1} when it varies
     * @return for instance {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1}
     */
    public String signature(int nrefs) {
        return "nrefs:" + (nrefs == -1 ? "var" : String.valueOf(nrefs)) + "|case:" + (lowercase ? "lc" : "mixed")
                + "|eff:" + (epsSmoothing ? "no" : "yes") + "|nc:" + charOrder + "|nw:" + wordOrder + "|space:"
                + (whitespace ? "yes" : "no") + "|version:" + Bleu.SIGNATURE_VERSION;
    }

    private String prepare(String s) {
        return lowercase ? PyText.lower(s) : s;
    }

    private List<Map<String, Integer>> ngrams(String line) {
        List<Map<String, Integer>> out = new ArrayList<>(charOrder + wordOrder);
        String chars = whitespace ? line : PyText.removeSpaces(line);
        int[] cps = PyText.codePoints(chars);
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) {
                counts.merge(new String(cps, i, n), 1, Integer::sum);
            }
            out.add(counts);
        }
        if (wordOrder > 0) {
            List<String> words = removePunctuation(line);
            for (int n = 1; n <= wordOrder; n++) {
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i + n <= words.size(); i++) {
                    counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
                }
                out.add(counts);
            }
        }
        return out;
    }

    /** sacreBLEU's chrF++ word splitting: one punctuation mark is split off the end, or else off the start. */
    private static List<String> removePunctuation(String sentence) {
        List<String> out = new ArrayList<>();
        for (String w : PyText.split(sentence)) {
            int[] cps = PyText.codePoints(w);
            if (cps.length == 1) {
                out.add(w);
            } else if (isPunct(cps[cps.length - 1])) {
                out.add(new String(cps, 0, cps.length - 1));
                out.add(new String(cps, cps.length - 1, 1));
            } else if (isPunct(cps[0])) {
                out.add(new String(cps, 0, 1));
                out.add(new String(cps, 1, cps.length - 1));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    private static boolean isPunct(int cp) {
        return cp < 128 && PUNCTUATION.indexOf(cp) >= 0;
    }

    private static String hypothesis(String h, int segment) {
        if (h == null) {
            throw new InvalidArgumentException("hypothesis of segment " + segment + " is null");
        }
        return h;
    }

    private static List<String> present(List<String> refs, int segment) {
        if (refs == null) {
            throw new InvalidArgumentException("segment " + segment + " has no reference list");
        }
        List<String> out = new ArrayList<>();
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

    @Override
    public String toString() {
        return "Chrf[" + signature(1) + "]";
    }

    /** Configures {@link Chrf}. Each option may be set once; not thread-safe. */
    public static final class Builder {
        private int charOrder = 6;
        private int wordOrder = 0;
        private int beta = 2;
        private boolean lowercase;
        private boolean whitespace;
        private boolean epsSmoothing;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Sets the character n-gram order; the default is 6.
         *
         * @param value 1 to 32
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder charOrder(int value) {
            once("charOrder");
            if (value < 1 || value > 32) {
                throw new InvalidArgumentException("charOrder must be 1 to 32, but was " + value);
            }
            this.charOrder = value;
            return this;
        }

        /**
         * Sets the word n-gram order; the default is 0 (chrF), 2 gives chrF++.
         *
         * @param value 0 to 9
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder wordOrder(int value) {
            once("wordOrder");
            if (value < 0 || value > 9) {
                throw new InvalidArgumentException("wordOrder must be 0 to 9, but was " + value);
            }
            this.wordOrder = value;
            return this;
        }

        /**
         * Sets beta, the weight of recall over precision; the default is 2.
         *
         * @param value 1 or more
         * @return this builder
         * @throws InvalidArgumentException if below 1
         */
        public Builder beta(int value) {
            once("beta");
            if (value < 1) {
                throw new InvalidArgumentException("beta must be 1 or more, but was " + value);
            }
            this.beta = value;
            return this;
        }

        /**
         * Makes chrF case-insensitive; the default is case-sensitive.
         *
         * @param value true to lower-case text first
         * @return this builder
         */
        public Builder lowercase(boolean value) {
            once("lowercase");
            this.lowercase = value;
            return this;
        }

        /**
         * Keeps whitespace inside character n-grams; the default removes it.
         *
         * @param value true to keep whitespace
         * @return this builder
         */
        public Builder whitespace(boolean value) {
            once("whitespace");
            this.whitespace = value;
            return this;
        }

        /**
         * Uses the epsilon smoothing of chrF++.py, NLTK and Moses instead of effective-order averaging.
         *
         * @param value true for epsilon smoothing
         * @return this builder
         */
        public Builder epsSmoothing(boolean value) {
            once("epsSmoothing");
            this.epsSmoothing = value;
            return this;
        }

        /**
         * Builds the configured metric.
         *
         * @return the metric
         */
        public Chrf build() {
            return new Chrf(this);
        }
    }
}
