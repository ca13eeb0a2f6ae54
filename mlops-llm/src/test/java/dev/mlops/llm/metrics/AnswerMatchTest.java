package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact match and token F1 with the SQuAD script's normalization, values worked out by hand. */
class AnswerMatchTest {
    private static final double EPS = 1e-12;

    @Test
    void normalizationLowercasesStripsPunctuationArticlesAndSpaces() {
        assertEquals("eiffel tower", AnswerMatch.normalize("  The Eiffel\tTower! "));
        // Punctuation is deleted, not replaced by a space, so a hyphenated word closes up.
        assertEquals("eiffeltower", AnswerMatch.normalize("Eiffel-Tower"));
        // Articles are whole words only: "another" and "theme" keep their letters.
        assertEquals("another theme", AnswerMatch.normalize("an another a theme the"));
        // Non-ASCII punctuation is not in string.punctuation and stays; accented letters stay.
        assertEquals("«café»", AnswerMatch.normalize("«Café»"));
        assertEquals("", AnswerMatch.normalize("The."));
    }

    @Test
    void exactMatchAfterNormalization() {
        assertEquals(1.0, AnswerMatch.exactMatch("the Eiffel Tower.", List.of("Eiffel tower")));
        assertEquals(0.0, AnswerMatch.exactMatch("Eiffel", List.of("Eiffel tower")));
        // The best reference counts.
        assertEquals(1.0, AnswerMatch.exactMatch("Paris", List.of("Lyon", "paris!")));
    }

    /**
     * "the big red car" vs "a red car": normalized tokens [big, red, car] and [red, car]; 2 in common; precision
     * 2/3, recall 1; F1 = 2 * (2/3) / (5/3) = 0.8.
     */
    @Test
    void tokenF1() {
        assertEquals(0.8, AnswerMatch.tokenF1("the big red car", List.of("a red car")), EPS);
        assertEquals(0.0, AnswerMatch.tokenF1("blue", List.of("red")), EPS);
        // Repeated tokens are clipped: [red, red] vs [red]: 1 in common, P 1/2, R 1, F1 2/3.
        assertEquals(2.0 / 3, AnswerMatch.tokenF1("red red", List.of("red")), EPS);
        // Best of the references.
        assertEquals(1.0, AnswerMatch.tokenF1("red car", List.of("blue", "the red car")), EPS);
    }

    /** SQuAD 2.0: when either side has no tokens, F1 is 1 if both are empty and 0 otherwise. */
    @Test
    void emptyAnswers() {
        assertEquals(1.0, AnswerMatch.tokenF1("", List.of("the")), EPS);
        assertEquals(0.0, AnswerMatch.tokenF1("", List.of("car")), EPS);
        assertEquals(0.0, AnswerMatch.tokenF1("car", List.of("")), EPS);
        assertEquals(1.0, AnswerMatch.exactMatch("", List.of("a")), EPS);
    }

    @Test
    void badInput() {
        assertThrows(InvalidArgumentException.class, () -> AnswerMatch.exactMatch("a", List.of()));
        assertThrows(InvalidArgumentException.class, () -> AnswerMatch.normalize(null));
    }
}
