package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entity's latest feature values in an {@link OnlineStore}: the encoded entity key, the event and created time
 * of the row the values came from, and the values themselves, aligned with a list of features given alongside.
 *
 * <p>Values are {@code Double}, {@code Long}, {@code Boolean}, {@code String} or {@code Instant}, or null. Instances
 * are immutable as long as the array handed to the constructor is not changed afterwards (it is not copied, for
 * speed).
 */
public final class OnlineRow {
    private final String key;
    private final long eventMicros;
    private final long createdMicros;
    private final Object[] values;

    /**
     * Creates a row.
     *
     * @param key the encoded entity key
     * @param eventMicros the event time in epoch microseconds
     * @param createdMicros the created time in epoch microseconds (the event time when there is none)
     * @param values the values, aligned with the features the row is written or read with; not copied
     */
    public OnlineRow(String key, long eventMicros, long createdMicros, Object[] values) {
        this.key = Objects.requireNonNull(key, "key");
        this.eventMicros = eventMicros;
        this.createdMicros = createdMicros;
        this.values = Objects.requireNonNull(values, "values");
    }

    /**
     * Returns the encoded entity key.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the event time.
     *
     * @return epoch microseconds
     */
    public long eventMicros() {
        return eventMicros;
    }

    /**
     * Returns the created time.
     *
     * @return epoch microseconds
     */
    public long createdMicros() {
        return createdMicros;
    }

    /**
     * Returns the event time as an instant.
     *
     * @return the event time
     */
    public Instant eventTime() {
        return dev.mlops.api.TimestampColumn.toInstant(eventMicros);
    }

    /**
     * Returns the number of values.
     *
     * @return the count
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns one value.
     *
     * @param index the 0-based position
     * @return the value, or null
     */
    public Object value(int index) {
        return values[index];
    }

    /**
     * Returns whether this row is newer than another one for the same entity: a later event time, or the same event
     * time and a later or equal created time.
     *
     * @param other the other row
     * @return true if this row should replace the other
     */
    public boolean supersedes(OnlineRow other) {
        return eventMicros != other.eventMicros ? eventMicros > other.eventMicros
                : createdMicros >= other.createdMicros;
    }

    /**
     * Checks the values against a list of features.
     *
     * @param view the view, for messages
     * @param features the features the values are aligned with
     * @throws InvalidArgumentException if the count or a value's type does not match
     */
    void check(String view, java.util.List<Feature> features) {
        if (values.length != features.size()) {
            throw new InvalidArgumentException("online row for '" + key + "' of view '" + view + "' has "
                    + values.length + " values for " + features.size() + " features");
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v != null && !OnlineValues.fits(features.get(i).type(), v)) {
                throw new InvalidArgumentException("online value of feature '" + features.get(i).name() + "' is "
                        + v.getClass().getSimpleName() + ", expected " + features.get(i).type().jsonName());
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnlineRow r && r.key.equals(key) && r.eventMicros == eventMicros
                && r.createdMicros == createdMicros && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, eventMicros, createdMicros) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "OnlineRow[" + key + " @" + eventTime() + ": " + Arrays.toString(values) + "]";
    }
}
