package dev.mlops.features;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the latest feature values of each entity are kept for low-latency reads: {@link InMemoryOnlineStore}
 * (in-process) or {@link RedisOnlineStore} (shared by several serving processes).
 *
 * <p>A store keeps, per view and entity key, the newest row written: a write never replaces a row with a later event
 * time (or the same event time and a later created time), so replaying a materialization is harmless. Stores do not
 * judge freshness; the {@link FeatureStore} checks each value's TTL against its clock on every read. Implementations
 * are thread-safe. The feature store a store is given to closes it.
 */
public interface OnlineStore extends AutoCloseable {
    /**
     * Returns a short name for messages and lineage, for instance {@code "in-memory"} or {@code "redis"}.
     *
     * @return the name
     */
    String name();

    /**
     * Writes rows of one view, each replacing the stored row of its entity unless the stored one is newer.
     *
     * @param view the view's name
     * @param features the features the rows' values are aligned with
     * @param ttl the view's TTL, or null for none; a store may use it to reclaim space
     * @param rows the rows
     */
    void write(String view, List<Feature> features, Duration ttl, List<OnlineRow> rows);

    /**
     * Reads the rows of several entities of one view.
     *
     * @param view the view's name
     * @param features the features wanted, in the order the returned values take
     * @param keys the encoded entity keys
     * @return one entry per key, in order; null where the store holds no row. A feature the stored row lacks is null.
     */
    List<OnlineRow> read(String view, List<Feature> features, List<String> keys);

    /**
     * Returns the time up to which a view was materialized.
     *
     * @param view the view's name
     * @return the watermark, if the view was materialized into this store
     */
    Optional<Instant> watermark(String view);

    /**
     * Records the time up to which a view was materialized.
     *
     * @param view the view's name
     * @param watermark the watermark
     */
    void setWatermark(String view, Instant watermark);

    /**
     * Removes every row and the watermark of a view.
     *
     * @param view the view's name
     */
    void deleteView(String view);

    /** Releases connections and memory. */
    @Override
    void close();
}
