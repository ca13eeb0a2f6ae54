package dev.mlops.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Open Inference Protocol v2 infer requests into rows: either one tensor per input column (shape {@code [n]}
 * or {@code [n, 1]}) or a single tensor of shape {@code [n, d]} in the model's input order.
 */
final class OipRequests {
    private static final Set<String> TYPES = Set.of("BOOL", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16",
            "UINT32", "UINT64", "FP16", "FP32", "FP64");

    private OipRequests() {
    }

    static List<Map<String, Object>> rows(JsonNode body, List<String> inputOrder) {
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidArgumentException("an infer request needs a non-empty 'inputs' array of tensors");
        }
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(Tensor.of(inputs.get(i), i));
        }
        if (tensors.size() == 1 && tensors.get(0).shape.size() == 2 && tensors.get(0).shape.get(1) == inputOrder.size()
                && !inputOrder.contains(tensors.get(0).name)) {
            Tensor t = tensors.get(0);
            int n = t.shape.get(0).intValue();
            int d = inputOrder.size();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 0; c < d; c++) {
                    row.put(inputOrder.get(c), t.values.get(r * d + c));
                }
                rows.add(row);
            }
            return rows;
        }
        int n = -1;
        for (Tensor t : tensors) {
            if (!inputOrder.contains(t.name)) {
                throw new InvalidArgumentException("tensor '" + t.name + "' is not an input of the model; inputs are "
                        + inputOrder + " (or send one [n, " + inputOrder.size() + "] tensor)");
            }
            long rows = t.shape.get(0);
            if (t.shape.size() > 2 || (t.shape.size() == 2 && t.shape.get(1) != 1)) {
                throw new InvalidArgumentException("tensor '" + t.name + "' has shape " + t.shape
                        + "; a column tensor has shape [n] or [n, 1]");
            }
            if (n >= 0 && rows != n) {
                throw new InvalidArgumentException("tensor '" + t.name + "' has " + rows + " rows but others have " + n);
            }
            n = (int) rows;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Tensor t : tensors) {
                row.put(t.name, t.values.get(r));
            }
            rows.add(row);
        }
        return rows;
    }

    /** One decoded tensor: its name, shape and flattened values. */
    private record Tensor(String name, List<Long> shape, List<Object> values) {
        static Tensor of(JsonNode node, int index) {
            String where = "inputs[" + index + "]";
            if (!node.isObject() || !node.hasNonNull("name") || !node.has("shape") || !node.has("datatype")
                    || !node.has("data")) {
                throw new InvalidArgumentException(where + " needs 'name', 'shape', 'datatype' and 'data'");
            }
            String name = node.get("name").asText();
            String type = node.get("datatype").asText();
            if (!TYPES.contains(type)) {
                throw new InvalidArgumentException("tensor '" + name + "' has datatype '" + type
                        + "'; numeric and BOOL tensors are accepted");
            }
            List<Long> shape = new ArrayList<>();
            long size = 1;
            for (JsonNode s : node.get("shape")) {
                if (!s.canConvertToLong() || s.longValue() < 0) {
                    throw new InvalidArgumentException("tensor '" + name + "' has a bad shape " + node.get("shape"));
                }
                shape.add(s.longValue());
                size *= s.longValue();
            }
            if (shape.isEmpty()) {
                throw new InvalidArgumentException("tensor '" + name + "' needs a shape with at least one dimension");
            }
            List<Object> values = new ArrayList<>();
            flatten(node.get("data"), values, "tensor '" + name + "'");
            if (values.size() != size) {
                throw new InvalidArgumentException("tensor '" + name + "' has " + values.size()
                        + " values but its shape " + shape + " needs " + size);
            }
            return new Tensor(name, shape, values);
        }

        private static void flatten(JsonNode data, List<Object> out, String where) {
            if (data.isArray()) {
                for (JsonNode d : data) {
                    flatten(d, out, where);
                }
            } else {
                out.add(JsonValues.scalar(data, where));
            }
        }
    }
}
