package dev.mlops.features;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.Progress;
import dev.mlops.features.internal.EntityKeys;
import dev.mlops.features.internal.Frames;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.features.internal.Sql;
import dev.mlops.features.internal.ViewLayout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies the latest row of each entity from the offline store to the online store, streamed in chunks. */
final class Materializer {
    private static final Logger LOG = LoggerFactory.getLogger(Materializer.class);

    private final Context ctx;
    private final Catalog catalog;

    Materializer(Context ctx, Catalog catalog) {
        this.ctx = ctx;
        this.catalog = catalog;
    }

    MaterializationResult incremental(String view, Instant end) {
        Optional<Instant> watermark = ctx.online.watermark(view);
        if (watermark.isPresent() && end.isBefore(watermark.get())) {
            throw new ConflictException("feature view '" + view + "' was materialized up to " + watermark.get()
                    + "; an incremental materialization cannot end earlier, at " + end
                    + " (materialize an explicit window to rewrite the past)");
        }
        return run(view, watermark.orElse(null), end);
    }

    MaterializationResult window(String view, Instant start, Instant end) {
        if (start != null && !start.isBefore(end)) {
            throw new InvalidArgumentException("materialization window of feature view '" + view + "' must end after it "
                    + "starts, but runs from " + start + " to " + end);
        }
        return run(view, start, end);
    }

    private MaterializationResult run(String view, Instant start, Instant end) {
        long began = System.nanoTime();
        Catalog.Resolved resolved = catalog.resolve(view);
        FeatureView v = resolved.view();
        if (!v.online()) {
            throw new InvalidArgumentException("feature view '" + view + "' is not online (online = false); nothing is "
                    + "materialized for it");
        }
        ViewLayout layout = resolved.layout();
        if (layout.isOfflineTable()) {
            catalog.ensureTable(layout);
        } else {
            catalog.checkFileSource(layout);
        }
        long endMicros = TimestampColumn.toMicros(end);
        long lo = start == null ? Long.MIN_VALUE : TimestampColumn.toMicros(start);
        long ttl = layout.ttlMicros();
        if (ttl != Long.MAX_VALUE) {
            // Rows already expired at the end of the window would only be read back as expired.
            long fresh;
            try {
                fresh = Math.subtractExact(Math.subtractExact(endMicros, ttl), 1);
            } catch (ArithmeticException e) {
                fresh = Long.MIN_VALUE;
            }
            lo = Math.max(lo, fresh);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        StringBuilder keys = new StringBuilder();
        for (Field k : layout.keys()) {
            sql.append(Sql.id(k.name())).append(", ");
            keys.append(keys.length() == 0 ? "" : ", ").append(Sql.id(k.name()));
        }
        sql.append("__et, __ct");
        for (Field f : layout.features()) {
            sql.append(", ").append(Frames.fetchExpression(Sql.id(f.name()), f.type()));
        }
        sql.append(" FROM ").append(ctx.offline.viewRows(layout)).append(" WHERE __et <= ").append(endMicros);
        if (lo != Long.MIN_VALUE) {
            sql.append(" AND __et > ").append(lo);
        }
        sql.append(" QUALIFY row_number() OVER (PARTITION BY ").append(keys)
                .append(" ORDER BY __et DESC, __ct DESC) = 1");
        List<Feature> features = v.features();
        int nk = layout.keys().size();
        int chunkSize = ctx.batchSize;
        long[] written = {0};
        int[] chunks = {0};
        try (Progress p = Progress.start(ctx.progress, "materialize " + view, -1)) {
            ctx.offline.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.setFetchSize(chunkSize);
                    try (ResultSet rs = s.executeQuery(sql.toString())) {
                        List<OnlineRow> chunk = new ArrayList<>(Math.min(chunkSize, 65_536));
                        Object[] keyValues = new Object[nk];
                        while (rs.next()) {
                            for (int i = 0; i < nk; i++) {
                                keyValues[i] = layout.keys().get(i).type() == DataType.LONG ? (Object) rs.getLong(i + 1)
                                        : rs.getString(i + 1);
                            }
                            String key = EntityKeys.encode(layout.keys(), keyValues, () -> "offline row of view '" + view + "'");
                            long et = rs.getLong(nk + 1);
                            long ct = rs.getLong(nk + 2);
                            Object[] values = new Object[features.size()];
                            for (int i = 0; i < values.length; i++) {
                                values[i] = value(rs, nk + 3 + i, features.get(i).type());
                            }
                            chunk.add(new OnlineRow(key, et, ct, values));
                            if (chunk.size() == chunkSize) {
                                ctx.online.write(view, features, v.ttl(), chunk);
                                written[0] += chunk.size();
                                chunks[0]++;
                                p.advance(chunk.size());
                                chunk = new ArrayList<>(chunkSize);
                            }
                        }
                        if (!chunk.isEmpty()) {
                            ctx.online.write(view, features, v.ttl(), chunk);
                            written[0] += chunk.size();
                            chunks[0]++;
                            p.advance(chunk.size());
                        }
                    }
                } catch (SQLException e) {
                    throw OfflineStore.failure("materializing feature view '" + view + "'", e);
                }
                return null;
            });
            Optional<Instant> previous = ctx.online.watermark(view);
            if (previous.isEmpty() || previous.get().isBefore(end)) {
                ctx.online.setWatermark(view, end);
            }
            p.finish();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
        LOG.info("materialized {} rows of feature view '{}' (version {}) up to {} into the {} online store in {} ms",
                written[0], view, v.version(), end, ctx.online.name(), elapsed.toMillis());
        return new MaterializationResult(view, v.version(), start, end, written[0], chunks[0], elapsed);
    }

    private static Object value(ResultSet rs, int column, DataType type) throws SQLException {
        Object v = switch (type) {
            case DOUBLE -> rs.getDouble(column);
            case LONG -> rs.getLong(column);
            case BOOLEAN -> rs.getBoolean(column);
            case STRING -> rs.getString(column);
            case TIMESTAMP -> TimestampColumn.toInstant(rs.getLong(column));
        };
        return rs.wasNull() ? null : v;
    }
}
