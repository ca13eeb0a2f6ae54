package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static List<List<String>> refs(List<String> r) {
        return r.stream().map(List::of).toList();
    }

    /** A corpus where every segment scores the same has a degenerate interval at that score. */
    @Test
    void constantSegmentsGiveAPointInterval() {
        List<String> hyps = List.of("a", "a", "a", "a");
        ConfidenceInterval ci = Bootstrap.defaults().interval(TextMetrics.exactMatch(), hyps, refs(hyps));
        assertEquals(1.0, ci.score());
        assertEquals(1.0, ci.low());
        assertEquals(1.0, ci.high());
        assertEquals(0.0, ci.halfWidth());
    }

    @Test
    void intervalIsSeededAndBracketsTheScore() {
        Random rnd = new Random(7);
        List<String> hyps = new ArrayList<>();
        List<String> ref = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            StringBuilder r = new StringBuilder("w" + rnd.nextInt(5));
            for (int k = 0; k < 6; k++) {
                r.append(" w").append(rnd.nextInt(5));
            }
            ref.add(r.toString());
            hyps.add(rnd.nextBoolean() ? ref.get(i) : "w" + rnd.nextInt(5) + " x y z w1 w2");
        }
        Bootstrap bs = Bootstrap.of(500, 42, 0.9);
        ConfidenceInterval a = bs.interval(TextMetrics.bleu(), hyps, refs(ref));
        ConfidenceInterval b = bs.interval(TextMetrics.bleu(), hyps, refs(ref));
        assertEquals(a, b, "the same seed gives the same interval");
        assertNotEquals(a, bs.withSeed(43).interval(TextMetrics.bleu(), hyps, refs(ref)));
        assertTrue(a.low() < a.score() && a.score() < a.high(), a::toString);
        assertEquals(Bleu.corpus().corpusScore(hyps, ref).score(), a.score(), 1e-9);
        assertEquals(0.9, a.level());
        assertEquals(500, a.samples());
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 3, 4};
        // numpy.percentile([1,2,3,4], 25) = 1.75 and 97.5 -> 3.925.
        assertEquals(1.75, Bootstrap.percentile(sorted, 0.25), 1e-12);
        assertEquals(3.925, Bootstrap.percentile(sorted, 0.975), 1e-12);
    }

    /** Identical systems: every resampled delta is 0, so nothing beats the observed delta and p is 1. */
    @Test
    void identicalSystemsAreNotSignificant() {
        List<String> hyps = List.of("a b c", "d e f", "g h i");
        PairedBootstrapResult t = Bootstrap.defaults().pairedTest(TextMetrics.bleu(), hyps, hyps,
                refs(List.of("a b c", "d e x", "y z i")));
        assertEquals(0.0, t.delta());
        assertEquals(1.0, t.pValue());
        assertEquals(0.0, t.candidateWinRate());
    }

    @Test
    void clearlyBetterSystemIsSignificant() {
        List<String> ref = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ref.add("answer number " + i + " is here");
            good.add(i % 5 == 0 ? "wrong" : "answer number " + i + " is here");
            bad.add(i % 5 == 0 ? "answer number " + i + " is here" : "wrong");
        }
        PairedBootstrapResult t = Bootstrap.of(1000, 1, 0.95).pairedTest(TextMetrics.exactMatch(), bad, good,
                refs(ref));
        assertEquals(0.8 - 0.2, t.delta(), 1e-12);
        assertTrue(t.pValue() < 0.01, () -> "p = " + t.pValue());
        assertTrue(t.significant(0.05));
        assertTrue(t.deltaLow() > 0, t::toString);
        assertEquals(1.0, t.candidateWinRate());
    }

    @Test
    void badInput() {
        assertThrows(InvalidArgumentException.class, () -> Bootstrap.of(0, 1, 0.95));
        assertThrows(InvalidArgumentException.class, () -> Bootstrap.of(10, 1, 1.0));
        assertThrows(InvalidArgumentException.class,
                () -> Bootstrap.defaults().interval(TextMetrics.bleu(), List.of(), List.of()));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Bootstrap.defaults().interval(TextMetrics.bleu(), List.of("a", "b"), refs(List.of("a", ""))));
        assertTrue(e.getMessage().startsWith("segment 1:"), e.getMessage());
    }
}
