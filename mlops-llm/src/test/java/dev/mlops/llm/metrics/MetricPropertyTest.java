package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties over seeded random texts: the optimized n-gram and LCS code agrees with straightforward
 * implementations of the definitions, and scores stay in range. Every case names its seed.
 */
class MetricPropertyTest {
    private static final int CASES = 250;

    private static Stream<DynamicTest> cases(String property, long base, Consumer<Random> check) {
        return IntStream.range(0, CASES).mapToObj(i -> {
            long seed = base + i;
            return DynamicTest.dynamicTest(property + " [seed " + seed + "]", () -> check.accept(new Random(seed)));
        });
    }

    private static String text(Random rnd, int vocab, int maxLen) {
        int n = rnd.nextInt(maxLen + 1);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            words.add("w" + rnd.nextInt(vocab));
        }
        return String.join(" ", words);
    }

    /** BLEU statistics by the book: n-gram maps keyed by lists, clipped by the maximum count over references. */
    static double[] naiveBleuStats(List<String> hyp, List<List<String>> refs, int order) {
        double[] out = new double[2 + 2 * order];
        out[0] = hyp.size();
        int best = -1;
        for (List<String> r : refs) {
            int d = Math.abs(r.size() - hyp.size());
            if (best < 0 || d < Math.abs(best - hyp.size()) || (d == Math.abs(best - hyp.size()) && r.size() < best)) {
                best = r.size();
            }
        }
        out[1] = best;
        for (int n = 1; n <= order; n++) {
            Map<List<String>, Integer> maxRef = new HashMap<>();
            for (List<String> r : refs) {
                Map<List<String>, Integer> c = counts(r, n);
                c.forEach((k, v) -> maxRef.merge(k, v, Math::max));
            }
            Map<List<String>, Integer> h = counts(hyp, n);
            double match = 0;
            for (Map.Entry<List<String>, Integer> e : h.entrySet()) {
                match += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
            }
            out[2 + n - 1] = match;
            out[2 + order + n - 1] = Math.max(0, hyp.size() - n + 1);
        }
        return out;
    }

    private static Map<List<String>, Integer> counts(List<String> t, int n) {
        Map<List<String>, Integer> c = new HashMap<>();
        for (int i = 0; i + n <= t.size(); i++) {
            c.merge(List.copyOf(t.subList(i, i + n)), 1, Integer::sum);
        }
        return c;
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    @TestFactory
    Stream<DynamicTest> bleuStatisticsMatchTheDefinition() {
        return cases("BLEU statistics equal the naive count", 9000, rnd -> {
            int order = rnd.nextInt(4) == 0 ? 5 + rnd.nextInt(2) : 4;
            Bleu bleu = Bleu.builder().tokenizer(BleuTokenizer.NONE).maxNgramOrder(order).build();
            String hyp = text(rnd, 6, 20);
            List<String> refs = new ArrayList<>();
            int nrefs = 1 + rnd.nextInt(3);
            for (int i = 0; i < nrefs; i++) {
                String r = text(rnd, 6, 20);
                refs.add(r.isEmpty() ? "w0" : r);
            }
            double[] expected = naiveBleuStats(split(hyp), refs.stream().map(MetricPropertyTest::split).toList(),
                    order);
            assertArrayEquals(expected, bleu.statistics(hyp, refs), () -> hyp + " vs " + refs);
            double score = bleu.fromStatistics(expected, nrefs).score();
            assertTrue(score >= 0 && score <= 100 + 1e-9, () -> "score " + score);
        });
    }

    private static int naiveLcs(List<String> a, List<String> b) {
        int[][] t = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t[a.size()][b.size()];
    }

    @TestFactory
    Stream<DynamicTest> rougeMatchesTheDefinition() {
        Rouge rouge = Rouge.builder().types(RougeType.ROUGE_1, RougeType.ROUGE_2, RougeType.ngram(3),
                RougeType.ROUGE_L, RougeType.ROUGE_LSUM).build();
        return cases("ROUGE equals the naive count", 9500, rnd -> {
            String pred = text(rnd, 5, 15);
            String ref = text(rnd, 5, 15);
            Map<RougeType, RougeScore> s = rouge.score(pred, ref);
            List<String> p = split(pred);
            List<String> r = split(ref);
            for (int n = 1; n <= 3; n++) {
                Map<List<String>, Integer> pc = counts(p, n);
                Map<List<String>, Integer> rc = counts(r, n);
                double match = 0;
                for (Map.Entry<List<String>, Integer> e : rc.entrySet()) {
                    match += Math.min(e.getValue(), pc.getOrDefault(e.getKey(), 0));
                }
                RougeScore got = s.get(RougeType.ngram(n));
                assertEquals(match / Math.max(1, p.size() - n + 1), got.precision(), 1e-12);
                assertEquals(match / Math.max(1, r.size() - n + 1), got.recall(), 1e-12);
            }
            RougeScore l = s.get(RougeType.ROUGE_L);
            if (!p.isEmpty() && !r.isEmpty()) {
                int lcs = naiveLcs(p, r);
                assertEquals((double) lcs / p.size(), l.precision(), 1e-12);
                assertEquals((double) lcs / r.size(), l.recall(), 1e-12);
            }
            // On single-line texts the summary-level LCS is the plain LCS.
            assertEquals(l, s.get(RougeType.ROUGE_LSUM));
            // Swapping prediction and reference swaps precision and recall.
            RougeScore swapped = rouge.score(ref, pred).get(RougeType.ROUGE_L);
            assertEquals(l.precision(), swapped.recall(), 1e-12);
            assertEquals(l.fmeasure(), swapped.fmeasure(), 1e-12);
        });
    }

    @TestFactory
    Stream<DynamicTest> chrfIsBoundedAndPerfectOnItself() {
        return cases("chrF in [0, 100] and 100 on identical text", 9800, rnd -> {
            String a = text(rnd, 8, 10);
            String b = text(rnd, 8, 10);
            if (!b.isEmpty()) {
                double s = Chrf.defaults().sentenceScore(a, b).score();
                assertTrue(s >= 0 && s <= 100 + 1e-9, () -> "chrF " + s);
                assertEquals(100.0, Chrf.defaults().sentenceScore(b, b).score(), 1e-9);
                assertEquals(100.0, Bleu.sentence().sentenceScore(b, b).score(), 1e-9);
            }
        });
    }
}
