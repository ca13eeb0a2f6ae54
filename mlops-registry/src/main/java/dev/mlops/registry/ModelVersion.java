package dev.mlops.registry;

import dev.mlops.api.ModelUri;
import dev.mlops.api.RunUri;
import dev.mlops.api.Signature;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable version of a registered model.
 *
 * @param name the registered model's name
 * @param version the version number, from 1
 * @param source the run artifact it came from, or {@code null}
 * @param description a description, or {@code null}
 * @param creationTime when it was registered
 * @param createdBy who registered it
 * @param packageDigest the SHA-256 of the package descriptor, which identifies the content
 * @param signature the model's signature
 * @param metrics the metrics recorded in the package
 * @param tags tag values by key
 * @param aliases the aliases pointing at this version
 */
public record ModelVersion(String name, long version, RunUri source, String description, Instant creationTime,
        String createdBy, String packageDigest, Signature signature, Map<String, Double> metrics,
        Map<String, String> tags, List<String> aliases) {
    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a required part is null
     */
    public ModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(packageDigest, "packageDigest");
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /**
     * Returns this version's URI.
     *
     * @return {@code models:/<name>/<version>}
     */
    public ModelUri uri() {
        return ModelUri.ofVersion(name, version);
    }
}
