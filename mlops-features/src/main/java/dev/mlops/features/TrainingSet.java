package dev.mlops.features;

import dev.mlops.api.Frame;
import dev.mlops.api.spi.DatasetRef;
import java.util.Map;
import java.util.Objects;

/**
 * A point-in-time-correct training set: the entity rows with the features each row's entity had at the row's time,
 * with what tracking needs to record its lineage.
 *
 * <pre>{@code
 * TrainingSet ts = store.trainingSet(entityRows, "diagnosis_model");
 * run.logInput(ts.frame(), ts.datasetRef().name(), "training");
 * }</pre>
 *
 * @param frame the rows: the entity rows' columns, then the features, then the transforms' outputs
 * @param service the feature service
 * @param definitionVersions every definition used, as {@code kind:name} to version (for instance
 *     {@code feature_view:tumour_stats=3})
 * @param asKnownAt whether rows created after each entity row's time were ignored
 */
public record TrainingSet(Frame frame, String service, Map<String, Integer> definitionVersions, boolean asKnownAt) {
    /** Validates the training set. */
    public TrainingSet {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(service, "service");
        definitionVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(definitionVersions));
    }

    /**
     * Returns the frame's SHA-256 ({@link Frame#digest()}), computed on first use and then kept by the frame.
     *
     * @return 64 hex characters
     */
    public String digest() {
        return frame.digest();
    }

    /**
     * Returns a lineage reference for tracking: named after the service and its version.
     *
     * @return a reference with context {@code training}
     */
    public DatasetRef datasetRef() {
        return datasetRef("training");
    }

    /**
     * Returns a lineage reference with another context (for instance {@code evaluation}).
     *
     * @param context the role the data plays
     * @return the reference
     */
    public DatasetRef datasetRef(String context) {
        Integer v = definitionVersions.get(DefinitionKind.FEATURE_SERVICE.key() + ":" + service);
        return new DatasetRef("features:" + service + (v == null ? "" : "/v" + v), digest(), context);
    }
}
