package dev.mlops.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PyTextTest {
    @Test
    void whitespaceIsPythons() {
        // Python's str.isspace() is true for these, including the no-break spaces Java's isWhitespace rejects.
        for (char c : new char[] {' ', '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001f', '\u0085', '\u00a0',
            '\u1680', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'}) {
            assertTrue(PyText.isSpace(c), () -> "U+" + Integer.toHexString(c));
        }
        // ... and false for these: the zero-width space and byte-order mark are not whitespace in Python.
        for (char c : new char[] {'a', '\u0000', '\u0008', '\u200b', '\ufeff', '\u180e'}) {
            assertFalse(PyText.isSpace(c), () -> "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void splitAndStripFollowPython() {
        assertEquals(List.of("a", "b", "c"), PyText.split("  a\u00a0b\u3000c \n"));
        assertEquals(List.of(), PyText.split(" \t "));
        assertEquals("  x", PyText.rstrip("  x \u2028\n"));
        assertEquals("abc", PyText.removeSpaces(" a b\tc "));
        // Python lower-cases U+0130 to "i" plus a combining dot, like Java's root locale.
        assertEquals("i\u0307", PyText.lower("\u0130"));
    }
}
