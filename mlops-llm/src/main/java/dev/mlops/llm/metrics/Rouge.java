package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.LongIntMap;
import dev.mlops.llm.internal.RougeText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ROUGE exactly as Google's rouge-score computes it (its defaults reproduce {@code ROUGE-1.5.5.pl -e data -n 2}).
 *
 * <ul>
 *   <li>Tokens: lower-case, every run outside {@code [a-z0-9]} becomes a separator (so non-ASCII letters never form
 *       tokens), and with stemming NLTK's Porter stemmer is applied to tokens longer than three characters.</li>
 *   <li>ROUGE-N: clipped n-gram overlap; precision over prediction n-grams, recall over reference n-grams.</li>
 *   <li>ROUGE-L: longest common subsequence of the whole token sequences (newlines are just separators).</li>
 *   <li>ROUGE-Lsum: the text is split on {@code "\n"} (empty lines dropped) and scored with the summary-level
 *       union-LCS of ROUGE-1.5.5, which counts no token more often than it occurs in either text.</li>
 *   <li>Several references: each variant takes the reference with the highest F (the first on a tie).</li>
 * </ul>
 *
 * <p>Unlike rouge-score's {@code score(target, prediction)}, the methods here take the prediction first, like every
 * metric in this package. Immutable and thread-safe.
 *
 * <pre>{@code
 * Rouge rouge = Rouge.builder().types(RougeType.ROUGE_1, RougeType.ROUGE_L).stemming(true).build();
 * double f = rouge.score("the cats sat", "the cat sat down").get(RougeType.ROUGE_L).fmeasure();
 * }</pre>
 */
public final class Rouge {
    private final List<RougeType> types;
    private final boolean stemming;

    private Rouge(Builder b) {
        this.types = List.copyOf(b.types);
        this.stemming = b.stemming;
    }

    /**
     * Returns ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum without stemming.
     *
     * @return the metric
     */
    public static Rouge defaults() {
        return builder().build();
    }

    /**
     * Starts configuring ROUGE.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the variants computed, in order.
     *
     * @return the types
     */
    public List<RougeType> types() {
        return types;
    }

    /**
     * Tells whether tokens are stemmed.
     *
     * @return true with the Porter stemmer
     */
    public boolean stemming() {
        return stemming;
    }

    /**
     * Scores a prediction against one reference.
     *
     * @param prediction the generated text
     * @param reference the reference (rouge-score's target)
     * @return a score per configured variant, in configuration order
     * @throws InvalidArgumentException if either text is null
     */
    public Map<RougeType, RougeScore> score(String prediction, String reference) {
        check(prediction, "prediction");
        check(reference, "reference");
        Map<RougeType, RougeScore> out = new LinkedHashMap<>();
        List<String> refTokens = null;
        List<String> predTokens = null;
        for (RougeType t : types) {
            if (t.equals(RougeType.ROUGE_LSUM)) {
                out.put(t, lsum(prediction, reference));
                continue;
            }
            if (refTokens == null) {
                refTokens = RougeText.tokenize(reference, stemming);
                predTokens = RougeText.tokenize(prediction, stemming);
            }
            out.put(t, t.equals(RougeType.ROUGE_L) ? lcs(refTokens, predTokens)
                    : ngrams(refTokens, predTokens, t.order()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Scores a prediction against several references; each variant keeps the reference with the highest F-measure
     * (the first on a tie), as rouge-score's {@code score_multi}.
     *
     * @param prediction the generated text
     * @param references one or more references
     * @return a score per configured variant
     * @throws InvalidArgumentException if there is no reference or a text is null
     */
    public Map<RougeType, RougeScore> scoreMulti(String prediction, List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("ROUGE needs at least one reference");
        }
        List<Map<RougeType, RougeScore>> all = new ArrayList<>(references.size());
        for (String r : references) {
            all.add(score(prediction, r));
        }
        Map<RougeType, RougeScore> out = new LinkedHashMap<>();
        for (RougeType t : types) {
            RougeScore best = null;
            for (Map<RougeType, RougeScore> m : all) {
                RougeScore s = m.get(t);
                if (best == null || s.fmeasure() > best.fmeasure()) {
                    best = s;
                }
            }
            out.put(t, best);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Tokenizes text as rouge-score does with this configuration.
     *
     * @param text the text
     * @return the tokens
     */
    public List<String> tokenize(String text) {
        return RougeText.tokenize(check(text, "text"), stemming);
    }

    private static String check(String text, String what) {
        if (text == null) {
            throw new InvalidArgumentException("the " + what + " must not be null");
        }
        return text;
    }

    private static RougeScore ngrams(List<String> ref, List<String> pred, int n) {
        Map<String, Integer> dict = new HashMap<>();
        int[] r = RougeText.ids(dict, ref);
        int[] p = RougeText.ids(dict, pred);
        long refTotal = Math.max(0, r.length - n + 1);
        long predTotal = Math.max(0, p.length - n + 1);
        long matches = 0;
        if (refTotal > 0 && predTotal > 0) {
            if (n <= 2 && dict.size() < (1 << 30)) {
                LongIntMap counts = new LongIntMap((int) refTotal);
                for (int i = 0; i + n <= r.length; i++) {
                    counts.add(key(r, i, n), 1);
                }
                for (int i = 0; i + n <= p.length; i++) {
                    if (counts.takeOne(key(p, i, n))) {
                        matches++;
                    }
                }
            } else {
                Map<List<Integer>, Integer> counts = new HashMap<>();
                for (int i = 0; i + n <= r.length; i++) {
                    counts.merge(window(r, i, n), 1, Integer::sum);
                }
                for (int i = 0; i + n <= p.length; i++) {
                    List<Integer> w = window(p, i, n);
                    Integer c = counts.get(w);
                    if (c != null && c > 0) {
                        matches++;
                        counts.put(w, c - 1);
                    }
                }
            }
        }
        double precision = (double) matches / Math.max(predTotal, 1);
        double recall = (double) matches / Math.max(refTotal, 1);
        return RougeScore.of(precision, recall);
    }

    private static long key(int[] ids, int i, int n) {
        // Ids start at 0, so shift by one to keep every key non-zero.
        long k = ids[i] + 1L;
        if (n == 2) {
            k = (k << 31) | (ids[i + 1] + 1L);
        }
        return k;
    }

    private static List<Integer> window(int[] ids, int i, int n) {
        List<Integer> w = new ArrayList<>(n);
        for (int j = i; j < i + n; j++) {
            w.add(ids[j]);
        }
        return w;
    }

    private static RougeScore lcs(List<String> ref, List<String> pred) {
        if (ref.isEmpty() || pred.isEmpty()) {
            return RougeScore.ZERO;
        }
        Map<String, Integer> dict = new HashMap<>();
        int[] r = RougeText.ids(dict, ref);
        int[] p = RougeText.ids(dict, pred);
        int l = RougeText.lcsLength(r, p);
        return RougeScore.of((double) l / p.length, (double) l / r.length);
    }

    private RougeScore lsum(String prediction, String reference) {
        Map<String, Integer> dict = new HashMap<>();
        List<int[]> refSents = sentences(reference, dict);
        List<int[]> predSents = sentences(prediction, dict);
        if (refSents.isEmpty() || predSents.isEmpty()) {
            return RougeScore.ZERO;
        }
        long m = 0;
        long n = 0;
        for (int[] s : refSents) {
            m += s.length;
        }
        for (int[] s : predSents) {
            n += s.length;
        }
        if (m == 0 || n == 0) {
            return RougeScore.ZERO;
        }
        int hits = RougeText.summaryLevelHits(refSents, predSents);
        return RougeScore.of((double) hits / n, (double) hits / m);
    }

    private List<int[]> sentences(String text, Map<String, Integer> dict) {
        List<int[]> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(RougeText.ids(dict, RougeText.tokenize(line, stemming)));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Rouge" + types + (stemming ? "[stemming]" : "");
    }

    /** Configures {@link Rouge}. Each option may be set once; not thread-safe. */
    public static final class Builder {
        private List<RougeType> types = List.of(RougeType.ROUGE_1, RougeType.ROUGE_2, RougeType.ROUGE_L,
                RougeType.ROUGE_LSUM);
        private boolean stemming;
        private final Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Sets the variants to compute; the default is ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum.
         *
         * @param values one or more distinct variants
         * @return this builder
         * @throws InvalidArgumentException if none is given or one repeats
         */
        public Builder types(RougeType... values) {
            once("types");
            if (values.length == 0) {
                throw new InvalidArgumentException("at least one ROUGE type is needed");
            }
            Set<RougeType> distinct = new LinkedHashSet<>();
            for (RougeType t : values) {
                if (!distinct.add(Objects.requireNonNull(t, "type"))) {
                    throw new InvalidArgumentException("ROUGE type " + t + " is listed twice");
                }
            }
            this.types = List.copyOf(distinct);
            return this;
        }

        /**
         * Turns Porter stemming on or off; the default is off, as in rouge-score.
         *
         * @param value true to stem tokens longer than three characters
         * @return this builder
         */
        public Builder stemming(boolean value) {
            once("stemming");
            this.stemming = value;
            return this;
        }

        /**
         * Builds the configured metric.
         *
         * @return the metric
         */
        public Rouge build() {
            return new Rouge(this);
        }
    }
}
