package dev.mlops.features;

import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.features.internal.DefinitionStore;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.storage.Database;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the parts of one feature store share. Thread-safe. */
final class Context {
    final Database db;
    final DefinitionStore defs = new DefinitionStore();
    final OfflineStore offline;
    final OnlineStore online;
    final TimeSource clock;
    final String actor;
    final ProgressListener progress;
    final int batchSize;
    /** The functions of the on-demand transforms applied in this process, by name. */
    final Map<String, OnDemandTransform> functions = new ConcurrentHashMap<>();
    /** Resolved services for online reads; local changes invalidate them at once. */
    final PlanCache plans;
    /** Offline tables known to match a view version, as {@code view@version}. */
    final Set<String> ensured = ConcurrentHashMap.newKeySet();

    Context(Database db, OfflineStore offline, OnlineStore online, TimeSource clock, String actor,
            ProgressListener progress, int batchSize, Duration planTtl) {
        this.db = db;
        this.offline = offline;
        this.online = online;
        this.clock = clock;
        this.actor = actor;
        this.progress = progress;
        this.batchSize = batchSize;
        this.plans = new PlanCache(planTtl.toNanos());
    }

    /**
     * Resolved services by name, each reused for a while (measured on the monotonic clock): a map lookup on the online
     * read path, cheaper than a general-purpose cache. Thread-safe.
     */
    static final class PlanCache {
        private record Entry(ServicePlan plan, long loadedNanos) {
        }

        private final java.util.concurrent.ConcurrentHashMap<String, Entry> entries =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final long ttlNanos;

        PlanCache(long ttlNanos) {
            this.ttlNanos = ttlNanos;
        }

        ServicePlan get(String service, java.util.function.Function<String, ServicePlan> loader) {
            Entry e = entries.get(service);
            long now = System.nanoTime();
            if (e == null || now - e.loadedNanos >= ttlNanos) {
                e = new Entry(loader.apply(service), now);
                if (entries.size() >= 10_000) {
                    entries.clear();
                }
                entries.put(service, e);
            }
            return e.plan;
        }

        void invalidate(String service) {
            entries.remove(service);
        }

        void invalidateAll() {
            entries.clear();
        }
    }

    long nowMicros() {
        return TimestampColumn.toMicros(clock.now());
    }

    long nowMillis() {
        return clock.now().toEpochMilli();
    }
}
