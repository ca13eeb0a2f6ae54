package dev.mlops.features;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.TimestampColumn;
import dev.mlops.features.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An online store in this process's heap, on a Caffeine cache bounded by a number of entities. It suits a single
 * serving process and tests; several processes share features through {@link RedisOnlineStore}.
 *
 * <pre>{@code
 * FeatureStore store = FeatureStore.builder().root(dir)
 *         .online(InMemoryOnlineStore.builder().maximumEntries(2_000_000).build()).build();
 * }</pre>
 *
 * <p>When the bound is reached the least valuable entries are evicted and read back as missing. Thread-safe.
 */
public final class InMemoryOnlineStore implements OnlineStore {
    private final Cache<Object, Stored> rows;
    private final Map<String, Long> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Map<List<String>, Layout>> layouts = new ConcurrentHashMap<>();

    /** The feature names of a batch of rows, shared by every row written with them. */
    private static final class Layout {
        final Map<String, Integer> index;
        /** The last mapping computed for a requested feature list, keyed by the list's identity. */
        volatile Object[] lastMapping;

        Layout(List<String> names) {
            Map<String, Integer> idx = new HashMap<>(names.size() * 2);
            for (int i = 0; i < names.size(); i++) {
                idx.put(names.get(i), i);
            }
            this.index = idx;
        }

        /** Returns where each wanted feature sits in a stored row, or null when it is the stored order itself. */
        int[] mapping(List<Feature> wanted) {
            Object[] last = lastMapping;
            if (last != null && last[0] == wanted) {
                return (int[]) last[1];
            }
            int[] m = new int[wanted.size()];
            boolean same = m.length == index.size();
            for (int i = 0; i < m.length; i++) {
                m[i] = index.getOrDefault(wanted.get(i).name(), -1);
                same &= m[i] == i;
            }
            lastMapping = new Object[] {wanted, same ? null : m};
            return same ? null : m;
        }
    }

    private record Stored(String view, long eventMicros, long createdMicros, Layout layout, Object[] values) {
    }

    /** A view and an encoded entity key. */
    private record RowKey(String view, String key) {
    }

    /**
     * A view and a single long join key: the common case, held without a string so that a lookup compares a number
     * instead of chasing a string's bytes through memory.
     */
    private record LongKey(String view, long key) {
    }

    private static Object cacheKey(String view, String key) {
        int n = key.length();
        if (n >= 3 && n <= 22 && key.charAt(0) == 'l' && key.charAt(n - 1) == ';') {
            try {
                return new LongKey(view, Long.parseLong(key, 1, n - 1, 10));
            } catch (NumberFormatException e) {
                return new RowKey(view, key); // a composite key that merely looks like a long
            }
        }
        return new RowKey(view, key);
    }

    private InMemoryOnlineStore(long maximumEntries) {
        // Maintenance (replaying reads into the eviction policy) runs on the thread that triggers it: handing it to
        // the common pool costs a thread wake-up, several microseconds, on the read that fills the buffer.
        this.rows = Caffeine.newBuilder().maximumSize(maximumEntries).executor(Runnable::run).build();
    }

    /**
     * Creates a store holding at most one million entities.
     *
     * @return the store
     */
    public static InMemoryOnlineStore create() {
        return builder().build();
    }

    /**
     * Starts configuring a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public void write(String view, List<Feature> features, Duration ttl, List<OnlineRow> batch) {
        Names.definition("feature view", view);
        List<String> names = features.stream().map(Feature::name).toList();
        Layout layout = layouts.computeIfAbsent(view, v -> new ConcurrentHashMap<>())
                .computeIfAbsent(names, Layout::new);
        for (OnlineRow r : batch) {
            r.check(view, features);
            Stored s = new Stored(view, r.eventMicros(), r.createdMicros(), layout, toArray(r));
            rows.asMap().merge(cacheKey(view, r.key()), s, (old, now) -> newer(now, old) ? now : old);
        }
    }

    private static Object[] toArray(OnlineRow r) {
        Object[] a = new Object[r.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.value(i);
        }
        return a;
    }

    private static boolean newer(Stored a, Stored b) {
        return a.eventMicros != b.eventMicros ? a.eventMicros > b.eventMicros : a.createdMicros >= b.createdMicros;
    }

    @Override
    public List<OnlineRow> read(String view, List<Feature> features, List<String> keys) {
        OnlineRow[] out = new OnlineRow[keys.size()];
        for (int k = 0; k < out.length; k++) {
            String key = keys.get(k);
            Stored s = rows.getIfPresent(cacheKey(view, key));
            if (s == null) {
                continue;
            }
            int[] m = s.layout.mapping(features);
            Object[] values;
            if (m == null) {
                values = s.values; // stored rows are never changed, so readers can share them
            } else {
                values = new Object[m.length];
                for (int i = 0; i < m.length; i++) {
                    values[i] = m[i] < 0 ? null : s.values[m[i]];
                }
            }
            out[k] = new OnlineRow(key, s.eventMicros, s.createdMicros, values);
        }
        return Arrays.asList(out);
    }

    @Override
    public Optional<Instant> watermark(String view) {
        Long w = watermarks.get(view);
        return w == null ? Optional.empty() : Optional.of(TimestampColumn.toInstant(w));
    }

    @Override
    public void setWatermark(String view, Instant watermark) {
        watermarks.put(Names.definition("feature view", view), TimestampColumn.toMicros(watermark));
    }

    @Override
    public void deleteView(String view) {
        List<Object> doomed = new ArrayList<>();
        for (Map.Entry<Object, Stored> e : rows.asMap().entrySet()) {
            if (e.getValue().view.equals(view)) {
                doomed.add(e.getKey());
            }
        }
        rows.invalidateAll(doomed);
        watermarks.remove(view);
        layouts.remove(view);
    }

    /**
     * Returns the number of entities held, across views (approximate while writes are running).
     *
     * @return the count
     */
    public long size() {
        rows.cleanUp();
        return rows.estimatedSize();
    }

    @Override
    public void close() {
        rows.invalidateAll();
        watermarks.clear();
    }

    @Override
    public String toString() {
        return "InMemoryOnlineStore[" + rows.estimatedSize() + " entities]";
    }

    /** Configures an {@link InMemoryOnlineStore}. Not thread-safe. */
    public static final class Builder {
        private long maximumEntries = 1_000_000;
        private boolean maximumSet;

        private Builder() {
        }

        /**
         * Sets the most entities (over all views) held; the default is one million.
         *
         * @param entries 1 or more
         * @return this builder
         * @throws InvalidArgumentException if the bound is below 1
         * @throws IllegalStateException if it was already set
         */
        public Builder maximumEntries(long entries) {
            if (maximumSet) {
                throw new IllegalStateException("maximum entries was already set to " + maximumEntries);
            }
            if (entries < 1) {
                throw new InvalidArgumentException("maximum entries must be 1 or more, but was " + entries);
            }
            this.maximumEntries = entries;
            this.maximumSet = true;
            return this;
        }

        /**
         * Builds the store.
         *
         * @return the store
         */
        public InMemoryOnlineStore build() {
            return new InMemoryOnlineStore(maximumEntries);
        }
    }
}
