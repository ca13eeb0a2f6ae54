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
import java.util.Objects;
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
    private final ServicePlan plan;
    private final int size;
    private final int views;
    /** Per entity and view ({@code entity * views + view}), the stored row (shared with the store, never changed). */
    private final OnlineRow[] rows;
    /** Per entity and view, whether the row is past the view's TTL. */
    private final boolean[] expired;
    /** Per entity, the transforms' outputs, or null when the service has no transforms. */
    private final Object[][] computed;

    OnlineResult(ServicePlan plan, int size, OnlineRow[] rows, boolean[] expired, Object[][] computed) {
        this.plan = plan;
        this.size = size;
        this.views = plan.views().size();
        this.rows = rows;
        this.expired = expired;
        this.computed = computed;
    }

    /**
     * Returns the service read.
     *
     * @return the service's name
     */
    public String service() {
        return plan.service().name();
    }

    /**
     * Returns the version of the service definition read.
     *
     * @return the version
     */
    public int serviceVersion() {
        return plan.service().version();
    }

    /**
     * Returns the number of entities.
     *
     * @return the count, equal to the number of entity rows asked for
     */
    public int size() {
        return size;
    }

    /**
     * Returns the output features, in order.
     *
     * @return the features
     */
    public List<Feature> features() {
        return plan.outputs();
    }

    /**
     * Returns the output feature names, in order.
     *
     * @return the names
     */
    public List<String> featureNames() {
        return plan.outputs().stream().map(Feature::name).toList();
    }

    private int column(String feature) {
        Integer c = plan.outputIndex().get(feature);
        if (c == null) {
            throw new NotFoundException("service '" + service() + "' has no feature '" + feature + "'; it has "
                    + featureNames());
        }
        return c;
    }

    private Object valueAt(int row, int col) {
        int view = plan.columnView()[col];
        if (view < 0) {
            return computed[row][plan.columnIndex()[col]];
        }
        OnlineRow r = rows[row * views + view];
        return r == null || expired[row * views + view] ? null : r.value(plan.columnIndex()[col]);
    }

    private FeatureStatus statusAt(int row, int col) {
        int view = plan.columnView()[col];
        if (view >= 0) {
            OnlineRow r = rows[row * views + view];
            if (r == null) {
                return FeatureStatus.MISSING;
            }
            if (expired[row * views + view]) {
                return FeatureStatus.EXPIRED;
            }
        }
        return valueAt(row, col) == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT;
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
        Objects.checkIndex(row, size);
        return valueAt(row, column(feature));
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
        Object v = value(row, feature);
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
        Objects.checkIndex(row, size);
        return statusAt(row, column(feature));
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
        Objects.checkIndex(row, size);
        int view = plan.columnView()[column(feature)];
        OnlineRow r = view < 0 ? null : rows[row * views + view];
        return r == null ? Optional.empty() : Optional.of(TimestampColumn.toInstant(r.eventMicros()));
    }

    /**
     * Returns one entity's values by feature name, null where not present.
     *
     * @param row the 0-based entity row
     * @return the values, in feature order
     */
    public Map<String, Object> row(int row) {
        Objects.checkIndex(row, size);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < plan.outputs().size(); c++) {
            m.put(plan.outputs().get(c).name(), valueAt(row, c));
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
        Objects.checkIndex(row, size);
        for (int c = 0; c < plan.outputs().size(); c++) {
            if (statusAt(row, c) != FeatureStatus.PRESENT) {
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
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < plan.outputs().size(); c++) {
                if (statusAt(r, c) == status) {
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
        List<Feature> features = plan.outputs();
        List<Field> fields = new ArrayList<>(features.size());
        List<Column> cols = new ArrayList<>(features.size());
        for (int c = 0; c < features.size(); c++) {
            Feature f = features.get(c);
            fields.add(Field.of(f.name(), f.type()));
            Column.Builder b = Column.builder(f.type(), size);
            for (int r = 0; r < size; r++) {
                Object v = valueAt(r, c);
                if (v == null) {
                    b.addNull();
                } else {
                    b.addObject(v);
                }
            }
            cols.add(b.build());
        }
        return Frame.of(Schema.of(fields), cols);
    }

    @Override
    public String toString() {
        return "OnlineResult[" + service() + " v" + serviceVersion() + ", " + size + " entities x "
                + plan.outputs().size() + " features, " + count(FeatureStatus.PRESENT) + " present, "
                + count(FeatureStatus.EXPIRED) + " expired, " + count(FeatureStatus.MISSING) + " missing]";
    }
}
