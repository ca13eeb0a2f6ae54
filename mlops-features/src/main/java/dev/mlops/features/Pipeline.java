package dev.mlops.features;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.Progress;
import dev.mlops.features.internal.Frames;
import dev.mlops.features.internal.Names;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.features.internal.OfflineStore.SqlColumn;
import dev.mlops.features.internal.Schemas;
import dev.mlops.features.internal.Sql;
import dev.mlops.features.internal.ViewLayout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature pipeline: reads a source, transforms it step by step, and writes the result into a feature view's
 * offline table. The steps compile to one SQL query run by the embedded engine (DuckDB), so sources larger than
 * memory stream through it.
 *
 * <pre>{@code
 * PipelineRun run = store.pipeline("tumour_features")
 *         .from(Source.csv(Path.of("biopsies.csv")))
 *         .filter("mean_area > 0")
 *         .derive("area_ratio", "worst_area / mean_area")
 *         .deduplicate("patient_id", "event_timestamp")
 *         .aggregate("patient_id", Aggregation.mean("mean_radius", Duration.ofDays(90)))
 *         .into("tumour_stats")
 *         .run();
 * }</pre>
 *
 * <p><b>Incremental and idempotent.</b> A pipeline keeps a watermark: the latest event time it has written. {@link
 * #run()} processes the rows after the watermark, {@link #runUntil(Instant)} those up to a given time, and {@link
 * #backfill(Instant, Instant)} recomputes any past window. A run replaces the view's rows in its window, so running
 * the same window twice gives the same rows, never duplicates. Window aggregations read as far back before the window
 * as their longest window needs. Rows that arrive late (after the watermark moved past their time) are picked up by a
 * backfill of their window.
 *
 * <p><b>Atomic.</b> A run writes in one transaction: it either replaces the whole window and moves the watermark, or,
 * when anything fails (a bad expression, a schema mismatch, a null key, a crash), changes nothing.
 *
 * <p>Expressions in {@link #filter} and {@link #derive} are SQL evaluated by DuckDB; they are code, so they must never
 * be built from end-user input. A pipeline is immutable: each method returns a new pipeline, and one pipeline can be
 * run from several threads (runs of all pipelines of a store are serialized).
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final String STAGE = "__mlops_stage";

    private final Context ctx;
    private final Catalog catalog;
    private final String name;
    private final Source source;
    private final List<Step> steps;
    private final String target;
    private final String timestampColumn;

    private sealed interface Step {
    }

    private record Filter(String condition) implements Step {
    }

    private record Derive(String column, String expression) implements Step {
    }

    private record Select(List<String> columns) implements Step {
    }

    private record Rename(String from, String to) implements Step {
    }

    private record Deduplicate(List<String> keys) implements Step {
    }

    private record Aggregate(List<String> keys, List<Aggregation> aggregations) implements Step {
    }

    private record Join(Source other, List<String> keys, boolean inner) implements Step {
        @Override
        public String toString() {
            return "Join[" + other.describe() + ", keys=" + keys + ", inner=" + inner + "]";
        }
    }

    Pipeline(Context ctx, Catalog catalog, String name) {
        this(ctx, catalog, Names.definition("pipeline", name), null, List.of(), null, null);
    }

    private Pipeline(Context ctx, Catalog catalog, String name, Source source, List<Step> steps, String target,
            String timestampColumn) {
        this.ctx = ctx;
        this.catalog = catalog;
        this.name = name;
        this.source = source;
        this.steps = steps;
        this.target = target;
        this.timestampColumn = timestampColumn;
    }

    private Pipeline with(Step step) {
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        return new Pipeline(ctx, catalog, name, source, List.copyOf(more), target, timestampColumn);
    }

    /**
     * Returns the name, which keys the watermark.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Sets the source.
     *
     * @param rows a CSV or Parquet file, a JDBC query, a frame or another view's offline rows
     * @return the new pipeline
     * @throws InvalidArgumentException if the source is the offline-store marker
     */
    public Pipeline from(Source rows) {
        if (rows instanceof Source.Offline) {
            throw new InvalidArgumentException("pipeline '" + name + "' needs a concrete source; to read a view's rows "
                    + "use Source.view(name)");
        }
        return new Pipeline(ctx, catalog, name, java.util.Objects.requireNonNull(rows, "source"), steps, target,
                timestampColumn);
    }

    /**
     * Keeps the rows for which a SQL condition holds.
     *
     * @param condition for instance {@code "mean_area > 0 AND diagnosis IS NOT NULL"}
     * @return the new pipeline
     * @throws InvalidArgumentException if the condition could end the statement it is placed in
     */
    public Pipeline filter(String condition) {
        return with(new Filter(Sql.expression("filter of pipeline '" + name + "'", condition)));
    }

    /**
     * Adds (or replaces) a column computed by a SQL expression over the row.
     *
     * @param column the column's name
     * @param expression for instance {@code "worst_area / mean_area"}
     * @return the new pipeline
     * @throws InvalidArgumentException if the name is not allowed or the expression could end its statement
     */
    public Pipeline derive(String column, String expression) {
        Names.column("derived column of pipeline '" + name + "'", column);
        return with(new Derive(column, Sql.expression("expression of '" + column + "' in pipeline '" + name + "'",
                expression)));
    }

    /**
     * Keeps only some columns.
     *
     * @param columns the columns, in order
     * @return the new pipeline
     */
    public Pipeline select(String... columns) {
        if (columns.length == 0) {
            throw new InvalidArgumentException("select of pipeline '" + name + "' needs at least one column");
        }
        return with(new Select(List.of(columns)));
    }

    /**
     * Renames a column.
     *
     * @param from the current name
     * @param to the new name
     * @return the new pipeline
     */
    public Pipeline rename(String from, String to) {
        Names.column("renamed column of pipeline '" + name + "'", to);
        return with(new Rename(java.util.Objects.requireNonNull(from, "from"), to));
    }

    /**
     * Keeps the latest row (by event time, then by source order) of each combination of key columns.
     *
     * @param keyColumns the columns that identify a row, for instance the join key, or the join key and the time
     * @return the new pipeline
     */
    public Pipeline deduplicate(String... keyColumns) {
        if (keyColumns.length == 0) {
            throw new InvalidArgumentException("deduplicate of pipeline '" + name + "' needs at least one key column");
        }
        return with(new Deduplicate(List.of(keyColumns)));
    }

    /**
     * Adds per-entity aggregations over trailing time windows, evaluated at every row.
     *
     * @param keyColumn the entity column
     * @param aggregations the aggregations
     * @return the new pipeline
     */
    public Pipeline aggregate(String keyColumn, Aggregation... aggregations) {
        return aggregate(List.of(keyColumn), aggregations);
    }

    /**
     * Adds aggregations per combination of key columns over trailing time windows, evaluated at every row.
     *
     * @param keyColumns the columns that identify an entity
     * @param aggregations the aggregations
     * @return the new pipeline
     */
    public Pipeline aggregate(List<String> keyColumns, Aggregation... aggregations) {
        if (keyColumns.isEmpty() || aggregations.length == 0) {
            throw new InvalidArgumentException("aggregate of pipeline '" + name + "' needs key columns and aggregations");
        }
        return with(new Aggregate(List.copyOf(keyColumns), List.of(aggregations)));
    }

    /**
     * Adds the columns of another source, matched on equal key columns; rows without a match keep nulls.
     *
     * @param other the other source (its rows should be unique per key)
     * @param keyColumns the columns both sides share
     * @return the new pipeline
     */
    public Pipeline join(Source other, String... keyColumns) {
        return join(other, false, keyColumns);
    }

    /**
     * Adds the columns of another source, matched on equal key columns; rows without a match are dropped.
     *
     * @param other the other source
     * @param keyColumns the columns both sides share
     * @return the new pipeline
     */
    public Pipeline innerJoin(Source other, String... keyColumns) {
        return join(other, true, keyColumns);
    }

    private Pipeline join(Source other, boolean inner, String... keyColumns) {
        if (keyColumns.length == 0) {
            throw new InvalidArgumentException("join of pipeline '" + name + "' needs at least one key column");
        }
        if (other instanceof Source.Offline) {
            throw new InvalidArgumentException("pipeline '" + name + "' cannot join the offline-store marker; use "
                    + "Source.view(name)");
        }
        return with(new Join(other, List.of(keyColumns), inner));
    }

    /**
     * Sets the column holding each row's event time; by default the target view's timestamp column.
     *
     * @param column the column
     * @return the new pipeline
     */
    public Pipeline timestampColumn(String column) {
        return new Pipeline(ctx, catalog, name, source, steps, target, java.util.Objects.requireNonNull(column, "column"));
    }

    /**
     * Sets the feature view the rows are written to.
     *
     * @param view the view's name; it must read the offline store
     * @return the new pipeline
     */
    public Pipeline into(String view) {
        return new Pipeline(ctx, catalog, name, source, steps, Names.definition("feature view", view), timestampColumn);
    }

    // ---------------------------------------------------------------- running

    /**
     * Processes the source rows after the watermark, up to the latest event time in the source.
     *
     * @return what was written; empty when there was nothing new
     * @throws InvalidArgumentException if a step or the output does not fit the view (nothing is written then)
     */
    public PipelineRun run() {
        return execute(Mode.INCREMENTAL, null, null);
    }

    /**
     * Processes the source rows after the watermark up to a time, which becomes the watermark.
     *
     * @param end the window's end (inclusive)
     * @return what was written
     * @throws ConflictException if the end is before the watermark (a watermark never moves back)
     */
    public PipelineRun runUntil(Instant end) {
        return execute(Mode.INCREMENTAL, null, java.util.Objects.requireNonNull(end, "end"));
    }

    /**
     * Recomputes a window: replaces the view's rows with event times in {@code (start, end]} by what the source
     * yields for them now. The watermark moves to {@code end} if that is later.
     *
     * @param start the window's start (exclusive), or null for everything up to {@code end}
     * @param end the window's end (inclusive)
     * @return what was written
     * @throws InvalidArgumentException if the window is empty
     */
    public PipelineRun backfill(Instant start, Instant end) {
        java.util.Objects.requireNonNull(end, "end");
        if (start != null && !start.isBefore(end)) {
            throw new InvalidArgumentException("backfill window of pipeline '" + name + "' must end after it starts, but "
                    + "runs from " + start + " to " + end);
        }
        return execute(Mode.BACKFILL, start, end);
    }

    /**
     * Returns the watermark: the latest event time written by an incremental run or backfill.
     *
     * @return the watermark, if the pipeline ever ran
     */
    public Optional<Instant> watermark() {
        OptionalLong w = ctx.offline.read(c -> ctx.offline.watermark(c, name));
        return w.isPresent() ? Optional.of(TimestampColumn.toInstant(w.getAsLong())) : Optional.empty();
    }

    /**
     * Computes the first rows of the pipeline's output without writing anything.
     *
     * @param rows the most rows to return
     * @return the rows, with every column the steps produce
     */
    public Frame preview(int rows) {
        if (rows < 0) {
            throw new InvalidArgumentException("preview size must not be negative, but was " + rows);
        }
        return ctx.offline.read(c -> {
            List<String> temps = new ArrayList<>();
            try {
                Compiled q = compile(c, temps, false);
                String body = q.body(null, null);
                return fetchFrame(c, "(" + body + " SELECT * EXCLUDE (" + OfflineStore.ROW + ") FROM " + q.last()
                        + " LIMIT " + rows + ")");
            } finally {
                drop(c, temps);
            }
        });
    }

    /**
     * Returns the SQL the steps compile to (for the whole source, without a window), for review and debugging.
     *
     * @return the query
     */
    public String sql() {
        return ctx.offline.read(c -> {
            List<String> temps = new ArrayList<>();
            try {
                Compiled q = compile(c, temps, false);
                return q.body(null, null) + " SELECT * FROM " + q.last();
            } finally {
                drop(c, temps);
            }
        });
    }

    private enum Mode {
        INCREMENTAL, BACKFILL
    }

    private PipelineRun execute(Mode mode, Instant start, Instant end) {
        if (source == null) {
            throw new InvalidArgumentException("pipeline '" + name + "' has no source; call from(...)");
        }
        if (target == null) {
            throw new InvalidArgumentException("pipeline '" + name + "' has no target view; call into(...)");
        }
        long began = System.nanoTime();
        long startedMicros = ctx.nowMicros();
        ViewLayout layout = catalog.layout(target);
        if (!layout.isOfflineTable()) {
            throw new InvalidArgumentException("pipeline '" + name + "' cannot write feature view '" + target
                    + "', which reads " + layout.source().describe() + "; pipelines write views on the offline store");
        }
        catalog.ensureTable(layout);
        String plan = planSha256();
        try (Progress p = Progress.start(ctx.progress, "pipeline " + name, -1)) {
            PipelineRun run = ctx.offline.write(c -> {
                List<String> temps = new ArrayList<>();
                try {
                    return write(c, temps, layout, mode, start, end, plan, startedMicros, began);
                } finally {
                    drop(c, temps);
                }
            });
            p.advance(run.rowsWritten());
            p.finish();
            LOG.info("pipeline '{}' wrote {} rows into feature view '{}' for ({}, {}]; watermark {}", name,
                    run.rowsWritten(), target, run.windowStart(), run.windowEnd(), run.watermark());
            return run;
        } catch (MlopsException e) {
            LOG.warn("pipeline '{}' failed and changed nothing: {}", name, e.getMessage());
            throw e;
        }
    }

    private PipelineRun write(DuckDBConnection c, List<String> temps, ViewLayout layout, Mode mode, Instant start,
            Instant end, String plan, long startedMicros, long began) throws SQLException {
        Compiled q = compile(c, temps, true);
        OptionalLong watermark = ctx.offline.watermark(c, name);
        Long lo;
        Long hi;
        if (mode == Mode.BACKFILL) {
            lo = start == null ? null : TimestampColumn.toMicros(start);
            hi = TimestampColumn.toMicros(end);
        } else {
            lo = watermark.isPresent() ? watermark.getAsLong() : null;
            if (end != null) {
                hi = TimestampColumn.toMicros(end);
                if (lo != null && hi < lo) {
                    throw new ConflictException("pipeline '" + name + "' (feature view '" + target + "') has watermark "
                            + TimestampColumn.toInstant(lo) + "; an incremental run cannot end earlier, at " + end
                            + " (use backfill to recompute the past)");
                }
            } else {
                hi = maxEventTime(c, q);
            }
            if (hi == null || (lo != null && hi <= lo)) {
                return new PipelineRun(name, target, lo == null ? null : TimestampColumn.toInstant(lo), null, 0,
                        lo == null ? null : TimestampColumn.toInstant(lo), plan,
                        Duration.ofNanos(System.nanoTime() - began));
            }
        }
        // Output columns, checked against the view before anything is computed.
        List<SqlColumn> produced = describe(c, "(" + q.body(null, null) + " SELECT * FROM " + q.last() + ")", "output");
        Map<Field, String> roles = Catalog.roles(layout);
        Map<Field, String> matched = Schemas.check("pipeline '" + name + "'", "feature view '" + target + "'", produced,
                roles);
        StringBuilder select = new StringBuilder();
        List<String> targetColumns = new ArrayList<>();
        for (Map.Entry<Field, String> m : matched.entrySet()) {
            Field f = m.getKey();
            select.append(select.length() == 0 ? "" : ", ").append("CAST(").append(Sql.id(m.getValue())).append(" AS ")
                    .append(Sql.type(f.type())).append(") AS ").append(Sql.id(f.name()));
            targetColumns.add(Sql.id(f.name()));
        }
        String cols = String.join(", ", targetColumns);
        OfflineStore.exec(c, "CREATE TEMP TABLE " + STAGE + " AS SELECT DISTINCT " + select + " FROM (" + q.body(lo, hi)
                + " SELECT * FROM " + q.last() + " WHERE " + window(q.timestamp(), lo, hi) + ")");
        temps.add(STAGE);
        checkStage(c, layout);
        String ts = Sql.id(layout.timestampColumn());
        OfflineStore.exec(c, "DELETE FROM " + Sql.id(layout.table()) + " WHERE " + window(ts, lo, hi));
        OfflineStore.exec(c, "INSERT INTO " + Sql.id(layout.table()) + " (" + cols + ") SELECT " + cols + " FROM "
                + STAGE);
        long rows = OfflineStore.queryLong(c, "SELECT count(*) FROM " + STAGE);
        long newWatermark = watermark.isPresent() ? Math.max(watermark.getAsLong(), hi) : hi;
        ctx.offline.setWatermark(c, name, newWatermark, plan, ctx.nowMicros());
        ctx.offline.logRun(c, name, target, lo, hi, rows, plan, startedMicros, ctx.nowMicros());
        return new PipelineRun(name, target, lo == null ? null : TimestampColumn.toInstant(lo),
                TimestampColumn.toInstant(hi), rows, TimestampColumn.toInstant(newWatermark), plan,
                Duration.ofNanos(System.nanoTime() - began));
    }

    private void checkStage(DuckDBConnection c, ViewLayout layout) throws SQLException {
        List<String> required = new ArrayList<>();
        layout.keys().forEach(k -> required.add(k.name()));
        required.add(layout.timestampColumn());
        for (String col : required) {
            Long nulls = OfflineStore.queryLong(c, "SELECT count(*) FROM " + STAGE + " WHERE " + Sql.id(col)
                    + " IS NULL");
            if (nulls != null && nulls > 0) {
                throw new InvalidArgumentException("pipeline '" + name + "' produced " + nulls + " rows with a null '"
                        + col + "', which feature view '" + target + "' needs; nothing was written (filter them out)");
            }
        }
        StringBuilder pk = new StringBuilder();
        for (Field k : layout.keys()) {
            pk.append(Sql.id(k.name())).append(", ");
        }
        pk.append(Sql.id(layout.timestampColumn()));
        if (layout.createdColumn() != null) {
            pk.append(", ").append(Sql.id(layout.createdColumn()));
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) OVER (), " + pk
                + " FROM " + STAGE + " GROUP BY " + pk + " HAVING count(*) > 1 LIMIT 1")) {
            if (rs.next()) {
                StringBuilder example = new StringBuilder();
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    example.append(i == 2 ? "" : ", ").append(rs.getMetaData().getColumnName(i)).append('=')
                            .append(rs.getObject(i));
                }
                throw new InvalidArgumentException("pipeline '" + name + "' produced different rows for the same key "
                        + "and time, for instance " + example + " (" + rs.getLong(1) + " such keys); nothing was "
                        + "written. Add deduplicate(...) or a created timestamp column to the view");
            }
        }
    }

    private static String window(String ts, Long lo, Long hi) {
        String t = "CAST(" + ts + " AS TIMESTAMP)";
        StringBuilder w = new StringBuilder(t).append(" <= make_timestamp((").append(hi).append(")::BIGINT)");
        if (lo != null) {
            w.append(" AND ").append(t).append(" > make_timestamp((").append(lo).append(")::BIGINT)");
        }
        return w.toString();
    }

    private Long maxEventTime(DuckDBConnection c, Compiled q) throws SQLException {
        return OfflineStore.queryLong(c, q.body(null, null) + " SELECT epoch_us(max(CAST(" + q.timestamp()
                + " AS TIMESTAMP))) FROM " + q.windowed());
    }

    private String planSha256() {
        return DefinitionCodec.sha256("mlops-pipeline/v1|" + name + "|" + source.describe() + "|" + steps + "|" + target
                + "|" + timestampColumn);
    }

    // ---------------------------------------------------------------- compiling

    /**
     * The compiled steps: {@code __mlops_s0} reads the source and {@code __mlops_sK} is step K's output; each step
     * reads {@code __mlops_wK}, which passes its input through, except after the expression where the event time is
     * last defined, where it keeps the window (and the aggregations' look-back).
     *
     * @param ctes the expressions {@code __mlops_s0} to {@code __mlops_sN}
     * @param timestamp the quoted event-time column, or null
     * @param windowAfter the index of the expression the window filter follows
     * @param lookback how far before the window the aggregations read, in microseconds
     */
    private record Compiled(List<String> ctes, String timestamp, int windowAfter, long lookback) {
        String last() {
            return "__mlops_w" + (ctes.size() - 1);
        }

        String windowed() {
            return "__mlops_s" + windowAfter;
        }

        /** Returns {@code WITH ...}, filtering to {@code (lo - lookback, hi]} when {@code hi} is set. */
        String body(Long lo, Long hi) {
            Long from = lo;
            if (lo != null && lookback > 0) {
                from = lo - lookback < lo ? lo - lookback : null; // a look-back past the earliest time reads all
            }
            return chain(ctes, hi == null ? -1 : windowAfter, hi == null ? null : window(timestamp, from, hi));
        }
    }

    private static String chain(List<String> ctes, int filtered, String filter) {
        StringBuilder sb = new StringBuilder("WITH ");
        for (int i = 0; i < ctes.size(); i++) {
            sb.append(i == 0 ? "" : ",\n ").append("__mlops_s").append(i).append(" AS (").append(ctes.get(i))
                    .append("),\n __mlops_w").append(i).append(" AS (SELECT * FROM __mlops_s").append(i);
            if (i == filtered) {
                sb.append(" WHERE ").append(filter);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private Compiled compile(DuckDBConnection c, List<String> temps, boolean needTimestamp) throws SQLException {
        if (source == null) {
            throw new InvalidArgumentException("pipeline '" + name + "' has no source; call from(...)");
        }
        String ts = timestampColumn;
        if (ts == null && target != null) {
            ts = catalog.layout(target).timestampColumn();
        }
        List<String> ctes = new ArrayList<>();
        ctes.add("SELECT * FROM " + relation(c, source, temps, true));
        List<SqlColumn> cols = describeChain(c, ctes, "source " + source.describe());
        int windowAfter = 0;
        String tsCol = ts == null ? null : findOrNull(cols, ts);
        long lookback = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String prev = "__mlops_w" + i;
            String where = "pipeline '" + name + "', step " + (i + 1) + " (" + describe(step) + ")";
            String sql;
            if (step instanceof Filter f) {
                sql = "SELECT * FROM " + prev + " WHERE (" + f.condition() + ")";
            } else if (step instanceof Derive d) {
                String existing = findOrNull(cols, d.column());
                sql = existing == null ? "SELECT *, (" + d.expression() + ") AS " + Sql.id(d.column()) + " FROM " + prev
                        : "SELECT * REPLACE ((" + d.expression() + ") AS " + Sql.id(existing) + ") FROM " + prev;
            } else if (step instanceof Select sel) {
                StringBuilder sb = new StringBuilder("SELECT ");
                for (String col : sel.columns()) {
                    sb.append(Sql.id(find(cols, col, where))).append(", ");
                }
                sql = sb.append(OfflineStore.ROW).append(" FROM ").append(prev).toString();
            } else if (step instanceof Rename r) {
                String from = find(cols, r.from(), where);
                String clash = findOrNull(cols, r.to());
                if (clash != null && !clash.equalsIgnoreCase(from)) {
                    throw new InvalidArgumentException(where + ": column '" + clash + "' exists already");
                }
                StringBuilder sb = new StringBuilder("SELECT ");
                for (int k = 0; k < cols.size(); k++) {
                    String n = cols.get(k).name();
                    sb.append(k == 0 ? "" : ", ").append(Sql.id(n));
                    if (n.equals(from)) {
                        sb.append(" AS ").append(Sql.id(r.to()));
                    }
                }
                sql = sb.append(" FROM ").append(prev).toString();
            } else if (step instanceof Deduplicate d) {
                requireTimestamp(tsCol, ts, where);
                sql = "SELECT * FROM " + prev + " QUALIFY row_number() OVER (PARTITION BY " + list(cols, d.keys(), where)
                        + " ORDER BY CAST(" + Sql.id(tsCol) + " AS TIMESTAMP) DESC NULLS LAST, " + OfflineStore.ROW
                        + " DESC) = 1";
            } else if (step instanceof Aggregate a) {
                requireTimestamp(tsCol, ts, where);
                String partition = list(cols, a.keys(), where);
                StringBuilder sb = new StringBuilder("SELECT *");
                Set<String> seen = new HashSet<>();
                for (Aggregation agg : a.aggregations()) {
                    if (findOrNull(cols, agg.alias()) != null || !seen.add(agg.alias().toLowerCase(Locale.ROOT))) {
                        throw new InvalidArgumentException(where + ": column '" + agg.alias() + "' exists already");
                    }
                    String col = agg.column() == null ? null : Sql.id(find(cols, agg.column(), where));
                    String fn = switch (agg.function()) {
                        case COUNT -> col == null ? "count(*)" : "count(" + col + ")";
                        case SUM -> "sum(CAST(" + col + " AS DOUBLE))";
                        case MEAN -> "avg(" + col + ")";
                        case MIN -> "min(" + col + ")";
                        case MAX -> "max(" + col + ")";
                    };
                    long preceding = agg.windowMicros() - 1;
                    sb.append(", ").append(fn).append(" OVER (PARTITION BY ").append(partition)
                            .append(" ORDER BY CAST(").append(Sql.id(tsCol)).append(" AS TIMESTAMP) RANGE BETWEEN ")
                            .append("to_microseconds(").append(preceding).append("::BIGINT) PRECEDING AND CURRENT ROW)")
                            .append(" AS ").append(Sql.id(agg.alias()));
                    lookback = Math.max(lookback, agg.windowMicros());
                }
                sql = sb.append(" FROM ").append(prev).toString();
            } else if (step instanceof Join j) {
                String rel = "(SELECT * EXCLUDE (" + OfflineStore.ROW + ") FROM " + relation(c, j.other(), temps, true)
                        + ")";
                List<SqlColumn> right = describe(c, rel, where);
                StringBuilder on = new StringBuilder();
                Set<String> keys = new HashSet<>();
                for (String k : j.keys()) {
                    String l = find(cols, k, where);
                    String r = find(right, k, where + " (joined side)");
                    on.append(on.length() == 0 ? "" : " AND ").append("l.").append(Sql.id(l)).append(" = r.")
                            .append(Sql.id(r));
                    keys.add(r.toLowerCase(Locale.ROOT));
                }
                StringBuilder sb = new StringBuilder("SELECT l.*");
                for (SqlColumn rc : right) {
                    if (keys.contains(rc.name().toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    if (findOrNull(cols, rc.name()) != null) {
                        throw new InvalidArgumentException(where + ": both sides have a column '" + rc.name()
                                + "'; rename one side first");
                    }
                    sb.append(", r.").append(Sql.id(rc.name()));
                }
                sql = sb.append(" FROM ").append(prev).append(" l ").append(j.inner() ? "INNER" : "LEFT")
                        .append(" JOIN ").append(rel).append(" r ON ").append(on).toString();
            } else {
                throw new IllegalStateException("unknown step " + step);
            }
            ctes.add(sql);
            cols = describeChain(c, ctes, where);
            if ((step instanceof Derive d && ts != null && d.column().equalsIgnoreCase(ts))
                    || (step instanceof Rename r && ts != null && r.to().equalsIgnoreCase(ts))) {
                windowAfter = i + 1;
                tsCol = findOrNull(cols, ts);
                lookback = 0;
            }
        }
        if (needTimestamp) {
            requireTimestamp(tsCol, ts, "pipeline '" + name + "'");
        }
        return new Compiled(List.copyOf(ctes), tsCol == null ? null : Sql.id(tsCol), windowAfter, lookback);
    }

    private void requireTimestamp(String tsCol, String ts, String where) {
        if (ts == null) {
            throw new InvalidArgumentException(where + " needs an event-time column: call into(view) or "
                    + "timestampColumn(column)");
        }
        if (tsCol == null) {
            throw new InvalidArgumentException(where + ": the rows have no timestamp column '" + ts + "'");
        }
    }

    private static String describe(Step step) {
        if (step instanceof Filter f) {
            return "filter " + f.condition();
        } else if (step instanceof Derive d) {
            return "derive " + d.column();
        } else if (step instanceof Select s) {
            return "select " + s.columns();
        } else if (step instanceof Rename r) {
            return "rename " + r.from() + " to " + r.to();
        } else if (step instanceof Deduplicate d) {
            return "deduplicate " + d.keys();
        } else if (step instanceof Aggregate a) {
            return "aggregate by " + a.keys();
        } else if (step instanceof Join j) {
            return (j.inner() ? "inner join " : "join ") + j.other().describe();
        }
        return step.toString();
    }

    private List<SqlColumn> describeChain(DuckDBConnection c, List<String> ctes, String where) throws SQLException {
        return describe(c, "(" + chain(ctes, -1, null) + " SELECT * FROM __mlops_w" + (ctes.size() - 1) + ")", where);
    }

    private List<SqlColumn> describe(DuckDBConnection c, String relation, String where) throws SQLException {
        try {
            return OfflineStore.describe(c, relation);
        } catch (SQLException e) {
            throw OfflineStore.failure(where.startsWith("pipeline") ? where : "pipeline '" + name + "', " + where, e);
        }
    }

    private String relation(DuckDBConnection c, Source s, List<String> temps, boolean rowNumber) throws SQLException {
        if (s instanceof Source.Csv || s instanceof Source.Parquet) {
            return "(SELECT *, row_number() OVER () - 1 AS " + OfflineStore.ROW + " FROM " + OfflineStore.fileRelation(s)
                    + ")";
        }
        if (s instanceof Source.View v) {
            ViewLayout other = catalog.layout(v.view());
            String rel = other.isOfflineTable() ? Sql.id(other.table()) : OfflineStore.fileRelation(other.source());
            if (other.isOfflineTable() && OfflineStore.tableColumns(c, other.table()).isEmpty()) {
                throw new NotFoundException("feature view '" + v.view() + "' has no rows yet");
            }
            return "(SELECT *, row_number() OVER () - 1 AS " + OfflineStore.ROW + " FROM " + rel + ")";
        }
        String table = "__mlops_src_" + temps.size();
        if (s instanceof Source.FrameData fd) {
            Frames.toTempTable(c, table, fd.frame(), fd.frame().schema().names(), rowNumber);
        } else if (s instanceof Source.Jdbc jdbc) {
            Frames.jdbcToTempTable(c, table, jdbc, ctx.batchSize);
        } else {
            throw new InvalidArgumentException("pipeline '" + name + "' cannot read " + s.describe());
        }
        temps.add(table);
        return Sql.id(table);
    }

    private static void drop(DuckDBConnection c, List<String> temps) {
        for (String t : temps) {
            try {
                OfflineStore.exec(c, "DROP TABLE IF EXISTS " + Sql.id(t));
            } catch (SQLException e) {
                LOG.debug("dropping temporary table {} failed; the connection closes next", t, e);
            }
        }
    }

    private static String findOrNull(List<SqlColumn> cols, String name) {
        for (SqlColumn c : cols) {
            if (c.name().equalsIgnoreCase(name)) {
                return c.name();
            }
        }
        return null;
    }

    private static String find(List<SqlColumn> cols, String name, String where) {
        String found = findOrNull(cols, name);
        if (found == null) {
            throw new InvalidArgumentException(where + ": there is no column '" + name + "'; the columns are "
                    + cols.stream().map(SqlColumn::name).filter(n -> !n.startsWith("__mlops")).toList());
        }
        return found;
    }

    private static String list(List<SqlColumn> cols, List<String> names, String where) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append(Sql.id(find(cols, n, where)));
        }
        return sb.toString();
    }

    private Frame fetchFrame(DuckDBConnection c, String relation) throws SQLException {
        List<SqlColumn> cols = describe(c, relation, "preview");
        List<Field> fields = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) {
            SqlColumn col = cols.get(i);
            DataType t = col.dataType() == null ? DataType.STRING : col.dataType();
            fields.add(Field.of(col.name(), t));
            select.append(i == 0 ? "" : ", ").append(Frames.fetchExpression(Sql.id(col.name()), t));
        }
        Frames.Collector collector = new Frames.Collector(fields, 1, 64);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select + " FROM " + relation)) {
            while (rs.next()) {
                collector.add(rs);
            }
        }
        return collector.drainFrame();
    }

    @Override
    public String toString() {
        return "Pipeline[" + name + ": " + (source == null ? "no source" : source.describe()) + ", " + steps.size()
                + " steps -> " + target + "]";
    }
}
