package dev.mlops.features;

import dev.mlops.api.spi.DatasetRef;
import java.util.Map;
import java.util.Objects;

/**
 * What a streamed training set was: its size, a digest over its rows and the definitions' versions.
 *
 * @param rows the number of rows delivered
 * @param digest a SHA-256 over the schema and every row in order, independent of the batch size (it differs from
 *     {@link dev.mlops.api.Frame#digest()}, which is taken column by column)
 * @param service the feature service
 * @param definitionVersions every definition used, as {@code kind:name} to version
 * @param asKnownAt whether rows created after each entity row's time were ignored
 */
public record TrainingSetInfo(long rows, String digest, String service, Map<String, Integer> definitionVersions,
        boolean asKnownAt) {
    /** Validates the summary. */
    public TrainingSetInfo {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(service, "service");
        definitionVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(definitionVersions));
    }

    /**
     * Returns a lineage reference for tracking.
     *
     * @return a reference with context {@code training}
     */
    public DatasetRef datasetRef() {
        Integer v = definitionVersions.get(DefinitionKind.FEATURE_SERVICE.key() + ":" + service);
        return new DatasetRef("features:" + service + (v == null ? "" : "/v" + v), digest, "training");
    }
}
