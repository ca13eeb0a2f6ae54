package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BLEU pinned on cases worked out by hand from sacreBLEU's definitions. Each expected value is written as the
 * formula it comes from: {@code BP * exp(mean(log p_n))} with p_n the n-gram precisions in percent.
 */
class BleuTest {
    private static final double EPS = 1e-9;

    private static double bleu(double bp, double... precisions) {
        double s = 0;
        for (double p : precisions) {
            s += Math.log(p);
        }
        return bp * Math.exp(s / precisions.length);
    }

    /**
     * sacreBLEU's README example (two reference streams). By hand with 13a: hypotheses have 6 + 4 + 7 = 17 tokens;
     * closest references 6 + 5 + 7 = 18. Matches: unigrams 6 + 2 + 6 = 14 of 17, bigrams 5 + 0 + 2 = 7 of 14,
     * trigrams 4 + 0 + 1 = 5 of 11, 4-grams 3 + 0 + 0 = 3 of 8; BP = exp(1 - 18/17). sacreBLEU prints
     * {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)}.
     */
    @Test
    void readmeExampleWithTwoReferenceStreams() {
        List<String> sys = List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
        List<String> refs1 = List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first.");
        List<String> refs2 = List.of("The dog had bit the man.", "No one was surprised.",
                "The man had bitten the dog.");
        BleuScore s = Bleu.corpus().corpusScore(sys, refs1, refs2);
        double expected = bleu(Math.exp(1 - 18.0 / 17), 100.0 * 14 / 17, 100.0 * 7 / 14, 100.0 * 5 / 11,
                100.0 * 3 / 8);
        assertEquals(expected, s.score(), EPS);
        assertEquals(List.of(14L, 7L, 5L, 3L), s.counts());
        assertEquals(List.of(17L, 14L, 11L, 8L), s.totals());
        assertEquals("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                s.format());
        assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1", s.signature());
        assertEquals("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1 = 48.53 82.4/50.0/45.5/37.5 "
                + "(BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", s.toString());
    }

    @Test
    void identicalSentenceScoresHundred() {
        BleuScore s = Bleu.corpus().corpusScore(List.of("the cat sat on the mat"), List.of("the cat sat on the mat"));
        assertEquals(100.0, s.score(), EPS);
        assertEquals(1.0, s.brevityPenalty());
    }

    /**
     * "the cat sat on a mat" against "the cat sat on the mat": unigrams 5/6, bigrams 3/5 ("on a", "a mat" miss),
     * trigrams 2/4, 4-grams 1/3; equal lengths, BP = 1.
     */
    @Test
    void partialMatch() {
        BleuScore s = Bleu.corpus().sentenceScore("the cat sat on a mat", "the cat sat on the mat");
        assertEquals(bleu(1, 500.0 / 6, 60, 50, 100.0 / 3), s.score(), EPS);
    }

    @Test
    void noNgramMatchScoresZero() {
        BleuScore s = Bleu.corpus().sentenceScore("x y z", "a b c");
        assertEquals(0.0, s.score());
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0), s.precisions());
    }

    @Test
    void emptyHypothesisScoresZeroWithZeroBrevityPenalty() {
        BleuScore s = Bleu.corpus().corpusScore(List.of(""), List.of("a b"));
        assertEquals(0.0, s.score());
        assertEquals(0.0, s.brevityPenalty());
        assertEquals(0, s.hypothesisLength());
        assertEquals(2, s.referenceLength());
    }

    /**
     * "the cat" against a 6-token reference: unigrams 2/2, bigrams 1/1, no trigrams. Without effective order the
     * empty orders count as log 0 and the score is 0; with it (sentence BLEU) only orders 1-2 count:
     * {@code exp(1 - 6/2) * 100}.
     */
    @Test
    void shortHypothesisGetsBrevityPenaltyAndEffectiveOrder() {
        BleuScore corpus = Bleu.corpus().sentenceScore("the cat", "the cat sat on the mat");
        assertEquals(0.0, corpus.score(), EPS);
        assertEquals(Math.exp(-2), corpus.brevityPenalty(), EPS);
        BleuScore sentence = Bleu.sentence().sentenceScore("the cat", "the cat sat on the mat");
        assertEquals(Math.exp(-2) * 100, sentence.score(), EPS);
        assertEquals("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.5.1", sentence.signature());
    }

    /**
     * "the cat ran far away" (5 tokens) against "the cat sat on the mat" (6): unigrams 2/5, bigrams 1/4, trigrams
     * 0/3, 4-grams 0/2, BP = exp(1 - 6/5). The smoothing methods differ only in the zero orders.
     */
    @Test
    void smoothingMethods() {
        String hyp = "the cat ran far away";
        String ref = "the cat sat on the mat";
        double bp = Math.exp(1 - 6.0 / 5);
        // exp: the first zero order gets 100 / (2 * 3), the second 100 / (4 * 2).
        assertEquals(bleu(bp, 40, 25, 100.0 / 6, 12.5), with(Smoothing.exp()).sentenceScore(hyp, ref).score(), EPS);
        // floor 0.1: 100 * 0.1 / 3 and 100 * 0.1 / 2.
        BleuScore floor = with(Smoothing.floor()).sentenceScore(hyp, ref);
        assertEquals(bleu(bp, 40, 25, 10.0 / 3, 5), floor.score(), EPS);
        assertTrue(floor.signature().contains("smooth:floor[0.10]"), floor.signature());
        // add-k 1 on orders 2-4: 2/5, (1+1)/(4+1), (0+1)/(3+1), (0+1)/(2+1).
        BleuScore addK = with(Smoothing.addK()).sentenceScore(hyp, ref);
        assertEquals(bleu(bp, 40, 40, 25, 100.0 / 3), addK.score(), EPS);
        assertTrue(addK.signature().contains("smooth:add-k[1.00]"), addK.signature());
        // none: a zero order zeroes the score.
        assertEquals(0.0, with(Smoothing.none()).sentenceScore(hyp, ref).score(), EPS);
        assertEquals(bleu(bp, 40, 25, 100.0 * 0.5 / 3, 100.0 * 0.5 / 2),
                with(Smoothing.floor(0.5)).sentenceScore(hyp, ref).score(), EPS);
    }

    private static Bleu with(Smoothing smoothing) {
        return Bleu.builder().smoothing(smoothing).build();
    }

    /** Five hypothesis tokens against references of 4 and 6: both are 1 away, and the shorter one wins. */
    @Test
    void closestReferenceLengthPrefersTheShorterOnATie() {
        BleuScore s = Bleu.corpus().sentenceScore("a b c d e", "a b c d", "a b c d e f");
        assertEquals(4, s.referenceLength());
        assertEquals(1.0, s.brevityPenalty());
        // The references' n-gram counts are merged by maximum: all of "a b c d e" matches the second reference.
        assertEquals(100.0, s.score(), EPS);
    }

    @Test
    void punctuationIsTokenizedBy13aButNotByNone() {
        // 13a: "Hello , world !" matches the reference token for token.
        assertEquals(100.0, Bleu.sentence().sentenceScore("Hello, world!", "Hello , world !").score(), EPS);
        // none: "Hello," and "world!" are single tokens and match none of the reference tokens.
        Bleu none = Bleu.builder().tokenizer(BleuTokenizer.NONE).effectiveOrder(true).build();
        assertEquals(0.0, none.sentenceScore("Hello, world!", "Hello , world !").score(), EPS);
        assertTrue(none.sentenceScore("a b", "a b").signature().contains("tok:none"));
    }

    @Test
    void caseFoldingIsOptional() {
        String hyp = "The CAT sat on the MAT";
        String ref = "the cat sat on the mat";
        assertTrue(Bleu.corpus().sentenceScore(hyp, ref).score() < 50);
        BleuScore lc = Bleu.builder().lowercase(true).build().sentenceScore(hyp, ref);
        assertEquals(100.0, lc.score(), EPS);
        assertTrue(lc.signature().contains("case:lc"));
    }

    /** Non-ASCII words are tokens like any other; 13a leaves them whole. Three tokens, so effective order 3. */
    @Test
    void unicodeWordsMatchWhole() {
        assertEquals(100.0, Bleu.sentence().sentenceScore("café au lait", "café au lait").score(), EPS);
        // "cafe" differs from "café": unigrams 2/3, bigrams 1/2, trigrams 0/1 -> exp smoothing 100 / (2 * 1).
        assertEquals(bleu(1, 200.0 / 3, 50, 50), Bleu.sentence().sentenceScore("cafe au lait", "café au lait").score(),
                EPS);
    }

    @Test
    void corpusScoreIsNotTheMeanOfSentenceScores() {
        List<String> hyps = List.of("the cat sat on the mat", "a b");
        List<String> refs = List.of("the cat sat on the mat", "c d");
        // Corpus: unigrams 6/8, bigrams 5/6, trigrams 4/4, 4-grams 3/3, lengths 8 and 8.
        assertEquals(bleu(1, 75, 500.0 / 6, 100, 100), Bleu.corpus().corpusScore(hyps, refs).score(), EPS);
    }

    @Test
    void missingReferencesAreSkippedAndCountedAsVariable() {
        List<String> hyps = List.of("a b c d", "e f g h");
        BleuScore s = Bleu.corpus().corpusScore(hyps, List.of("a b c d", "e f g h"), java.util.Arrays.asList("a b c d", null));
        assertEquals(100.0, s.score(), EPS);
        assertTrue(s.signature().startsWith("nrefs:var|"), s.signature());
    }

    @Test
    void badInputNamesTheProblem() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Bleu.corpus().corpusScore(List.of("a", "b"), List.of("a")));
        assertTrue(e.getMessage().contains("1 segments but there are 2"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Bleu.corpus().sentenceScore("a", ""));
        assertTrue(e.getMessage().contains("no non-empty reference"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Smoothing.floor(-1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> Bleu.builder().maxNgramOrder(0));
        assertTrue(e.getMessage().contains("maxNgramOrder"), e.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Bleu.builder().tokenizer(BleuTokenizer.NONE).tokenizer(BleuTokenizer.THIRTEEN_A));
        assertTrue(twice.getMessage().contains("tokenizer"), twice.getMessage());
    }

    @Test
    void formatRoundsLikePython() {
        // 0.125 is exact in binary; Python's format rounds half to even: "0.12", where Java's %.2f gives "0.13".
        assertEquals("0.12", Formats.fixed(0.125, 2));
        // 2.675 is stored as 2.67499999...; Python prints "2.67".
        assertEquals("2.67", Formats.fixed(2.675, 2));
        assertEquals("1.000", Formats.fixed(1.0, 3));
    }
}
