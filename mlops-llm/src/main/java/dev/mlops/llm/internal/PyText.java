package dev.mlops.llm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text operations with Python 3's exact semantics, so that metrics defined by Python reference implementations
 * (sacreBLEU, rouge-score, the SQuAD script) tokenize the same way: {@code str.split()}, {@code str.strip()} and
 * {@code str.lower()}.
 */
public final class PyText {
    private PyText() {
    }

    /**
     * Tells whether a character is whitespace for Python's {@code str.split()} and {@code str.strip()}: the ASCII
     * controls 0x09-0x0D and 0x1C-0x1F, space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
     * U+205F and U+3000. Java's {@link Character#isWhitespace} differs (it excludes the no-break spaces).
     *
     * @param c a UTF-16 unit (every Python whitespace character is in the basic plane)
     * @return true for Python whitespace
     */
    public static boolean isSpace(char c) {
        if (c <= 0x20) {
            return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /**
     * Splits on runs of Python whitespace, dropping empty pieces, as {@code str.split()} with no argument.
     *
     * @param s the text
     * @return the pieces
     */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /**
     * Removes trailing Python whitespace, as {@code str.rstrip()}.
     *
     * @param s the text
     * @return the text without trailing whitespace
     */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Removes every Python whitespace character, as {@code ''.join(s.split())}.
     *
     * @param s the text
     * @return the text without whitespace
     */
    public static String removeSpaces(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length());
                    sb.append(s, 0, i);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Lower-cases with full Unicode case mapping and no locale rules, as Python's {@code str.lower()}.
     *
     * @param s the text
     * @return the lower-cased text
     */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Tells whether a code point is a word character for Python's {@code re} module on text: a letter, a number
     * (decimal, letter or other numeric) or the underscore.
     *
     * @param cp a code point
     * @return true for a word character
     */
    public static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * Returns the code points of a string as an array, so that n-grams count characters as Python does.
     *
     * @param s the text
     * @return the code points
     */
    public static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }
}
