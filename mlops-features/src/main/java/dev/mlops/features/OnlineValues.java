package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.TimestampColumn;
import java.time.Instant;

/** The text form of online values (Redis hash fields) and their type checks. */
final class OnlineValues {
    private OnlineValues() {
    }

    static boolean fits(DataType type, Object v) {
        return switch (type) {
            case DOUBLE -> v instanceof Double;
            case LONG -> v instanceof Long;
            case BOOLEAN -> v instanceof Boolean;
            case STRING -> v instanceof String;
            case TIMESTAMP -> v instanceof Instant;
        };
    }

    static String encode(DataType type, Object v) {
        return switch (type) {
            case DOUBLE -> Double.toString((Double) v);
            case LONG -> Long.toString((Long) v);
            case BOOLEAN -> ((Boolean) v) ? "1" : "0";
            case STRING -> (String) v;
            case TIMESTAMP -> Long.toString(TimestampColumn.toMicros((Instant) v));
        };
    }

    static Object decode(DataType type, String text, String where) {
        try {
            return switch (type) {
                case DOUBLE -> Double.parseDouble(text);
                case LONG -> Long.parseLong(text);
                case BOOLEAN -> "1".equals(text);
                case STRING -> text;
                case TIMESTAMP -> TimestampColumn.toInstant(Long.parseLong(text));
            };
        } catch (NumberFormatException e) {
            throw new IntegrityException("online value of " + where + " is '" + text + "', not a " + type.jsonName(), e);
        }
    }
}
