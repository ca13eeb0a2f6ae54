package dev.mlops.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON bodies of MLflow's {@code /invocations} into rows. */
final class MlflowRequests {
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private MlflowRequests() {
    }

    static List<Map<String, Object>> rows(JsonNode body, List<String> inputOrder) {
        if (!body.isObject()) {
            throw new InvalidArgumentException("the body must be a JSON object with one of the keys " + FORMATS);
        }
        List<String> present = new ArrayList<>();
        body.fieldNames().forEachRemaining(k -> {
            if (FORMATS.contains(k)) {
                present.add(k);
            }
        });
        if (present.size() != 1) {
            List<String> keys = new ArrayList<>();
            body.fieldNames().forEachRemaining(keys::add);
            throw new InvalidArgumentException("the body must have exactly one of the keys " + FORMATS + ", but has "
                    + keys);
        }
        String format = present.get(0);
        JsonNode value = body.get(format);
        List<Map<String, Object>> rows = switch (format) {
            case "dataframe_split" -> split(value, inputOrder);
            case "dataframe_records" -> records(value, "dataframe_records", inputOrder);
            default -> value.isObject() ? columnar(value, format) : records(value, format, inputOrder);
        };
        if (rows.isEmpty()) {
            throw new InvalidArgumentException("'" + format + "' holds no rows");
        }
        return rows;
    }

    private static List<Map<String, Object>> split(JsonNode split, List<String> inputOrder) {
        if (!split.isObject() || !split.has("data") || !split.get("data").isArray()) {
            throw new InvalidArgumentException("'dataframe_split' needs an object with a 'data' array");
        }
        List<String> columns = new ArrayList<>();
        if (split.has("columns")) {
            split.get("columns").forEach(c -> columns.add(c.asText()));
        } else {
            columns.addAll(inputOrder);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int r = 0;
        for (JsonNode data : split.get("data")) {
            if (!data.isArray() || data.size() != columns.size()) {
                throw new InvalidArgumentException("dataframe_split.data[" + r + "] must be an array of "
                        + columns.size() + " values, one per column " + columns);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c), JsonValues.scalar(data.get(c), "dataframe_split.data[" + r + "][" + c + "]"));
            }
            rows.add(row);
            r++;
        }
        return rows;
    }

    private static List<Map<String, Object>> records(JsonNode list, String format, List<String> inputOrder) {
        if (!list.isArray()) {
            throw new InvalidArgumentException("'" + format + "' must be an array");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int r = 0;
        for (JsonNode item : list) {
            String where = format + "[" + r + "]";
            Map<String, Object> row = new LinkedHashMap<>();
            if (item.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    row.put(f.getKey(), JsonValues.scalar(f.getValue(), where + "." + f.getKey()));
                }
            } else if (item.isArray()) {
                if (item.size() != inputOrder.size()) {
                    throw new InvalidArgumentException(where + " has " + item.size() + " values but the model takes "
                            + inputOrder.size() + ": " + inputOrder);
                }
                for (int c = 0; c < inputOrder.size(); c++) {
                    row.put(inputOrder.get(c), JsonValues.scalar(item.get(c), where + "[" + c + "]"));
                }
            } else if (inputOrder.size() == 1) {
                row.put(inputOrder.get(0), JsonValues.scalar(item, where));
            } else {
                throw new InvalidArgumentException(where + " must be an object or an array of " + inputOrder.size()
                        + " values");
            }
            rows.add(row);
            r++;
        }
        return rows;
    }

    private static List<Map<String, Object>> columnar(JsonNode columns, String format) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = -1;
        Iterator<Map.Entry<String, JsonNode>> fields = columns.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getValue().isArray()) {
                throw new InvalidArgumentException(format + "." + f.getKey() + " must be an array of column values");
            }
            if (n < 0) {
                n = f.getValue().size();
                for (int i = 0; i < n; i++) {
                    rows.add(new LinkedHashMap<>());
                }
            } else if (f.getValue().size() != n) {
                throw new InvalidArgumentException(format + "." + f.getKey() + " has " + f.getValue().size()
                        + " values but the other columns have " + n);
            }
            for (int i = 0; i < n; i++) {
                rows.get(i).put(f.getKey(), JsonValues.scalar(f.getValue().get(i), format + "." + f.getKey() + "["
                        + i + "]"));
            }
        }
        return rows;
    }

    static Map<String, Object> coerce(Map<String, Object> row, Schema inputs) {
        return JsonValues.coerce(row, inputs);
    }
}
