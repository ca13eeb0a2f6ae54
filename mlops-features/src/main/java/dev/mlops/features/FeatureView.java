package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.features.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A group of typed features about one {@link Entity}, with the time each value became true.
 *
 * <pre>{@code
 * FeatureView stats = store.apply(FeatureView.builder("tumour_stats")
 *         .entity("patient")
 *         .timestampColumn("event_time")
 *         .ttl(Duration.ofDays(90))
 *         .feature("mean_radius", DataType.DOUBLE)
 *         .feature("area_ratio", DataType.DOUBLE)
 *         .owner("oncology-ml")
 *         .build());
 * }</pre>
 *
 * <p>Rows of a view hold the entity's join keys, the event timestamp, optionally a created timestamp (when the row
 * was written; it breaks ties between rows with the same event time and lets training sets ignore rows that arrived
 * later than the moment being reconstructed) and the features. A value is valid from its event time for
 * {@code ttl}: both training sets and online reads treat an older value as absent.
 *
 * @param name the view's name: a lower-case letter, then lower-case letters, digits or {@code _}
 * @param entity the name of the entity the rows describe
 * @param source where the rows live: {@link Source#offline()} or a CSV or Parquet file
 * @param timestampColumn the event-time column
 * @param createdTimestampColumn the created-time column, or {@code null}
 * @param ttl how long a value stays valid after its event time, or {@code null} for ever
 * @param features the features, at least one
 * @param owner who answers for the view, or {@code null}
 * @param description what the view holds, or {@code null}
 * @param tags free-form labels for search
 * @param online whether materialization copies the view to the online store
 * @param version the stored version, or 0 for a definition not yet applied
 */
public record FeatureView(String name, String entity, Source source, String timestampColumn,
        String createdTimestampColumn, Duration ttl, List<Feature> features, String owner, String description,
        Map<String, String> tags, boolean online, int version) {
    /**
     * Validates the view.
     *
     * @throws InvalidArgumentException if a name is not allowed, two columns share a name, there is no feature, the
     *     TTL is not positive or the source cannot hold a view's rows
     */
    public FeatureView {
        Names.definition("feature view", name);
        Names.definition("entity of feature view '" + name + "'", entity);
        Objects.requireNonNull(source, () -> "source of feature view '" + name + "'");
        if (!(source instanceof Source.Offline || source instanceof Source.Csv || source instanceof Source.Parquet)) {
            throw new InvalidArgumentException("feature view '" + name + "' cannot read " + source.describe()
                    + "; a view reads the offline store, a CSV file or Parquet files (use a pipeline for other sources)");
        }
        Names.ColumnSet columns = new Names.ColumnSet("feature view '" + name + "'");
        Names.column("timestamp column of feature view '" + name + "'", timestampColumn);
        columns.add("timestamp column", timestampColumn);
        if (createdTimestampColumn != null) {
            Names.column("created timestamp column of feature view '" + name + "'", createdTimestampColumn);
            columns.add("created timestamp column", createdTimestampColumn);
        }
        if (ttl != null && (ttl.isNegative() || ttl.toNanos() < 1000)) {
            throw new InvalidArgumentException("TTL of feature view '" + name + "' must be at least one microsecond, "
                    + "but was " + ttl);
        }
        if (features == null || features.isEmpty()) {
            throw new InvalidArgumentException("feature view '" + name + "' needs at least one feature");
        }
        for (Feature f : features) {
            Objects.requireNonNull(f, () -> "feature of view '" + name + "'");
            columns.add("feature", f.name());
        }
        features = List.copyOf(features);
        Names.owner("feature view '" + name + "'", owner);
        Names.text("description of feature view '" + name + "'", description);
        tags = Names.tags("feature view '" + name + "'", tags);
        if (version < 0) {
            throw new InvalidArgumentException("version of feature view '" + name + "' must not be negative, but was "
                    + version);
        }
    }

    /**
     * Starts a view definition reading the offline store, copied online, without TTL.
     *
     * @param name the view's name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the feature names in order.
     *
     * @return the names
     */
    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    /**
     * Returns a feature by name.
     *
     * @param featureName the name
     * @return the feature
     * @throws NotFoundException if the view has no such feature, listing those it has
     */
    public Feature feature(String featureName) {
        for (Feature f : features) {
            if (f.name().equals(featureName)) {
                return f;
            }
        }
        throw new NotFoundException("feature view '" + name + "' has no feature '" + featureName + "'; it has "
                + featureNames());
    }

    /**
     * Returns the TTL, if there is one.
     *
     * @return the TTL, or empty when values never expire
     */
    public Optional<Duration> ttlIfAny() {
        return Optional.ofNullable(ttl);
    }

    /**
     * Returns the TTL in microseconds, or {@link Long#MAX_VALUE} when values never expire.
     *
     * @return the TTL in microseconds
     */
    public long ttlMicros() {
        if (ttl == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.multiplyExact(ttl.getSeconds(), 1_000_000L) + ttl.getNano() / 1000;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    FeatureView withVersion(int newVersion) {
        return new FeatureView(name, entity, source, timestampColumn, createdTimestampColumn, ttl, features, owner,
                description, tags, online, newVersion);
    }

    /**
     * Returns a builder holding this definition, to derive a changed one.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name).entity(entity).source(source).timestampColumn(timestampColumn)
                .createdTimestampColumn(createdTimestampColumn).ttl(ttl).owner(owner).description(description)
                .online(online);
        features.forEach(b::feature);
        tags.forEach(b::tag);
        return b;
    }

    /** Builds a {@link FeatureView}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String entity;
        private Source source = Source.offline();
        private String timestampColumn = "event_timestamp";
        private String createdTimestampColumn;
        private Duration ttl;
        private final List<Feature> features = new ArrayList<>();
        private String owner;
        private String description;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private boolean online = true;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the entity the rows describe.
         *
         * @param entityName the entity's name
         * @return this builder
         */
        public Builder entity(String entityName) {
            this.entity = entityName;
            return this;
        }

        /**
         * Sets where the rows live; the default is the offline store.
         *
         * @param rows the source
         * @return this builder
         */
        public Builder source(Source rows) {
            this.source = rows;
            return this;
        }

        /**
         * Sets the event-time column; the default is {@code event_timestamp}.
         *
         * @param column the column
         * @return this builder
         */
        public Builder timestampColumn(String column) {
            this.timestampColumn = column;
            return this;
        }

        /**
         * Sets the created-time column; by default there is none.
         *
         * @param column the column, or {@code null} for none
         * @return this builder
         */
        public Builder createdTimestampColumn(String column) {
            this.createdTimestampColumn = column;
            return this;
        }

        /**
         * Sets how long a value stays valid after its event time; by default for ever.
         *
         * @param timeToLive the TTL, or {@code null} for ever
         * @return this builder
         */
        public Builder ttl(Duration timeToLive) {
            this.ttl = timeToLive;
            return this;
        }

        /**
         * Adds a feature.
         *
         * @param featureName the column
         * @param type the type
         * @return this builder
         */
        public Builder feature(String featureName, DataType type) {
            return feature(Feature.of(featureName, type));
        }

        /**
         * Adds a feature.
         *
         * @param feature the feature
         * @return this builder
         */
        public Builder feature(Feature feature) {
            features.add(feature);
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
         * Sets whether materialization copies the view online; the default is true.
         *
         * @param enabled whether the view is served online
         * @return this builder
         */
        public Builder online(boolean enabled) {
            this.online = enabled;
            return this;
        }

        /**
         * Builds the definition.
         *
         * @return the view, version 0
         * @throws InvalidArgumentException if the definition is invalid
         */
        public FeatureView build() {
            if (entity == null) {
                throw new InvalidArgumentException("feature view '" + name + "' needs an entity");
            }
            return new FeatureView(name, entity, source, timestampColumn, createdTimestampColumn, ttl, features, owner,
                    description, tags, online, 0);
        }
    }
}
