package dev.mlops.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prediction.
 *
 * @param id the prediction's id, for linking feedback and delayed labels
 * @param model the registered model's name, or the package digest for a package served directly
 * @param version the model version, or 0 for a package served directly
 * @param label the predicted class for a classifier, or {@code null}
 * @param scores the outputs by name (class probabilities for a classifier), in output order
 */
public record Prediction(String id, String model, long version, String label, Map<String, Double> scores) {
    /**
     * Copies the scores, keeping their order.
     *
     * @throws NullPointerException if the id, model or scores are null
     */
    public Prediction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /**
     * Returns the prediction as a flat map: {@code label} (for classifiers) and one {@code score.<name>} entry per
     * output.
     *
     * @return a new ordered map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (label != null) {
            m.put("label", label);
        }
        scores.forEach((k, v) -> m.put("score." + k, v));
        return m;
    }
}
