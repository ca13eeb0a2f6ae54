package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * chrF pinned on cases worked out by hand. With precision P and recall R averaged over the effective orders (those
 * where both sides have n-grams), chrF = 100 * (1 + b^2) P R / (b^2 P + R) with b = 2.
 */
class ChrfTest {
    private static final double EPS = 1e-9;

    private static double f2(double p, double r) {
        return 100 * 5 * p * r / (4 * p + r);
    }

    @Test
    void identicalScoresHundred() {
        ChrfScore s = Chrf.defaults().sentenceScore("ab", "ab");
        assertEquals(100.0, s.score(), EPS);
        assertEquals("chrF2", s.name());
        assertEquals("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1", s.signature());
        assertEquals("chrF2 = 100.00", s.format());
    }

    /** "abc" vs "abd": order 1 2/3, order 2 1/2 ("ab"), order 3 0/1; orders 4-6 absent. P = R = 7/18. */
    @Test
    void partialCharacterOverlap() {
        assertEquals(f2(7.0 / 18, 7.0 / 18), Chrf.defaults().sentenceScore("abc", "abd").score(), EPS);
    }

    @Test
    void whitespaceIsIgnoredByDefault() {
        assertEquals(100.0, Chrf.defaults().sentenceScore("a b", "ab").score(), EPS);
        // With whitespace kept, "a b" vs "ab": order 1 2/3 and 2/2, order 2 0/2 and 0/1, order 3 0/1 (ref has none,
        // so the order does not count). P = (2/3 + 0) / 2, R = (1 + 0) / 2.
        assertEquals(f2(1.0 / 3, 0.5), Chrf.builder().whitespace(true).build().sentenceScore("a b", "ab").score(),
                EPS);
    }

    /** "abcd" vs "ab": order 1 P 2/4 R 1, order 2 P 1/3 R 1, order 3 skipped (no reference trigram). */
    @Test
    void longHypothesisLosesPrecision() {
        assertEquals(f2(5.0 / 12, 1.0), Chrf.defaults().sentenceScore("abcd", "ab").score(), EPS);
        assertEquals(100 * 25.0 / 32, Chrf.defaults().sentenceScore("abcd", "ab").score(), EPS);
    }

    @Test
    void emptyHypothesisAndNoMatchScoreZero() {
        assertEquals(0.0, Chrf.defaults().sentenceScore("", "abc").score());
        assertEquals(0.0, Chrf.defaults().sentenceScore("xyz", "abc").score());
    }

    /**
     * Characters are code points, as in Python: "😀a" vs "😀b" is order 1 1/2 and order 2 0/1, so P = R = 1/4.
     * Counting UTF-16 units instead would give 7/18.
     */
    @Test
    void astralCharactersCountOnce() {
        assertEquals(25.0, Chrf.defaults().sentenceScore("😀a", "😀b").score(), EPS);
    }

    /**
     * chrF++ on "a, b" vs "a b": words are [a , b] vs [a b]. Characters "a,b" vs "ab": order 1 P 2/3 R 1, order 2
     * P 0 R 0, order 3 skipped. Words: unigrams P 2/3 R 1, bigrams P 0 R 0. P = 1/3, R = 1/2 over four orders.
     */
    @Test
    void chrfPlusPlusAddsWordNgrams() {
        ChrfScore s = Chrf.plusPlus().sentenceScore("a, b", "a b");
        assertEquals(f2(1.0 / 3, 0.5), s.score(), EPS);
        assertEquals(100 * 5.0 / 11, s.score(), EPS);
        assertEquals("chrF2++", s.name());
    }

    /** The best reference counts: "abc" matches the second reference exactly. */
    @Test
    void bestReferenceWins() {
        assertEquals(100.0, Chrf.defaults().sentenceScore("abc", "xyz", "abc").score(), EPS);
    }

    /** Corpus chrF sums statistics: ("ab","ab") and ("cd","ce") give order 1 3/4, order 2 1/2. */
    @Test
    void corpusSumsStatistics() {
        ChrfScore s = Chrf.defaults().corpusScore(List.of("ab", "cd"), List.of("ab", "ce"));
        assertEquals(f2(5.0 / 8, 5.0 / 8), s.score(), EPS);
    }

    @Test
    void lowercaseOption() {
        assertEquals(100.0, Chrf.builder().lowercase(true).build().sentenceScore("ABC", "abc").score(), EPS);
        assertEquals(0.0, Chrf.defaults().sentenceScore("ABC", "abc").score(), EPS);
    }

    @Test
    void epsilonSmoothingAveragesTheOrderFScores() {
        // "ab" vs "ab" with eps smoothing: orders 1-2 score 1 each; orders 3-6 have no n-grams on either side, so
        // precision and recall are 1e-16 and each order adds (5 * 1e-32) / (5e-16) = 1e-16. Score ~ 100 * 2 / 6.
        double s = Chrf.builder().epsSmoothing(true).build().sentenceScore("ab", "ab").score();
        assertEquals(100 * (2 + 4e-16) / 6, s, 1e-12);
    }

    @Test
    void badInput() {
        assertThrows(InvalidArgumentException.class, () -> Chrf.defaults().sentenceScore("a", ""));
        assertThrows(InvalidArgumentException.class, () -> Chrf.builder().charOrder(0));
        assertThrows(InvalidArgumentException.class,
                () -> Chrf.defaults().corpusScore(List.of("a"), List.of("a", "b")));
    }
}
