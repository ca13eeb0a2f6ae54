package dev.mlops.features.internal;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import java.nio.file.Path;

/** Quoting for the SQL this module writes. Identifiers are whitelisted by {@link Names} and quoted here as well. */
public final class Sql {
    private Sql() {
    }

    /**
     * Quotes an identifier.
     *
     * @param name an identifier already checked by {@link Names}
     * @return the double-quoted identifier
     */
    public static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Quotes a string literal.
     *
     * @param value the text
     * @return the single-quoted literal
     * @throws InvalidArgumentException if the text holds a NUL character
     */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("text " + Names.show(value) + " holds a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * Quotes a file path as a literal.
     *
     * @param path the path
     * @return the single-quoted absolute path
     */
    public static String path(Path path) {
        return literal(path.toAbsolutePath().normalize().toString());
    }

    /**
     * Returns the offline engine's column type for a data type.
     *
     * @param type the data type
     * @return the SQL type
     */
    public static String type(DataType type) {
        return switch (type) {
            case DOUBLE -> "DOUBLE";
            case LONG -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case STRING -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP";
        };
    }

    /**
     * Maps a type name reported by the offline engine to a data type.
     *
     * @param sqlType the engine's type name, for instance {@code BIGINT} or {@code TIMESTAMP WITH TIME ZONE}
     * @return the data type, or {@code null} when the type has no counterpart
     */
    public static DataType dataType(String sqlType) {
        String t = sqlType.toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("DECIMAL") || t.startsWith("NUMERIC")) {
            return DataType.DOUBLE;
        }
        return switch (t) {
            case "DOUBLE", "FLOAT", "REAL" -> DataType.DOUBLE;
            case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UINTEGER", "USMALLINT", "UTINYINT", "HUGEINT" ->
                    DataType.LONG;
            case "BOOLEAN" -> DataType.BOOLEAN;
            case "VARCHAR" -> DataType.STRING;
            case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATE" ->
                    DataType.TIMESTAMP;
            default -> null;
        };
    }

    /**
     * Checks that a SQL expression written by a developer stays one expression: no statement separator, no comment,
     * no closing parenthesis without its opening one, and closed quotes. The expression is still evaluated with the
     * full power of SQL, so it must come from code, never from end users.
     *
     * @param what where the expression is used, for the message
     * @param expression the expression
     * @return the expression
     * @throws InvalidArgumentException if the expression could end the statement it is placed in
     */
    public static String expression(String what, String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidArgumentException(what + " must not be empty");
        }
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char ch = expression.charAt(i);
            if (ch == '\0') {
                throw new InvalidArgumentException(what + " holds a NUL character");
            }
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (ch) {
                case '\'', '"' -> quote = ch;
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) {
                        throw new InvalidArgumentException(what + " " + Names.show(expression)
                                + " closes a parenthesis it did not open at index " + i);
                    }
                }
                case ';' -> throw new InvalidArgumentException(what + " " + Names.show(expression)
                        + " holds ';' at index " + i + "; an expression cannot end the statement");
                case '-', '/' -> {
                    char next = i + 1 < expression.length() ? expression.charAt(i + 1) : 0;
                    if ((ch == '-' && next == '-') || (ch == '/' && next == '*')) {
                        throw new InvalidArgumentException(what + " " + Names.show(expression)
                                + " holds a comment at index " + i);
                    }
                }
                default -> {
                }
            }
        }
        if (quote != 0) {
            throw new InvalidArgumentException(what + " " + Names.show(expression) + " leaves a quote open");
        }
        if (depth != 0) {
            throw new InvalidArgumentException(what + " " + Names.show(expression) + " leaves " + depth
                    + " parenthesis open");
        }
        return expression;
    }
}
