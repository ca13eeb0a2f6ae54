package dev.mlops.tracking.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.ConflictException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.MetricPoint;
import dev.mlops.storage.Database;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.ViewType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every SQL statement of the tracking store, for both dialects. Thread-safe. */
public final class TrackingStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Map<String, Long> seriesCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Creates the store over an open database.
     *
     * @param db the database
     */
    public TrackingStore(Database db) {
        this.db = db;
    }

    /**
     * Returns the database.
     *
     * @return the database
     */
    public Database db() {
        return db;
    }

    /** An experiment row with its tags. */
    public record ExperimentRow(String id, String name, LifecycleStage lifecycle, long creationTime, long lastUpdateTime,
            Map<String, String> tags) {
    }

    /** A run's attribute row, without data. */
    public record RunRow(String runId, String experimentId, String name, RunStatus status, long startTime, Long endTime,
            String user, String source, String parentRunId, LifecycleStage lifecycle) {
    }

    // ---------------------------------------------------------------- experiments

    /** Inserts an experiment unless the name exists; returns the row under that name either way. */
    public ExperimentRow createExperimentIfAbsent(String id, String name, long now) {
        return db.inTransaction(c -> {
            Optional<ExperimentRow> existing = experimentByName(c, name);
            if (existing.isPresent()) {
                return existing.get();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiments (experiment_id, name, "
                    + "lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, LifecycleStage.ACTIVE.name());
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            return new ExperimentRow(id, name, LifecycleStage.ACTIVE, now, now, Map.of());
        });
    }

    /** Finds an experiment by name. */
    public Optional<ExperimentRow> experimentByName(String name) {
        return db.read(c -> experimentByName(c, name));
    }

    /** Finds an experiment by id. */
    public Optional<ExperimentRow> experimentById(String id) {
        return db.read(c -> {
            List<ExperimentRow> rows = experiments(c, "WHERE experiment_id = ?", id);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        });
    }

    /** Lists experiments. */
    public List<ExperimentRow> experiments(ViewType view) {
        return db.read(c -> switch (view) {
            case ACTIVE_ONLY -> experiments(c, "WHERE lifecycle_stage = ? ORDER BY name", LifecycleStage.ACTIVE.name());
            case ARCHIVED_ONLY -> experiments(c, "WHERE lifecycle_stage = ? ORDER BY name",
                    LifecycleStage.ARCHIVED.name());
            case ALL -> experiments(c, "ORDER BY name");
        });
    }

    private Optional<ExperimentRow> experimentByName(Connection c, String name) throws SQLException {
        List<ExperimentRow> rows = experiments(c, "WHERE name = ?", name);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<ExperimentRow> experiments(Connection c, String where, String... args) throws SQLException {
        List<String[]> base = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT experiment_id, name, lifecycle_stage, creation_time, "
                + "last_update_time FROM experiments " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    base.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
                        Long.toString(rs.getLong(4)), Long.toString(rs.getLong(5))});
                }
            }
        }
        List<ExperimentRow> rows = new ArrayList<>(base.size());
        for (String[] b : base) {
            Map<String, String> tags = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key")) {
                ps.setString(1, b[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tags.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            rows.add(new ExperimentRow(b[0], b[1], LifecycleStage.valueOf(b[2]), Long.parseLong(b[3]),
                    Long.parseLong(b[4]), tags));
        }
        return rows;
    }

    /** Sets an experiment's lifecycle stage. */
    public void setExperimentLifecycle(String id, LifecycleStage stage, long now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?")) {
                ps.setString(1, stage.name());
                ps.setLong(2, now);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Sets an experiment tag. */
    public void setExperimentTag(String id, String key, String value) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiment_tags (experiment_id, key, value) "
                    + "VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, id);
                ps.setString(2, key);
                ps.setString(3, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- runs

    /** Inserts a run. */
    public void createRun(RunRow r) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (run_id, experiment_id, name, status, "
                    + "start_time, end_time, user_id, source, parent_run_id, lifecycle_stage) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.runId());
                ps.setString(2, r.experimentId());
                ps.setString(3, r.name());
                ps.setString(4, r.status().name());
                ps.setLong(5, r.startTime());
                if (r.endTime() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, r.endTime());
                }
                ps.setString(7, r.user());
                ps.setString(8, r.source());
                ps.setString(9, r.parentRunId());
                ps.setString(10, r.lifecycle().name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Finds a run's attributes. */
    public Optional<RunRow> runRow(String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(RUN_COLUMNS + " FROM runs r WHERE r.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(runRow(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The select list that {@link #runRow(ResultSet)} reads. */
    static final String RUN_COLUMNS = "SELECT r.run_id, r.experiment_id, r.name, r.status, r.start_time, r.end_time, "
            + "r.user_id, r.source, r.parent_run_id, r.lifecycle_stage";

    static RunRow runRow(ResultSet rs) throws SQLException {
        long end = rs.getLong(6);
        Long endTime = rs.wasNull() ? null : end;
        return new RunRow(rs.getString(1), rs.getString(2), rs.getString(3), RunStatus.valueOf(rs.getString(4)),
                rs.getLong(5), endTime, rs.getString(7), rs.getString(8), rs.getString(9),
                LifecycleStage.valueOf(rs.getString(10)));
    }

    /** Runs a search query and returns the run rows in order. */
    public List<RunRow> searchRows(SearchSql.Query q) {
        return db.read(c -> {
            List<RunRow> found = new ArrayList<>();
            forEachRow(c, q.sql(), q.args(), rs -> found.add(runRow(rs)));
            return found;
        });
    }

    /** Returns a run with its data. */
    public RunInfo getRun(String runId) {
        RunRow row = runRow(runId).orElseThrow(() -> new NotFoundException("run '" + runId + "' does not exist"));
        return withData(List.of(row)).get(0);
    }

    /** Sets a run's status and end time. */
    public void updateRun(String runId, RunStatus status, Long endTime) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?")) {
                ps.setString(1, status.name());
                if (endTime == null) {
                    ps.setNull(2, Types.BIGINT);
                } else {
                    ps.setLong(2, endTime);
                }
                ps.setString(3, runId);
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("run '" + runId + "' does not exist");
                }
            }
            return null;
        });
    }

    /** Sets a run's lifecycle stage. */
    public void setRunLifecycle(String runId, LifecycleStage stage) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?")) {
                ps.setString(1, stage.name());
                ps.setString(2, runId);
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("run '" + runId + "' does not exist");
                }
            }
            return null;
        });
    }

    /** Returns a run's params. */
    public Map<String, String> params(String runId) {
        return db.read(c -> {
            Map<String, String> params = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM params WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        params.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return params;
        });
    }

    /** Attaches params, latest metrics, tags and inputs to run rows, keeping their order. */
    public List<RunInfo> withData(List<RunRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            Map<String, Map<String, String>> params = new HashMap<>();
            Map<String, Map<String, Double>> metrics = new HashMap<>();
            Map<String, Map<String, String>> tags = new HashMap<>();
            Map<String, List<DatasetInput>> inputs = new HashMap<>();
            List<String> ids = rows.stream().map(RunRow::runId).toList();
            // One bound parameter holds all ids (a JSON array on SQLite, an array on PostgreSQL), so the statement
            // stays small and quick to prepare however many runs the page has; rows name their run by its position
            // in that list, which is cheaper to read back than the id's text.
            boolean sqlite = db.dialect() == Database.Dialect.SQLITE;
            String from = sqlite ? " FROM json_each(?) AS u JOIN "
                    : " FROM unnest(?::varchar[]) WITH ORDINALITY AS u(id, pos) JOIN ";
            String pos = sqlite ? "u.key" : "u.pos - 1";
            String idColumn = sqlite ? "u.value" : "u.id";
            List<Object> arg = List.of(sqlite ? jsonArray(ids) : pgArray(ids));
            forEachRow(c, "SELECT " + pos + ", t.key, t.value" + from + "params t ON t.run_id = " + idColumn, arg,
                    rs -> params.computeIfAbsent(ids.get(rs.getInt(1)), k -> new HashMap<>()).put(rs.getString(2),
                            rs.getString(3)));
            forEachRow(c, "SELECT " + pos + ", t.key, t.value" + from + "tags t ON t.run_id = " + idColumn, arg,
                    rs -> tags.computeIfAbsent(ids.get(rs.getInt(1)), k -> new HashMap<>()).put(rs.getString(2),
                            rs.getString(3)));
            forEachRow(c, "SELECT " + pos + ", t.key, t.value, t.is_nan" + from + "latest_metrics t ON t.run_id = "
                    + idColumn, arg,
                    rs -> metrics.computeIfAbsent(ids.get(rs.getInt(1)), k -> new HashMap<>()).put(rs.getString(2),
                            rs.getInt(4) != 0 ? Double.NaN : rs.getDouble(3)));
            forEachRow(c, "SELECT " + pos + ", i.dataset_name, i.dataset_digest, i.context, d.source_type, d.source, "
                    + "d.schema_json" + from + "inputs i ON i.run_id = " + idColumn + " JOIN datasets d "
                    + "ON d.experiment_id = i.experiment_id AND d.name = i.dataset_name AND d.digest = i.dataset_digest "
                    + "ORDER BY i.dataset_name, i.context", arg,
                    rs -> inputs.computeIfAbsent(ids.get(rs.getInt(1)), k -> new ArrayList<>()).add(new DatasetInput(
                            rs.getString(2), rs.getString(3), parseSchema(rs.getString(7)), rs.getString(5),
                            rs.getString(6), rs.getString(4))));
            List<RunInfo> out = new ArrayList<>(rows.size());
            for (RunRow r : rows) {
                out.add(new RunInfo(r.runId(), r.experimentId(), r.name(), r.status(),
                        Instant.ofEpochMilli(r.startTime()), r.endTime() == null ? null : Instant.ofEpochMilli(r.endTime()),
                        r.user(), r.source(), r.parentRunId(), r.lifecycle(),
                        params.getOrDefault(r.runId(), Map.of()), metrics.getOrDefault(r.runId(), Map.of()),
                        tags.getOrDefault(r.runId(), Map.of()), inputs.getOrDefault(r.runId(), List.of())));
            }
            return out;
        });
    }

    @FunctionalInterface
    interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    static void forEachRow(Connection c, String sql, List<?> args, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        }
    }

    static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                throw new IllegalArgumentException("cannot bind " + a);
            }
        }
    }

    /** Run ids are hex, so the JSON array needs no escaping. */
    private static String jsonArray(List<String> ids) {
        return ids.stream().map(id -> '"' + id + '"').collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    /** PostgreSQL's text form of a varchar array; run ids are hex, so no quoting is needed. */
    private static String pgArray(List<String> ids) {
        return "{" + String.join(",", ids) + "}";
    }

    static String placeholders(int n) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }

    private static Schema parseSchema(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Schema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored dataset schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- logged values

    /**
     * Writes a batch of logged values in one transaction: params first-write-wins (another value is a conflict),
     * tags last-write-wins, metrics appended, and each run's latest value per key raised where the new point is
     * later by (step, timestamp, value).
     */
    public void writeBatch(List<LogWriter.Op> ops) {
        List<LogWriter.ParamOp> params = new ArrayList<>();
        List<LogWriter.TagOp> tags = new ArrayList<>();
        List<LogWriter.MetricOp> metrics = new ArrayList<>();
        for (LogWriter.Op op : ops) {
            if (op instanceof LogWriter.MetricOp m) {
                metrics.add(m);
            } else if (op instanceof LogWriter.ParamOp p) {
                params.add(p);
            } else if (op instanceof LogWriter.TagOp t) {
                tags.add(t);
            }
        }
        Map<String, Long> newSeries = new HashMap<>();
        List<String> conflicts = db.inTransaction(c -> {
            newSeries.clear(); // a retried transaction starts over
            List<String> found = writeParams(c, params);
            writeTags(c, tags);
            writeMetrics(c, metrics, newSeries);
            return found;
        });
        seriesCache.putAll(newSeries);
        if (!conflicts.isEmpty()) {
            throw new ConflictException(String.join("; ", conflicts));
        }
    }

    private List<String> writeParams(Connection c, List<LogWriter.ParamOp> params) throws SQLException {
        List<String> conflicts = new ArrayList<>();
        if (params.isEmpty()) {
            return conflicts;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO NOTHING");
                PreparedStatement read = c.prepareStatement("SELECT value FROM params WHERE run_id = ? AND key = ?")) {
            for (LogWriter.ParamOp p : params) {
                insert.setString(1, p.runId());
                insert.setString(2, p.key());
                insert.setString(3, p.value());
                if (insert.executeUpdate() == 0) {
                    read.setString(1, p.runId());
                    read.setString(2, p.key());
                    try (ResultSet rs = read.executeQuery()) {
                        if (rs.next() && !rs.getString(1).equals(p.value())) {
                            conflicts.add("param '" + p.key() + "' of run " + p.runId() + " was logged as '"
                                    + rs.getString(1) + "' and cannot change to '" + p.value() + "'");
                        }
                    }
                }
            }
        }
        return conflicts;
    }

    private void writeTags(Connection c, List<LogWriter.TagOp> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) "
                + "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
                PreparedStatement delete = c.prepareStatement("DELETE FROM tags WHERE run_id = ? AND key = ?")) {
            for (LogWriter.TagOp t : tags) {
                if (t.value() == null) {
                    delete.setString(1, t.runId());
                    delete.setString(2, t.key());
                    delete.executeUpdate();
                } else {
                    upsert.setString(1, t.runId());
                    upsert.setString(2, t.key());
                    upsert.setString(3, t.value());
                    upsert.executeUpdate();
                }
            }
        }
    }

    private void writeMetrics(Connection c, List<LogWriter.MetricOp> metrics, Map<String, Long> newSeries)
            throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, LogWriter.MetricOp> latest = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (series_id, step, timestamp, value, is_nan) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            int pending = 0;
            String lastRun = null;
            String lastKey = null;
            long series = 0;
            for (LogWriter.MetricOp m : metrics) {
                // Consecutive values usually belong to the same series; look it up only when it changes.
                if (!m.key().equals(lastKey) || !m.runId().equals(lastRun)) {
                    series = seriesId(c, m.runId(), m.key(), newSeries);
                    lastRun = m.runId();
                    lastKey = m.key();
                }
                boolean nan = Double.isNaN(m.value());
                ps.setLong(1, series);
                ps.setLong(2, m.step());
                ps.setLong(3, m.timestamp());
                ps.setDouble(4, nan ? 0.0 : m.value());
                ps.setInt(5, nan ? 1 : 0);
                ps.addBatch();
                if (++pending == Limits.MAX_METRICS_PER_BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
                latest.merge(m.runId() + '\u0000' + m.key(), m, (a, b) -> later(b, a) ? b : a);
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO latest_metrics (run_id, key, value, is_nan, "
                + "timestamp, step) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET "
                + "value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, "
                + "step = excluded.step WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step "
                + "AND (excluded.timestamp > latest_metrics.timestamp OR (excluded.timestamp = latest_metrics.timestamp "
                + "AND excluded.value > latest_metrics.value)))")) {
            for (LogWriter.MetricOp m : latest.values()) {
                bindMetric(ps, m);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Returns the series id of a run's metric key, creating the series if needed. Ids created in the current
     * transaction go to {@code newSeries} and join the cache only once it commits.
     */
    private long seriesId(Connection c, String runId, String key, Map<String, Long> newSeries) throws SQLException {
        String cacheKey = runId + '\u0000' + key;
        Long id = seriesCache.get(cacheKey);
        if (id == null) {
            id = newSeries.get(cacheKey);
        }
        if (id != null) {
            return id;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO metric_series (run_id, key) VALUES (?, ?) ON CONFLICT (run_id, key) DO NOTHING")) {
            insert.setString(1, runId);
            insert.setString(2, key);
            insert.executeUpdate();
        }
        id = findSeries(c, runId, key);
        if (id == null) {
            throw new IllegalStateException("metric series (" + runId + ", " + key + ") vanished after its insert");
        }
        newSeries.put(cacheKey, id);
        return id;
    }

    private static Long findSeries(Connection c, String runId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT series_id FROM metric_series WHERE run_id = ? AND key = ?")) {
            ps.setString(1, runId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void bindMetric(PreparedStatement ps, LogWriter.MetricOp m) throws SQLException {
        boolean nan = Double.isNaN(m.value());
        ps.setString(1, m.runId());
        ps.setString(2, m.key());
        ps.setDouble(3, nan ? 0.0 : m.value());
        ps.setInt(4, nan ? 1 : 0);
        ps.setLong(5, m.timestamp());
        ps.setLong(6, m.step());
    }

    /** MLflow's order for "latest": greater step, then greater timestamp, then greater value. */
    static boolean later(LogWriter.MetricOp a, LogWriter.MetricOp b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return Double.compare(a.value(), b.value()) > 0;
    }

    /** Returns a metric's full history, ordered by step, timestamp and insertion. */
    public List<MetricPoint> metricHistory(String runId, String key) {
        return db.read(c -> {
            List<MetricPoint> points = new ArrayList<>();
            forEachRow(c, "SELECT m.value, m.is_nan, m.timestamp, m.step FROM metric_series s JOIN metrics m "
                    + "ON m.series_id = s.series_id WHERE s.run_id = ? AND s.key = ? ORDER BY m.step, m.timestamp",
                    List.of(runId, key),
                    rs -> points.add(new MetricPoint(key, rs.getInt(2) != 0 ? Double.NaN : rs.getDouble(1),
                            rs.getLong(4), Instant.ofEpochMilli(rs.getLong(3)))));
            return points;
        });
    }

    /** Counts a run's metric points (all keys). */
    public long metricCount(String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM metric_series s JOIN metrics m "
                    + "ON m.series_id = s.series_id WHERE s.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    // ---------------------------------------------------------------- inputs and artifacts

    /** Records a dataset (once per experiment, name and digest) and the run's use of it. */
    public void logInput(String runId, String experimentId, DatasetInput input) {
        String schemaJson;
        try {
            schemaJson = input.schema() == null ? null : JSON.writeValueAsString(input.schema());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write schema as JSON", e);
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO datasets (experiment_id, name, digest, "
                    + "source_type, source, schema_json) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (experiment_id, name, digest) DO NOTHING")) {
                ps.setString(1, experimentId);
                ps.setString(2, input.name());
                ps.setString(3, input.digest());
                ps.setString(4, input.sourceType());
                ps.setString(5, input.source());
                ps.setString(6, schemaJson);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inputs (run_id, experiment_id, dataset_name, "
                    + "dataset_digest, context) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, dataset_name, dataset_digest, context) DO NOTHING")) {
                ps.setString(1, runId);
                ps.setString(2, experimentId);
                ps.setString(3, input.name());
                ps.setString(4, input.digest());
                ps.setString(5, input.context());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** An artifact row. */
    public record ArtifactRow(String path, long size, String sha256) {
    }

    /** Records (or replaces) a run's artifact. */
    public void putArtifacts(String runId, Collection<ArtifactRow> rows) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (run_id, path, size, sha256) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, "
                    + "sha256 = excluded.sha256")) {
                for (ArtifactRow r : rows) {
                    ps.setString(1, runId);
                    ps.setString(2, r.path());
                    ps.setLong(3, r.size());
                    ps.setString(4, r.sha256());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Returns every artifact row of a run, ordered by path. */
    public List<ArtifactRow> artifacts(String runId) {
        return db.read(c -> {
            List<ArtifactRow> rows = new ArrayList<>();
            forEachRow(c, "SELECT path, size, sha256 FROM artifacts WHERE run_id = ? ORDER BY path", List.of(runId),
                    rs -> rows.add(new ArtifactRow(rs.getString(1), rs.getLong(2), rs.getString(3))));
            return rows;
        });
    }
}
