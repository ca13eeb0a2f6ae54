package dev.mlops.monitoring.internal;

import java.util.Locale;

/**
 * Pieces of the self-contained HTML reports: escaping, number formatting and the page shell. The page carries a
 * Content-Security-Policy that forbids scripts and every network fetch, so a report opens the same offline.
 */
public final class Html {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#222;max-width:1200px}
            h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5em 0 1em 0;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}
            th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}
            .drift{color:#b00020;font-weight:600}.ok{color:#1b5e20}.na{color:#8d6e00}
            .col{margin:1.5em 0;padding:.5em 1em;border:1px solid #eee;border-radius:6px}
            .chart svg{max-width:100%;height:auto}.note{color:#555;font-size:.9em}
            """;

    private Html() {
    }

    /**
     * Escapes text for HTML element content and quoted attribute values.
     *
     * @param s the text, or null
     * @return the escaped text ("" for null)
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append("&#xFFFD;");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * Formats a number for a table: up to 4 significant digits, scientific notation for very small or large values.
     *
     * @param x the number
     * @return the text, "&ndash;" for NaN
     */
    public static String num(double x) {
        if (Double.isNaN(x)) {
            return "&ndash;";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "&infin;" : "-&infin;";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e12) {
            return Long.toString((long) x);
        }
        if (x != 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e7)) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        return String.format(Locale.ROOT, "%.4g", x);
    }

    /**
     * Wraps a body into a complete page.
     *
     * @param title the page title (escaped here)
     * @param body the body markup
     * @return the page
     */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                + "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
                + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<h1>" + escape(title)
                + "</h1>\n" + body + "</body>\n</html>\n";
    }
}
