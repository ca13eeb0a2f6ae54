package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;

/**
 * How a training set is built. Immutable; each {@code with} method returns a new instance.
 *
 * <pre>{@code
 * TrainingSet ts = store.trainingSet(entityRows, "diagnosis_model",
 *         TrainingOptions.defaults().withTimestampColumn("diagnosed_at").withAsKnownAt(true));
 * }</pre>
 */
public final class TrainingOptions {
    private static final TrainingOptions DEFAULTS = new TrainingOptions("event_timestamp", false, false, false, 0);

    private final String timestampColumn;
    private final boolean asKnownAt;
    private final boolean fullFeatureNames;
    private final boolean eventTimestamps;
    private final int batchSize;

    private TrainingOptions(String timestampColumn, boolean asKnownAt, boolean fullFeatureNames,
            boolean eventTimestamps, int batchSize) {
        this.timestampColumn = timestampColumn;
        this.asKnownAt = asKnownAt;
        this.fullFeatureNames = fullFeatureNames;
        this.eventTimestamps = eventTimestamps;
        this.batchSize = batchSize;
    }

    /**
     * Returns the defaults: entity row time in {@code event_timestamp}, latest event time wins, plain feature names,
     * no event times, the store's batch size.
     *
     * @return the defaults
     */
    public static TrainingOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the column of the entity rows that holds each row's time.
     *
     * @param column the column
     * @return new options
     */
    public TrainingOptions withTimestampColumn(String column) {
        return new TrainingOptions(Names.column("timestamp column", column), asKnownAt, fullFeatureNames,
                eventTimestamps, batchSize);
    }

    /**
     * Sets "as known at" mode: a feature row counts only if both its event time and its created time are at or
     * before the entity row's time, so values backfilled later do not leak into the past. Views without a created
     * timestamp behave the same either way.
     *
     * @param enabled whether to ignore rows created after the entity row's time
     * @return new options
     */
    public TrainingOptions withAsKnownAt(boolean enabled) {
        return new TrainingOptions(timestampColumn, enabled, fullFeatureNames, eventTimestamps, batchSize);
    }

    /**
     * Names feature columns {@code view__feature} instead of {@code feature}, needed when two views share a feature
     * name.
     *
     * @param enabled whether to use full names
     * @return new options
     */
    public TrainingOptions withFullFeatureNames(boolean enabled) {
        return new TrainingOptions(timestampColumn, asKnownAt, enabled, eventTimestamps, batchSize);
    }

    /**
     * Adds a column {@code view__event_timestamp} per view: the event time of the row the view's values came from
     * (null when none was within the TTL).
     *
     * @param enabled whether to add the columns
     * @return new options
     */
    public TrainingOptions withEventTimestamps(boolean enabled) {
        return new TrainingOptions(timestampColumn, asKnownAt, fullFeatureNames, enabled, batchSize);
    }

    /**
     * Sets how many rows a streamed batch holds, overriding the store's setting.
     *
     * @param rows 1 or more
     * @return new options
     * @throws InvalidArgumentException if the size is below 1
     */
    public TrainingOptions withBatchSize(int rows) {
        if (rows < 1) {
            throw new InvalidArgumentException("batch size must be 1 or more, but was " + rows);
        }
        return new TrainingOptions(timestampColumn, asKnownAt, fullFeatureNames, eventTimestamps, rows);
    }

    /**
     * Returns the entity rows' time column.
     *
     * @return the column
     */
    public String timestampColumn() {
        return timestampColumn;
    }

    /**
     * Returns whether "as known at" mode is on.
     *
     * @return true if rows created after an entity row's time are ignored
     */
    public boolean asKnownAt() {
        return asKnownAt;
    }

    /**
     * Returns whether feature columns are named {@code view__feature}.
     *
     * @return true for full names
     */
    public boolean fullFeatureNames() {
        return fullFeatureNames;
    }

    /**
     * Returns whether event-time columns are added.
     *
     * @return true if they are
     */
    public boolean eventTimestamps() {
        return eventTimestamps;
    }

    /**
     * Returns the batch size, or 0 for the store's.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "TrainingOptions[timestampColumn=" + timestampColumn + ", asKnownAt=" + asKnownAt + ", fullFeatureNames="
                + fullFeatureNames + ", eventTimestamps=" + eventTimestamps + ", batchSize=" + batchSize + "]";
    }
}
