package dev.mlops.features;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.StringColumn;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.Progress;
import dev.mlops.features.internal.Frames;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.features.internal.PointInTimeSql;
import dev.mlops.features.internal.RowDigest;
import dev.mlops.features.internal.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/** Builds training sets: validates the entity rows, runs the point-in-time join and applies the transforms. */
final class TrainingSets {
    private static final String ENTITY_TABLE = "__mlops_entity_rows";

    private final Context ctx;
    private final Catalog catalog;

    TrainingSets(Context ctx, Catalog catalog) {
        this.ctx = ctx;
        this.catalog = catalog;
    }

    /** What one request reads and produces. */
    private record Request(ServicePlan plan, List<PointInTimeSql.ViewPart> parts, List<Field> featureFields,
            List<Integer> featureColumns, List<String> keyColumns) {
    }

    private Request prepare(ServicePlan plan, TrainingOptions o, Map<String, DataType> entityColumns,
            String entitySource) {
        String service = "feature service '" + plan.service().name() + "'";
        DataType ts = entityColumns.get(o.timestampColumn());
        if (ts == null) {
            throw new InvalidArgumentException(entitySource + " has no timestamp column '" + o.timestampColumn()
                    + "' for " + service + "; its columns are " + entityColumns.keySet()
                    + " (set TrainingOptions.withTimestampColumn)");
        }
        if (ts != DataType.TIMESTAMP) {
            throw new InvalidArgumentException(entitySource + " column '" + o.timestampColumn() + "' is "
                    + ts.jsonName() + "; the entity rows' time must be a timestamp");
        }
        Map<String, Field> keys = new LinkedHashMap<>();
        List<PointInTimeSql.ViewPart> parts = new ArrayList<>();
        for (ServicePlan.ViewPlan v : plan.views()) {
            for (Field k : v.entity().joinKeys()) {
                Field other = keys.putIfAbsent(k.name(), k);
                if (other != null && other.type() != k.type()) {
                    throw new InvalidArgumentException(service + " joins on '" + k.name() + "' as " + k.type().jsonName()
                            + " for entity '" + v.entity().name() + "' and as " + other.type().jsonName()
                            + " for another entity");
                }
                DataType have = entityColumns.get(k.name());
                if (have == null) {
                    throw new InvalidArgumentException(entitySource + " has no column '" + k.name() + "', the join key "
                            + "of entity '" + v.entity().name() + "' that feature view '" + v.view().name()
                            + "' needs; its columns are " + entityColumns.keySet());
                }
                if (have != k.type()) {
                    throw new InvalidArgumentException(entitySource + " column '" + k.name() + "' is " + have.jsonName()
                            + " but join key '" + k.name() + "' of entity '" + v.entity().name() + "' is "
                            + k.type().jsonName());
                }
            }
            if (v.layout().isOfflineTable()) {
                catalog.ensureTable(v.layout());
            } else {
                catalog.checkFileSource(v.layout());
            }
            parts.add(new PointInTimeSql.ViewPart(v.layout(), v.fields()));
        }
        for (OnDemandTransform t : plan.transforms()) {
            for (Feature rf : t.requestFields()) {
                DataType have = entityColumns.get(rf.name());
                if (have == null) {
                    throw new InvalidArgumentException(entitySource + " has no column '" + rf.name() + "', a request field "
                            + "of on-demand transform '" + t.name() + "'");
                }
                if (!dev.mlops.features.internal.Schemas.fits(rf.type(), have)) {
                    throw new InvalidArgumentException(entitySource + " column '" + rf.name() + "' is "
                            + have.jsonName() + " but request field '" + rf.name() + "' of on-demand transform '"
                            + t.name() + "' is " + rf.type().jsonName());
                }
            }
        }
        // Output columns: the features (and event times), then the transforms' outputs.
        List<Field> fields = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int vi = 0; vi < plan.views().size(); vi++) {
            ServicePlan.ViewPlan v = plan.views().get(vi);
            for (int i = 0; i < v.features().size(); i++) {
                int col = v.columns()[i];
                fields.add(Field.of(plan.outputName(col, o.fullFeatureNames()), v.features().get(i).type()));
                columns.add(col);
            }
            if (o.eventTimestamps()) {
                fields.add(Field.of(v.view().name() + "__event_timestamp", DataType.TIMESTAMP));
                columns.add(-1 - vi);
            }
        }
        Map<String, String> taken = new HashMap<>();
        for (String c : entityColumns.keySet()) {
            taken.put(c.toLowerCase(Locale.ROOT), entitySource + " column '" + c + "'");
        }
        List<Field> all = new ArrayList<>(fields);
        for (OnDemandTransform t : plan.transforms()) {
            for (Feature out : t.outputs()) {
                all.add(Field.of(out.name(), out.type()));
            }
        }
        for (Field f : all) {
            String previous = taken.putIfAbsent(f.name().toLowerCase(Locale.ROOT), "feature '" + f.name() + "'");
            if (previous != null) {
                throw new InvalidArgumentException(service + " would add column '" + f.name() + "', which clashes with "
                        + previous + (o.fullFeatureNames() ? "" : "; rename the entity column or use "
                        + "TrainingOptions.withFullFeatureNames(true)"));
            }
        }
        return new Request(plan, parts, fields, columns, new ArrayList<>(keys.keySet()));
    }

    // ---------------------------------------------------------------- in memory

    TrainingSet build(Frame rows, String serviceName, TrainingOptions o) {
        ServicePlan plan = catalog.plan(serviceName);
        Map<String, DataType> cols = new LinkedHashMap<>();
        for (Field f : rows.schema().fields()) {
            cols.put(f.name(), f.type());
        }
        Request req = prepare(plan, o, cols, "the entity rows");
        TimestampColumn ts = rows.timestampColumn(o.timestampColumn());
        if (ts.nullCount() > 0) {
            int first = 0;
            while (!ts.isNull(first)) {
                first++;
            }
            throw new InvalidArgumentException("the entity rows hold " + ts.nullCount() + " null values in timestamp "
                    + "column '" + o.timestampColumn() + "', the first in row " + first);
        }
        int n = rows.rowCount();
        Scatter[] out = new Scatter[req.featureFields().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Scatter(req.featureFields().get(i).type(), n);
        }
        try (Progress p = Progress.start(ctx.progress, "training set " + serviceName, n)) {
            if (n > 0 && !req.parts().isEmpty()) {
                ctx.offline.read(c -> {
                    List<String> copied = new ArrayList<>(req.keyColumns());
                    copied.add(o.timestampColumn());
                    Frames.toTempTable(c, ENTITY_TABLE, rows, copied, true);
                    try {
                        String sql = PointInTimeSql.build(ctx.offline, entityRelation(o), List.of(), req.parts(),
                                o.asKnownAt(), o.eventTimestamps(), false);
                        try (Statement s = c.createStatement()) {
                            s.setFetchSize(batchSize(o));
                            try (ResultSet rs = s.executeQuery(sql)) {
                                long done = 0;
                                while (rs.next()) {
                                    int row = (int) rs.getLong(1);
                                    for (int i = 0; i < out.length; i++) {
                                        out[i].set(row, rs, i + 2);
                                    }
                                    if (++done % 100_000 == 0) {
                                        p.advance(100_000);
                                    }
                                }
                                p.advance(done % 100_000);
                            }
                        }
                    } catch (SQLException e) {
                        throw OfflineStore.failure("training set for feature service '" + serviceName + "'", e);
                    } finally {
                        OfflineStore.exec(c, "DROP TABLE IF EXISTS " + Sql.id(ENTITY_TABLE));
                    }
                    return null;
                });
            }
            Frame result = rows;
            List<Column> featureColumns = new ArrayList<>(out.length);
            for (int i = 0; i < out.length; i++) {
                Column col = out[i].build();
                out[i] = null; // lets the collector reclaim each column's scratch arrays as soon as it is built
                featureColumns.add(col);
                result = result.withColumn(req.featureFields().get(i), col);
            }
            result = applyTransforms(req, result, featureColumns, rows, 0);
            p.finish();
            return new TrainingSet(result, serviceName, plan.versions(), o.asKnownAt());
        }
    }

    private static String entityRelation(TrainingOptions o) {
        return "(SELECT *, epoch_us(CAST(" + Sql.id(o.timestampColumn()) + " AS TIMESTAMP)) AS __mlops_t FROM "
                + Sql.id(ENTITY_TABLE) + ")";
    }

    private int batchSize(TrainingOptions o) {
        return o.batchSize() > 0 ? o.batchSize() : ctx.batchSize;
    }

    /** Runs the service's transforms over a frame holding the features, adding their outputs. */
    private Frame applyTransforms(Request req, Frame result, List<Column> featureColumns, Frame requestSource,
            int requestOffset) {
        ServicePlan plan = req.plan();
        if (plan.transforms().isEmpty()) {
            return result;
        }
        // The output column of each service feature, in the order fields were added.
        Map<Integer, Column> byOutput = new HashMap<>();
        for (int i = 0; i < req.featureColumns().size(); i++) {
            if (req.featureColumns().get(i) >= 0) {
                byOutput.put(req.featureColumns().get(i), featureColumns.get(i));
            }
        }
        int n = result.rowCount();
        for (int t = 0; t < plan.transforms().size(); t++) {
            OnDemandTransform tr = plan.transforms().get(t);
            int[] inputs = plan.transformInputs().get(t);
            TransformRunner runner = new TransformRunner(tr);
            Column[] inCols = new Column[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                inCols[i] = inputs[i] >= 0 ? byOutput.get(inputs[i])
                        : requestSource.column(runner.inputName(i));
            }
            List<Column.Builder> outs = new ArrayList<>();
            for (Feature f : tr.outputs()) {
                outs.add(Column.builder(f.type(), n));
            }
            Object[] in = new Object[inputs.length];
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < inputs.length; i++) {
                    Object v = inCols[i].get(inputs[i] >= 0 ? r : r + requestOffset);
                    if (v instanceof Long l && inputs[i] < 0
                            && tr.requestFields().get(i - tr.inputs().size()).type() == DataType.DOUBLE) {
                        v = l.doubleValue();
                    }
                    in[i] = v;
                }
                Object[] o = runner.run(in, "training row " + r);
                for (int k = 0; k < o.length; k++) {
                    if (o[k] == null) {
                        outs.get(k).addNull();
                    } else {
                        outs.get(k).addObject(o[k]);
                    }
                }
            }
            for (int k = 0; k < tr.outputs().size(); k++) {
                Feature f = tr.outputs().get(k);
                result = result.withColumn(Field.of(f.name(), f.type()), outs.get(k).build());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- streamed

    TrainingSetInfo stream(Source entityRows, String serviceName, TrainingOptions o, Consumer<Frame> sink) {
        ServicePlan plan = catalog.plan(serviceName);
        RowDigest digest = new RowDigest();
        try (Progress p = Progress.start(ctx.progress, "training set " + serviceName, -1)) {
            ctx.offline.read(c -> {
                try {
                    loadEntities(c, entityRows, batchSize(o));
                    List<OfflineStore.SqlColumn> described = OfflineStore.describe(c, Sql.id(ENTITY_TABLE));
                    Map<String, DataType> cols = new LinkedHashMap<>();
                    List<Field> passthrough = new ArrayList<>();
                    for (OfflineStore.SqlColumn col : described) {
                        if (col.name().equals(OfflineStore.ROW)) {
                            continue;
                        }
                        DataType t = col.dataType();
                        if (t == null) {
                            throw new InvalidArgumentException(entityRows.describe() + " column '" + col.name()
                                    + "' has type " + col.sqlType() + ", which has no counterpart");
                        }
                        cols.put(col.name(), t);
                        passthrough.add(Field.of(col.name(), t));
                    }
                    String where = "the entity rows (" + entityRows.describe() + ")";
                    Request req = prepare(plan, o, cols, where);
                    Long nulls = OfflineStore.queryLong(c, "SELECT count(*) FROM " + Sql.id(ENTITY_TABLE) + " WHERE "
                            + Sql.id(o.timestampColumn()) + " IS NULL");
                    if (nulls != null && nulls > 0) {
                        throw new InvalidArgumentException(where + " hold " + nulls + " null values in timestamp "
                                + "column '" + o.timestampColumn() + "'");
                    }
                    String sql = PointInTimeSql.build(ctx.offline, entityRelation(o), passthrough, req.parts(),
                            o.asKnownAt(), o.eventTimestamps(), true);
                    List<Field> fields = new ArrayList<>(passthrough);
                    fields.addAll(req.featureFields());
                    int size = batchSize(o);
                    Frames.Collector collector = new Frames.Collector(fields, 2, size);
                    try (Statement s = c.createStatement()) {
                        s.setFetchSize(size);
                        try (ResultSet rs = s.executeQuery(sql)) {
                            while (rs.next()) {
                                collector.add(rs);
                                if (collector.size() == size) {
                                    deliver(req, collector, passthrough.size(), digest, sink, p);
                                }
                            }
                        }
                    }
                    if (collector.size() > 0 || digest.rows() == 0) {
                        deliver(req, collector, passthrough.size(), digest, sink, p);
                    }
                } catch (SQLException e) {
                    throw OfflineStore.failure("training set for feature service '" + serviceName + "'", e);
                } finally {
                    OfflineStore.exec(c, "DROP TABLE IF EXISTS " + Sql.id(ENTITY_TABLE));
                }
                return null;
            });
            p.finish();
        }
        return new TrainingSetInfo(digest.rows(), digest.hex(), serviceName, plan.versions(), o.asKnownAt());
    }

    private void deliver(Request req, Frames.Collector collector, int passthrough, RowDigest digest,
            Consumer<Frame> sink, Progress p) {
        Frame batch = collector.drainFrame();
        List<Column> featureCols = batch.columns().subList(passthrough, batch.columnCount());
        Frame entityPart = batch.select(batch.schema().names().subList(0, passthrough));
        Frame out = applyTransforms(req, batch, featureCols, entityPart, 0);
        digest.update(out);
        p.advance(out.rowCount());
        sink.accept(out);
    }

    private static void loadEntities(DuckDBConnection c, Source source, int fetchSize) throws SQLException {
        if (source instanceof Source.FrameData fd) {
            Frames.toTempTable(c, ENTITY_TABLE, fd.frame(), fd.frame().schema().names(), true);
        } else if (source instanceof Source.Jdbc jdbc) {
            Frames.jdbcToTempTable(c, ENTITY_TABLE, jdbc, fetchSize);
        } else {
            String rel;
            if (source instanceof Source.Csv || source instanceof Source.Parquet) {
                rel = OfflineStore.fileRelation(source);
            } else if (source instanceof Source.View v) {
                rel = Sql.id(OfflineStore.table(v.view()));
                if (OfflineStore.tableColumns(c, OfflineStore.table(v.view())).isEmpty()) {
                    throw new NotFoundException("feature view '" + v.view() + "' has no offline table");
                }
            } else {
                throw new InvalidArgumentException("entity rows cannot come from " + source.describe());
            }
            OfflineStore.exec(c, "CREATE TEMP TABLE " + Sql.id(ENTITY_TABLE) + " AS SELECT row_number() OVER () - 1 "
                    + "AS " + OfflineStore.ROW + ", * FROM " + rel);
        }
    }

    /** Values of one output column placed by entity row index. */
    private static final class Scatter {
        private final DataType type;
        private final boolean[] present;
        private double[] doubles;
        private long[] longs;
        private boolean[] booleans;
        private String[] strings;

        Scatter(DataType type, int n) {
            this.type = type;
            this.present = new boolean[n];
            switch (type) {
                case DOUBLE -> doubles = new double[n];
                case LONG, TIMESTAMP -> longs = new long[n];
                case BOOLEAN -> booleans = new boolean[n];
                case STRING -> strings = new String[n];
                default -> throw new IllegalStateException("unknown type " + type);
            }
        }

        void set(int row, ResultSet rs, int column) throws SQLException {
            switch (type) {
                case DOUBLE -> doubles[row] = rs.getDouble(column);
                case LONG, TIMESTAMP -> longs[row] = rs.getLong(column);
                case BOOLEAN -> booleans[row] = rs.getBoolean(column);
                case STRING -> strings[row] = rs.getString(column);
                default -> throw new IllegalStateException("unknown type " + type);
            }
            present[row] = !rs.wasNull();
        }

        Column build() {
            int n = present.length;
            Column.Builder b = Column.builder(type, n);
            for (int i = 0; i < n; i++) {
                if (!present[i]) {
                    b.addNull();
                    continue;
                }
                switch (type) {
                    case DOUBLE -> ((DoubleColumn.Builder) b).add(doubles[i]);
                    case LONG -> ((LongColumn.Builder) b).add(longs[i]);
                    case TIMESTAMP -> ((TimestampColumn.Builder) b).addMicros(longs[i]);
                    case BOOLEAN -> ((BooleanColumn.Builder) b).add(booleans[i]);
                    case STRING -> ((StringColumn.Builder) b).add(strings[i]);
                    default -> throw new IllegalStateException("unknown type " + type);
                }
            }
            return b.build();
        }
    }
}
