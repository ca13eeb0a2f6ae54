package dev.mlops.features;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    final Cache<String, ServicePlan> plans;
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
        this.plans = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(planTtl).build();
    }

    long nowMicros() {
        return TimestampColumn.toMicros(clock.now());
    }

    long nowMillis() {
        return clock.now().toEpochMilli();
    }
}
