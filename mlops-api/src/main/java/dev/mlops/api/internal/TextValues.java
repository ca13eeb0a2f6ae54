package dev.mlops.api.internal;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.TimestampColumn;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** Parses and formats cell text: numbers, booleans and timestamps. Stateless and thread-safe. */
public final class TextValues {
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendPattern("['T'][' ']")
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM:ss", "Z")
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private TextValues() {
    }

    /**
     * Parses a long written in plain decimal digits with an optional sign.
     *
     * @return true and stores into {@code out[0]} when the text is a long
     */
    public static boolean tryParseLong(String s, long[] out) {
        int n = s.length();
        if (n == 0 || n > 20) {
            return false;
        }
        int start = (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (start == n) {
            return false;
        }
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            out[0] = Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Parses a double in decimal or scientific notation, or one of {@code NaN}, {@code Infinity}, {@code inf} (any
     * case, optionally signed). Java's type suffixes, hexadecimal floats and surrounding spaces are rejected.
     *
     * @return the value, or {@code null} when the text is not a number
     */
    public static Double tryParseDouble(String s) {
        int n = s.length();
        if (n == 0) {
            return null;
        }
        int start = (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (start < n && Character.isLetter(s.charAt(start))) {
            String body = s.substring(start);
            if (body.equalsIgnoreCase("nan")) {
                return Double.NaN;
            }
            if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
                return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return null;
        }
        boolean digit = false;
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
                return null;
            }
        }
        if (!digit) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Parses {@code true} or {@code false} in any case.
     *
     * @return the value, or {@code null} when the text is neither
     */
    public static Boolean tryParseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /**
     * Parses an ISO-8601 date ({@code 2024-05-01}), local date-time ({@code 2024-05-01T10:00:00}, also with a space)
     * or offset date-time ({@code 2024-05-01T10:00:00.5+02:00}, {@code ...Z}); text without an offset is UTC. The
     * result is truncated to microseconds.
     *
     * @return true and stores epoch microseconds into {@code out[0]} when the text is a timestamp
     */
    public static boolean tryParseTimestamp(String s, long[] out) {
        if (!looksLikeDate(s)) {
            return false;
        }
        try {
            TemporalAccessor t = TIMESTAMP.parse(s);
            LocalDate date = LocalDate.from(t);
            LocalTime time = t.isSupported(ChronoField.NANO_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
            ZoneOffset offset = t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(t) : ZoneOffset.UTC;
            out[0] = TimestampColumn.toMicros(date.atTime(time).toInstant(offset));
            return true;
        } catch (DateTimeException | InvalidArgumentException e) {
            // Not a valid date, or an instant outside the range a timestamp column holds.
            return false;
        }
    }

    /** A cheap test that spares the formatter (and its exceptions) for text that cannot be a date. */
    private static boolean looksLikeDate(String s) {
        int i = 0;
        int n = s.length();
        if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        return digits >= 4 && n >= i + 6 && s.charAt(i) == '-' && s.charAt(i + 3) == '-';
    }

    /**
     * Formats a double so that {@link #tryParseDouble} reads back the identical value.
     *
     * @param v the value
     * @return {@link Double#toString(double)}'s text
     */
    public static String formatDouble(double v) {
        return Double.toString(v);
    }

    /**
     * Formats epoch microseconds as an ISO-8601 instant in UTC.
     *
     * @param micros microseconds since the epoch
     * @return for instance {@code 2024-05-01T10:00:00.000001Z}
     */
    public static String formatTimestamp(long micros) {
        return TimestampColumn.toInstant(micros).toString();
    }
}
