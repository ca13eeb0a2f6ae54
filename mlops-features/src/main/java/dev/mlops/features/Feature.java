package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.util.Objects;

/**
 * One typed feature of a {@link FeatureView}, or one output of an {@link OnDemandTransform}.
 *
 * @param name the column name: a letter, then letters, digits or {@code _}, at most 63 characters
 * @param type the value type
 * @param description what the feature means, or {@code null}
 */
public record Feature(String name, DataType type, String description) {
    /**
     * Validates the feature.
     *
     * @throws InvalidArgumentException if the name is not allowed or the description is too long
     */
    public Feature {
        Names.column("feature", name);
        Objects.requireNonNull(type, () -> "type of feature '" + name + "'");
        Names.text("description of feature '" + name + "'", description);
    }

    /**
     * Creates a feature without a description.
     *
     * @param name the column name
     * @param type the value type
     * @return the feature
     */
    public static Feature of(String name, DataType type) {
        return new Feature(name, type, null);
    }

    @Override
    public String toString() {
        return name + ":" + type.jsonName();
    }
}
