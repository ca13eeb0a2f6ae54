package dev.mlops.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns JSON scalars into Java values and fits them to a schema's column types. */
final class JsonValues {
    private JsonValues() {
    }

    static Object scalar(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.doubleValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            String t = v.textValue();
            // JSON cannot write non-finite numbers; clients send them as strings.
            return switch (t) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> t;
            };
        }
        throw new InvalidArgumentException(where + " holds a nested " + v.getNodeType().name().toLowerCase(
                java.util.Locale.ROOT) + "; values must be numbers, booleans, strings or null");
    }

    /** Converts integral doubles for long columns and numbers for double columns, leaving anything else as is. */
    static Map<String, Object> coerce(Map<String, Object> row, Schema inputs) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            Field f = inputs.find(e.getKey()).orElse(null);
            if (f == null || e.getValue() == null) {
                continue;
            }
            Object v = e.getValue();
            if (f.type() == DataType.LONG && v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
                e.setValue(d.longValue());
            } else if (f.type() == DataType.DOUBLE && v instanceof Long l) {
                e.setValue(l.doubleValue());
            }
        }
        return out;
    }
}
