package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What features describe (a patient, a customer, a driver) and the columns that identify one of them.
 *
 * <pre>{@code
 * Entity patient = store.apply(Entity.builder("patient").joinKey("patient_id", DataType.LONG)
 *         .description("A patient of the clinic").owner("oncology-ml").build());
 * }</pre>
 *
 * @param name the entity's name: a lower-case letter, then lower-case letters, digits or {@code _}
 * @param joinKeys the identifying columns, each {@link DataType#LONG} or {@link DataType#STRING}, in order
 * @param description what the entity is, or {@code null}
 * @param owner who answers for it, or {@code null}
 * @param tags free-form labels for search
 * @param version the stored version, or 0 for a definition not yet applied
 */
public record Entity(String name, List<Field> joinKeys, String description, String owner, Map<String, String> tags,
        int version) {
    /**
     * Validates the entity.
     *
     * @throws InvalidArgumentException if a name is not allowed, there is no join key, a join key has another type
     *     than long or string, or two join keys share a name
     */
    public Entity {
        Names.definition("entity", name);
        if (joinKeys == null || joinKeys.isEmpty()) {
            throw new InvalidArgumentException("entity '" + name + "' needs at least one join key");
        }
        Names.ColumnSet columns = new Names.ColumnSet("entity '" + name + "'");
        List<Field> keys = new ArrayList<>(joinKeys.size());
        for (Field k : joinKeys) {
            Objects.requireNonNull(k, "join key");
            Names.column("join key of entity '" + name + "'", k.name());
            if (k.type() != DataType.LONG && k.type() != DataType.STRING) {
                throw new InvalidArgumentException("join key '" + k.name() + "' of entity '" + name + "' is "
                        + k.type().jsonName() + "; join keys must be long or string");
            }
            columns.add("join key", k.name());
            keys.add(Field.required(k.name(), k.type()));
        }
        joinKeys = List.copyOf(keys);
        Names.text("description of entity '" + name + "'", description);
        Names.owner("entity '" + name + "'", owner);
        tags = Names.tags("entity '" + name + "'", tags);
        if (version < 0) {
            throw new InvalidArgumentException("version of entity '" + name + "' must not be negative, but was " + version);
        }
    }

    /**
     * Starts an entity definition.
     *
     * @param name the entity's name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the names of the join keys.
     *
     * @return the names, in order
     */
    public List<String> joinKeyNames() {
        return joinKeys.stream().map(Field::name).toList();
    }

    Entity withVersion(int newVersion) {
        return new Entity(name, joinKeys, description, owner, tags, newVersion);
    }

    /** Builds an {@link Entity}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<Field> joinKeys = new ArrayList<>();
        private String description;
        private String owner;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Adds a join key.
         *
         * @param column the column name
         * @param type {@link DataType#LONG} or {@link DataType#STRING}
         * @return this builder
         */
        public Builder joinKey(String column, DataType type) {
            joinKeys.add(Field.required(column, type));
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
         * Sets the owner.
         *
         * @param who the owner (a person or a team)
         * @return this builder
         */
        public Builder owner(String who) {
            this.owner = who;
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
         * @return the entity, version 0
         * @throws InvalidArgumentException if the definition is invalid
         */
        public Entity build() {
            return new Entity(name, joinKeys, description, owner, tags, 0);
        }
    }
}
