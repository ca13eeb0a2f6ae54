package dev.mlops.tracking.internal;

import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses MLflow's run-search grammar: {@code metrics.auc > 0.9 and params.model = 'sgd'} and order-by clauses such
 * as {@code metrics.auc DESC, attributes.start_time}. Stateless; {@link #parseFilter} and {@link #parseOrderBy} are
 * thread-safe.
 */
public final class SearchParser {
    /** What a clause compares. */
    public enum Entity {
        /** A run's latest metric value. */
        METRIC,
        /** A run's parameter. */
        PARAM,
        /** A run's tag. */
        TAG,
        /** A run attribute (a column of the runs table). */
        ATTRIBUTE,
        /** A dataset the run used. */
        DATASET
    }

    /** The comparison of a clause. */
    public enum Op {
        /** Equal. */
        EQ("="),
        /** Not equal. */
        NE("!="),
        /** Less than. */
        LT("<"),
        /** Less than or equal. */
        LE("<="),
        /** Greater than. */
        GT(">"),
        /** Greater than or equal. */
        GE(">="),
        /** SQL pattern, case-sensitive. */
        LIKE("LIKE"),
        /** SQL pattern, case-insensitive. */
        ILIKE("ILIKE"),
        /** One of a list. */
        IN("IN"),
        /** None of a list. */
        NOT_IN("NOT IN");

        final String text;

        Op(String text) {
            this.text = text;
        }
    }

    /**
     * One condition.
     *
     * @param entity what it compares
     * @param key the metric, param or tag key, or the attribute or dataset field
     * @param op the comparison
     * @param value a {@link String}, a {@link Double}, or for IN a {@link List} of either
     */
    public record Clause(Entity entity, String key, Op op, Object value) {
    }

    /**
     * One sort key.
     *
     * @param entity what it sorts by
     * @param key the metric, param or tag key, or the attribute
     * @param ascending the direction
     */
    public record OrderKey(Entity entity, String key, boolean ascending) {
    }

    /** Attribute names (and MLflow's aliases) mapped to the runs table's columns. */
    static final Map<String, String> ATTRIBUTES = Map.ofEntries(
            Map.entry("run_id", "run_id"), Map.entry("id", "run_id"),
            Map.entry("run_name", "name"), Map.entry("name", "name"),
            Map.entry("status", "status"),
            Map.entry("start_time", "start_time"), Map.entry("created", "start_time"),
            Map.entry("end_time", "end_time"),
            Map.entry("user_id", "user_id"), Map.entry("user", "user_id"),
            Map.entry("source", "source"),
            Map.entry("parent_run_id", "parent_run_id"));
    /** Attribute columns compared as numbers. */
    static final List<String> NUMERIC_ATTRIBUTES = List.of("start_time", "end_time");
    /** Dataset fields mapped to the inputs table's columns. */
    static final Map<String, String> DATASET_FIELDS = Map.of("name", "dataset_name", "digest", "dataset_digest",
            "context", "context");

    private final String text;
    private final String what;
    private int pos;

    private SearchParser(String text, String what) {
        this.text = text;
        this.what = what;
    }

    /**
     * Parses a filter; blank means no condition.
     *
     * @param filter the filter text
     * @return the clauses, all of which must hold
     * @throws InvalidArgumentException naming the position and what was expected
     */
    public static List<Clause> parseFilter(String filter) {
        List<Clause> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return clauses;
        }
        SearchParser p = new SearchParser(filter, "filter");
        while (true) {
            clauses.add(p.clause());
            p.skipSpace();
            if (p.atEnd()) {
                return clauses;
            }
            String word = p.word();
            if (word.equalsIgnoreCase("or")) {
                throw p.error("OR is not supported; clauses are joined with AND");
            }
            if (!word.equalsIgnoreCase("and")) {
                throw p.error("expected AND between clauses but found '" + word + "'");
            }
        }
    }

    /**
     * Parses order-by keys separated by commas, each optionally followed by ASC or DESC.
     *
     * @param orderBy the text; blank means the default order
     * @return the keys, most significant first
     * @throws InvalidArgumentException naming the position and what was expected
     */
    public static List<OrderKey> parseOrderBy(String orderBy) {
        List<OrderKey> keys = new ArrayList<>();
        if (orderBy == null || orderBy.isBlank()) {
            return keys;
        }
        SearchParser p = new SearchParser(orderBy, "order-by");
        while (true) {
            p.skipSpace();
            Entity entity = p.entity();
            String key = p.key();
            p.checkKnown(entity, key);
            p.skipSpace();
            boolean asc = true;
            if (!p.atEnd() && p.peek() != ',') {
                String dir = p.word();
                if (dir.equalsIgnoreCase("desc")) {
                    asc = false;
                } else if (!dir.equalsIgnoreCase("asc")) {
                    throw p.error("expected ASC, DESC or ',' but found '" + dir + "'");
                }
                p.skipSpace();
            }
            keys.add(new OrderKey(entity, normalizedKey(entity, key), asc));
            if (p.atEnd()) {
                return keys;
            }
            p.expect(',');
        }
    }

    private Clause clause() {
        skipSpace();
        Entity entity = entity();
        String key = key();
        checkKnown(entity, key);
        skipSpace();
        Op op = op();
        skipSpace();
        Object value = op == Op.IN || op == Op.NOT_IN ? list() : value();
        boolean numeric = entity == Entity.METRIC
                || (entity == Entity.ATTRIBUTE && NUMERIC_ATTRIBUTES.contains(ATTRIBUTES.get(key)));
        checkValue(entity, key, op, value, numeric);
        return new Clause(entity, normalizedKey(entity, key), op, value);
    }

    private static String normalizedKey(Entity entity, String key) {
        return switch (entity) {
            case ATTRIBUTE -> ATTRIBUTES.get(key);
            case DATASET -> DATASET_FIELDS.get(key);
            default -> key;
        };
    }

    private void checkKnown(Entity entity, String key) {
        if (entity == Entity.ATTRIBUTE && !ATTRIBUTES.containsKey(key)) {
            throw error("unknown attribute '" + key + "'; attributes are " + ATTRIBUTES.keySet().stream().sorted().toList());
        }
        if (entity == Entity.DATASET && !DATASET_FIELDS.containsKey(key)) {
            throw error("unknown dataset field '" + key + "'; fields are [context, digest, name]");
        }
    }

    private void checkValue(Entity entity, String key, Op op, Object value, boolean numeric) {
        List<?> values = value instanceof List<?> l ? l : List.of(value);
        for (Object v : values) {
            if (numeric && !(v instanceof Double)) {
                throw error(entity.name().toLowerCase(Locale.ROOT) + " '" + key + "' is compared with numbers, not '" + v
                        + "'");
            }
            if (!numeric && !(v instanceof String)) {
                throw error(entity.name().toLowerCase(Locale.ROOT) + " '" + key
                        + "' is compared with quoted strings, not the number " + v);
            }
        }
        if (numeric && (op == Op.LIKE || op == Op.ILIKE)) {
            throw error(op.text + " applies to strings, not to " + entity.name().toLowerCase(Locale.ROOT) + " '" + key
                    + "'");
        }
    }

    private Entity entity() {
        int start = pos;
        while (!atEnd() && (Character.isLetter(peek()) || peek() == '_')) {
            pos++;
        }
        String word = text.substring(start, pos).toLowerCase(Locale.ROOT);
        if (atEnd() || peek() != '.') {
            // A bare name is an attribute, as in "run_name = 'x'" or "status = 'FINISHED'".
            pos = start;
            return Entity.ATTRIBUTE;
        }
        pos++;
        return switch (word) {
            case "metric", "metrics" -> Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            case "dataset", "datasets" -> Entity.DATASET;
            default -> {
                pos = start;
                throw error("unknown entity '" + word + "'; expected metrics., params., tags., attributes. or datasets.");
            }
        };
    }

    private String key() {
        if (atEnd()) {
            throw error("expected a key");
        }
        char c = peek();
        if (c == '`' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && "=!<>(),'".indexOf(peek()) < 0) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a key");
        }
        return text.substring(start, pos);
    }

    private Op op() {
        if (atEnd()) {
            throw error("expected a comparison");
        }
        char c = peek();
        if (c == '=') {
            pos++;
            if (!atEnd() && peek() == '=') {
                pos++;
            }
            return Op.EQ;
        }
        if (c == '!' && text.startsWith("!=", pos)) {
            pos += 2;
            return Op.NE;
        }
        if (c == '<') {
            pos++;
            if (!atEnd() && peek() == '=') {
                pos++;
                return Op.LE;
            }
            if (!atEnd() && peek() == '>') {
                pos++;
                return Op.NE;
            }
            return Op.LT;
        }
        if (c == '>') {
            pos++;
            if (!atEnd() && peek() == '=') {
                pos++;
                return Op.GE;
            }
            return Op.GT;
        }
        int start = pos;
        String w = word().toUpperCase(Locale.ROOT);
        switch (w) {
            case "LIKE":
                return Op.LIKE;
            case "ILIKE":
                return Op.ILIKE;
            case "IN":
                return Op.IN;
            case "NOT":
                skipSpace();
                if (word().equalsIgnoreCase("in")) {
                    return Op.NOT_IN;
                }
                pos = start;
                throw error("expected NOT IN");
            default:
                pos = start;
                throw error("expected a comparison (= != < <= > >= LIKE ILIKE IN NOT IN) but found '" + w + "'");
        }
    }

    private Object value() {
        if (atEnd()) {
            throw error("expected a value");
        }
        char c = peek();
        if (c == '\'' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != ',' && peek() != ')') {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            if (!token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number or a quoted string but found '" + token + "'");
        }
    }

    private List<Object> list() {
        expect('(');
        List<Object> values = new ArrayList<>();
        while (true) {
            skipSpace();
            values.add(value());
            skipSpace();
            if (!atEnd() && peek() == ')') {
                pos++;
                return values;
            }
            expect(',');
        }
    }

    private String quoted(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (!atEnd() && peek() == quote) {
                    sb.append(quote); // a doubled quote stands for one
                    pos++;
                } else {
                    return sb.toString();
                }
            } else {
                sb.append(c);
            }
        }
        pos = start;
        throw error("unterminated quoted text");
    }

    private String word() {
        int start = pos;
        while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected '" + peek() + "'");
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpace();
        if (atEnd() || peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private InvalidArgumentException error(String message) {
        return new InvalidArgumentException("invalid " + what + " '" + text + "' at position " + pos + ": " + message);
    }
}
