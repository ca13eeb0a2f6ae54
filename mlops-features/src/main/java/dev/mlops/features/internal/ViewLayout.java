package dev.mlops.features.internal;

import dev.mlops.api.Field;
import dev.mlops.features.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of one feature view's rows as the offline engine sees them.
 *
 * @param view the view's name
 * @param version the view's definition version
 * @param keys the entity's join keys
 * @param timestampColumn the event-time column
 * @param createdColumn the created-time column, or null
 * @param features the features
 * @param source where the rows live
 * @param ttlMicros the TTL in microseconds, {@link Long#MAX_VALUE} for none
 */
public record ViewLayout(String view, int version, List<Field> keys, String timestampColumn, String createdColumn,
        List<Field> features, dev.mlops.features.Source source, long ttlMicros) {
    /** Copies the lists. */
    public ViewLayout {
        keys = List.copyOf(keys);
        features = List.copyOf(features);
    }

    /**
     * Returns the offline table's name.
     *
     * @return {@code fv_<view>}
     */
    public String table() {
        return OfflineStore.table(view);
    }

    /**
     * Returns every column of a row in table order: keys, event time, created time, features.
     *
     * @return the fields
     */
    public List<Field> columns() {
        List<Field> all = new ArrayList<>(keys);
        all.add(Field.of(timestampColumn, dev.mlops.api.DataType.TIMESTAMP));
        if (createdColumn != null) {
            all.add(Field.of(createdColumn, dev.mlops.api.DataType.TIMESTAMP));
        }
        all.addAll(features);
        return all;
    }

    /**
     * Returns whether the rows live in the offline store's own table.
     *
     * @return true for {@link Source#offline()}
     */
    public boolean isOfflineTable() {
        return source instanceof Source.Offline;
    }
}
