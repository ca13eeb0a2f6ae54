package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    private static final double EPS = 1e-12;

    @Test
    void uniformProbabilitiesGiveTheirInverse() {
        // Four tokens each of probability 1/4: exp(-mean(log 1/4)) = 4.
        double q = Math.log(0.25);
        assertEquals(4.0, Perplexity.of(new double[] {q, q, q, q}), EPS);
        // Certainty: log 1 = 0, perplexity 1.
        assertEquals(1.0, Perplexity.of(new double[] {0, 0}), EPS);
    }

    /** Probabilities 1/2 and 1/8: exp(-(log 1/2 + log 1/8) / 2) = sqrt(16) = 4. */
    @Test
    void geometricMeanOfInverseProbabilities() {
        assertEquals(4.0, Perplexity.of(new double[] {Math.log(0.5), Math.log(0.125)}), EPS);
    }

    /**
     * Corpus perplexity weights tokens, not sequences: one token of probability 1/2 and three of 1/8 give
     * exp(-(log 1/2 + 3 log 1/8) / 4) = 2^(10/4), not the mean of 2 and 8.
     */
    @Test
    void corpusWeightsTokens() {
        double p = Perplexity.corpus(List.of(new double[] {Math.log(0.5)},
                new double[] {Math.log(0.125), Math.log(0.125), Math.log(0.125)}));
        assertEquals(Math.pow(2, 2.5), p, 1e-9);
    }

    @Test
    void zeroProbabilityIsInfiniteAndBadValuesAreRejected() {
        assertTrue(Double.isInfinite(Perplexity.of(new double[] {Double.NEGATIVE_INFINITY})));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Perplexity.of(new double[] {-1, 0.5}));
        assertTrue(e.getMessage().contains("token 1") && e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Perplexity.of(new double[0]));
        assertThrows(InvalidArgumentException.class, () -> Perplexity.of(new double[] {Double.NaN}));
        assertThrows(InvalidArgumentException.class, () -> Perplexity.corpus(List.of()));
    }
}
