package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The named set of features one model consumes: features of one or more views, and the outputs of on-demand
 * transforms computed at request time.
 *
 * <pre>{@code
 * store.apply(FeatureService.builder("diagnosis_model")
 *         .features("tumour_stats", "mean_radius", "area_ratio")
 *         .view("patient_history")            // every feature of the view
 *         .transform("radius_change")
 *         .build());
 * }</pre>
 *
 * <p>When a service is applied, {@code view:*} references are expanded to the view's features at that moment and the
 * inputs of its transforms are added, so the stored service lists exactly the features it serves.
 *
 * @param name the service's name: a lower-case letter, then lower-case letters, digits or {@code _}
 * @param features the features, in output order
 * @param transforms the on-demand transforms, by name
 * @param owner who answers for the service, or {@code null}
 * @param description what model it serves, or {@code null}
 * @param tags free-form labels for search
 * @param version the stored version, or 0 for a definition not yet applied
 */
public record FeatureService(String name, List<FeatureRef> features, List<String> transforms, String owner,
        String description, Map<String, String> tags, int version) {
    /**
     * Validates the service.
     *
     * @throws InvalidArgumentException if a name is not allowed, a feature or transform is listed twice, or the
     *     service serves nothing
     */
    public FeatureService {
        Names.definition("feature service", name);
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        transforms = List.copyOf(Objects.requireNonNull(transforms, "transforms"));
        if (features.isEmpty() && transforms.isEmpty()) {
            throw new InvalidArgumentException("feature service '" + name + "' needs at least one feature or transform");
        }
        Set<FeatureRef> seen = new HashSet<>();
        for (FeatureRef r : features) {
            if (!seen.add(r)) {
                throw new InvalidArgumentException("feature service '" + name + "' lists '" + r + "' twice");
            }
        }
        Set<String> seenTransforms = new HashSet<>();
        for (String t : transforms) {
            Names.definition("on-demand transform of feature service '" + name + "'", t);
            if (!seenTransforms.add(t)) {
                throw new InvalidArgumentException("feature service '" + name + "' lists transform '" + t + "' twice");
            }
        }
        Names.owner("feature service '" + name + "'", owner);
        Names.text("description of feature service '" + name + "'", description);
        tags = Names.tags("feature service '" + name + "'", tags);
        if (version < 0) {
            throw new InvalidArgumentException("version of feature service '" + name + "' must not be negative, but was "
                    + version);
        }
    }

    /**
     * Starts a service definition.
     *
     * @param name the service's name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the names of the views the service reads, in order of first use.
     *
     * @return the view names
     */
    public List<String> viewNames() {
        return features.stream().map(FeatureRef::view).distinct().toList();
    }

    FeatureService withFeatures(List<FeatureRef> expanded, int newVersion) {
        return new FeatureService(name, expanded, transforms, owner, description, tags, newVersion);
    }

    /** Builds a {@link FeatureService}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<FeatureRef> features = new ArrayList<>();
        private final List<String> transforms = new ArrayList<>();
        private String owner;
        private String description;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Adds features of one view.
         *
         * @param view the view's name
         * @param featureNames the features
         * @return this builder
         */
        public Builder features(String view, String... featureNames) {
            for (String f : featureNames) {
                features.add(new FeatureRef(view, f));
            }
            return this;
        }

        /**
         * Adds features by reference, {@code view:feature} each.
         *
         * @param refs the references
         * @return this builder
         */
        public Builder featureRefs(String... refs) {
            for (String r : refs) {
                features.add(FeatureRef.parse(r));
            }
            return this;
        }

        /**
         * Adds every feature of a view, as it is when the service is applied.
         *
         * @param view the view's name
         * @return this builder
         */
        public Builder view(String view) {
            features.add(new FeatureRef(view, FeatureRef.ALL));
            return this;
        }

        /**
         * Adds an on-demand transform's outputs.
         *
         * @param transform the transform's name
         * @return this builder
         */
        public Builder transform(String transform) {
            transforms.add(transform);
            return this;
        }

        /**
         * Sets the owner.
         *
         * @param who a person or a team
         * @return this builder
         */
        public Builder owner(String who) {
            this.owner = who;
            return this;
        }

        /**
         * Sets the description.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /**
         * Adds a tag.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * Builds the definition.
         *
         * @return the service, version 0
         * @throws InvalidArgumentException if the definition is invalid
         */
        public FeatureService build() {
            return new FeatureService(name, features, transforms, owner, description, tags, 0);
        }
    }
}
