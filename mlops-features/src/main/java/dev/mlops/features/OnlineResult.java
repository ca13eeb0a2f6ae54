package dev.mlops.features;

import dev.mlops.api.Column;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.TimestampColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features of a service for a list of entities, read from the online store: per entity and feature a value and
 * a {@link FeatureStatus}. A value is returned only with status {@link FeatureStatus#PRESENT}; an expired value is
 * withheld.
 *
 * <pre>{@code
 * OnlineResult r = store.onlineFeatures("diagnosis_model", List.of(Map.of("patient_id", 42L)));
 * if (r.status(0, "mean_radius") == FeatureStatus.PRESENT) {
 *     double radius = r.getDouble(0, "mean_radius");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class OnlineResult {
    private final String service;
    private final int serviceVersion;
    private final List<Feature> features;
    private final Map<String, Integer> index;
    private final Object[][] values;
    private final FeatureStatus[][] statuses;
    private final long[][] eventMicros;
    private final int[] columnView;

    OnlineResult(String service, int serviceVersion, List<Feature> features, Map<String, Integer> index,
            Object[][] values, FeatureStatus[][] statuses, long[][] eventMicros, int[] columnView) {
        this.service = service;
        this.serviceVersion = serviceVersion;
        this.features = features;
        this.index = index;
        this.values = values;
        this.statuses = statuses;
        this.eventMicros = eventMicros;
        this.columnView = columnView;
    }

    /**
     * Returns the service read.
     *
     * @return the service's name
     */
    public String service() {
        return service;
    }

    /**
     * Returns the version of the service definition read.
     *
     * @return the version
     */
    public int serviceVersion() {
        return serviceVersion;
    }

    /**
     * Returns the number of entities.
     *
     * @return the count, equal to the number of entity rows asked for
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns the output features, in order.
     *
     * @return the features
     */
    public List<Feature> features() {
        return features;
    }

    /**
     * Returns the output feature names, in order.
     *
     * @return the names
     */
    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    private int column(String feature) {
        Integer c = index.get(feature);
        if (c == null) {
            throw new NotFoundException("service '" + service + "' has no feature '" + feature + "'; it has "
                    + featureNames());
        }
        return c;
    }

    /**
     * Returns a value.
     *
     * @param row the 0-based entity row
     * @param feature the feature's output name
     * @return the value, or null unless the status is {@link FeatureStatus#PRESENT}
     * @throws NotFoundException if the service has no such feature
     */
    public Object value(int row, String feature) {
        return values[row][column(feature)];
    }

    /**
     * Returns a numeric value as a double.
     *
     * @param row the 0-based entity row
     * @param feature the feature's output name
     * @return the value, or NaN unless the status is {@link FeatureStatus#PRESENT}
     * @throws NotFoundException if the service has no such feature
     */
    public double getDouble(int row, String feature) {
        Object v = values[row][column(feature)];
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * Returns the status of a value.
     *
     * @param row the 0-based entity row
     * @param feature the feature's output name
     * @return the status
     * @throws NotFoundException if the service has no such feature
     */
    public FeatureStatus status(int row, String feature) {
        return statuses[row][column(feature)];
    }

    /**
     * Returns the event time of the row a value came from (also for expired values).
     *
     * @param row the 0-based entity row
     * @param feature the feature's output name
     * @return the event time, or empty when the entity has no row (or the feature is computed on demand)
     * @throws NotFoundException if the service has no such feature
     */
    public Optional<Instant> eventTime(int row, String feature) {
        int view = columnView[column(feature)];
        long t = view < 0 ? Long.MIN_VALUE : eventMicros[row][view];
        return t == Long.MIN_VALUE ? Optional.empty() : Optional.of(TimestampColumn.toInstant(t));
    }

    /**
     * Returns one entity's values by feature name, null where not present.
     *
     * @param row the 0-based entity row
     * @return the values, in feature order
     */
    public Map<String, Object> row(int row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < features.size(); c++) {
            m.put(features.get(c).name(), values[row][c]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Returns whether every feature of an entity is present.
     *
     * @param row the 0-based entity row
     * @return true if no value is missing, null or expired
     */
    public boolean isComplete(int row) {
        for (FeatureStatus s : statuses[row]) {
            if (s != FeatureStatus.PRESENT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Counts values with a status, over all entities and features.
     *
     * @param status the status
     * @return the count
     */
    public long count(FeatureStatus status) {
        long n = 0;
        for (FeatureStatus[] row : statuses) {
            for (FeatureStatus s : row) {
                if (s == status) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Returns the values as a frame, one column per feature, null where not present.
     *
     * @return the frame
     */
    public Frame toFrame() {
        List<Field> fields = new ArrayList<>(features.size());
        List<Column> cols = new ArrayList<>(features.size());
        for (int c = 0; c < features.size(); c++) {
            Feature f = features.get(c);
            fields.add(Field.of(f.name(), f.type()));
            Column.Builder b = Column.builder(f.type(), values.length);
            for (Object[] row : values) {
                if (row[c] == null) {
                    b.addNull();
                } else {
                    b.addObject(row[c]);
                }
            }
            cols.add(b.build());
        }
        return Frame.of(Schema.of(fields), cols);
    }

    @Override
    public String toString() {
        return "OnlineResult[" + service + " v" + serviceVersion + ", " + values.length + " entities x "
                + features.size() + " features, " + count(FeatureStatus.PRESENT) + " present, "
                + count(FeatureStatus.EXPIRED) + " expired, " + count(FeatureStatus.MISSING) + " missing]";
    }
}
