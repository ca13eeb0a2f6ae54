package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;

/** The kinds of definition a {@link FeatureStore} keeps. */
public enum DefinitionKind {
    /** An {@link Entity}. */
    ENTITY,
    /** A {@link FeatureView}. */
    FEATURE_VIEW,
    /** A {@link FeatureService}. */
    FEATURE_SERVICE,
    /** An {@link OnDemandTransform}. */
    ON_DEMAND_TRANSFORM;

    /**
     * Returns the name used in storage and messages, for instance {@code feature_view}.
     *
     * @return the lower-case name
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the name used in messages, for instance {@code feature view}.
     *
     * @return the readable name
     */
    public String label() {
        return key().replace('_', ' ').replace("on demand", "on-demand");
    }

    /**
     * Parses a stored name.
     *
     * @param key the lower-case name
     * @return the kind
     * @throws InvalidArgumentException if the name is unknown
     */
    public static DefinitionKind of(String key) {
        for (DefinitionKind k : values()) {
            if (k.key().equals(key)) {
                return k;
            }
        }
        throw new InvalidArgumentException("unknown definition kind '" + key + "'; expected one of "
                + Arrays.stream(values()).map(DefinitionKind::key).toList());
    }
}
