package dev.mlops.llm.internal;

/**
 * sacreBLEU's {@code 13a} tokenizer (the tokenization of mteval-v13a.pl used by WMT), written as four character
 * scans that produce exactly what sacreBLEU's four regular-expression substitutions produce:
 *
 * <ol>
 *   <li>drop {@code <skipped>}, join {@code -\n}, turn other newlines into spaces, and unescape {@code &quot;},
 *       {@code &amp;}, {@code &lt;} and {@code &gt;}, in that order;</li>
 *   <li>{@code ([\{-\~\[-\` -\&\(-\+\:-\@\/])} becomes {@code ' \1 '}: ASCII punctuation other than
 *       {@code ' , - .} is split off;</li>
 *   <li>{@code ([^0-9])([\.,])} becomes {@code '\1 \2 '}: a period or comma after a non-digit is split off;</li>
 *   <li>{@code ([\.,])([^0-9])} becomes {@code ' \1 \2'}: a period or comma before a non-digit is split off;</li>
 *   <li>{@code ([0-9])(-)} becomes {@code '\1 \2 '}: a dash after a digit is split off;</li>
 *   <li>runs of whitespace collapse to single spaces and the ends are trimmed.</li>
 * </ol>
 *
 * <p>Each regular-expression pass replaces non-overlapping matches from left to right, so the scans consume the
 * second character of a match before looking for the next one. Stateless and thread-safe.
 */
public final class Tokenizer13a {
    private Tokenizer13a() {
    }

    /**
     * Tokenizes one segment.
     *
     * @param line the segment (already right-stripped and, if wanted, lower-cased)
     * @return the tokens joined by single spaces
     */
    public static String tokenize(String line) {
        String s = line;
        if (s.indexOf('<') >= 0) {
            s = s.replace("<skipped>", "");
        }
        if (s.indexOf('\n') >= 0) {
            s = s.replace("-\n", "").replace('\n', ' ');
        }
        if (s.indexOf('&') >= 0) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        int n = s.length();
        // Pass 1: split off punctuation; the surrounding spaces of the original " {} " framing only matter for
        // passes 2 and 3, which see a space (a non-digit) before the first and after the last character.
        StringBuilder a = new StringBuilder(n * 2 + 2).append(' ');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isPunct(c)) {
                a.append(' ').append(c).append(' ');
            } else {
                a.append(c);
            }
        }
        a.append(' ');
        // Pass 2: ([^0-9])([.,]) -> "\1 \2 "
        StringBuilder b = new StringBuilder(a.length() + 16);
        int m = a.length();
        for (int i = 0; i < m; i++) {
            char c = a.charAt(i);
            if (!isDigit(c) && i + 1 < m && isDotComma(a.charAt(i + 1))) {
                b.append(c).append(' ').append(a.charAt(i + 1)).append(' ');
                i++;
            } else {
                b.append(c);
            }
        }
        // Pass 3: ([.,])([^0-9]) -> " \1 \2"
        StringBuilder d = new StringBuilder(b.length() + 16);
        m = b.length();
        for (int i = 0; i < m; i++) {
            char c = b.charAt(i);
            if (isDotComma(c) && i + 1 < m && !isDigit(b.charAt(i + 1))) {
                d.append(' ').append(c).append(' ').append(b.charAt(i + 1));
                i++;
            } else {
                d.append(c);
            }
        }
        // Pass 4: ([0-9])(-) -> "\1 \2 ", then collapse whitespace.
        StringBuilder out = new StringBuilder(d.length());
        m = d.length();
        boolean pendingSpace = false;
        for (int i = 0; i < m; i++) {
            char c = d.charAt(i);
            if (isDigit(c) && i + 1 < m && d.charAt(i + 1) == '-') {
                appendToken(out, c, pendingSpace);
                pendingSpace = true;
                appendToken(out, '-', true);
                pendingSpace = true;
                i++;
            } else if (PyText.isSpace(c)) {
                pendingSpace = true;
            } else {
                appendToken(out, c, pendingSpace);
                pendingSpace = false;
            }
        }
        return out.toString();
    }

    private static void appendToken(StringBuilder out, char c, boolean spaceBefore) {
        if (spaceBefore && out.length() > 0) {
            out.append(' ');
        }
        out.append(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDotComma(char c) {
        return c == '.' || c == ',';
    }

    /** The character class {@code [\{-\~\[-\` -\&\(-\+\:-\@\/]}. */
    private static boolean isPunct(char c) {
        return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') || (c >= '(' && c <= '+')
                || (c >= ':' && c <= '@') || c == '/';
    }
}
