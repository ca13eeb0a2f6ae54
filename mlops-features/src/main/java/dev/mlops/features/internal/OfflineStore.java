package dev.mlops.features.internal;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.features.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline store: one embedded DuckDB database file holding a table per feature view, the pipelines' watermarks
 * and their run log.
 *
 * <p>Reads run concurrently, each on a connection of its own. Writes are serialized by a lock and each runs in one
 * transaction, so a failed write leaves no trace and a crash leaves either all of a write or none of it. Several
 * stores opened on the same file in one process share one database; another process cannot open the file while it
 * is open here. Thread-safe.
 */
public final class OfflineStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineStore.class);
    private static final Map<Path, OfflineStore> OPEN = new HashMap<>();
    /** The hidden column that numbers the rows of a source in their original order. */
    public static final String ROW = "__mlops_row";

    private final Path file;
    private final DuckDBConnection root;
    private final ReentrantLock writeLock = new ReentrantLock();
    private int references;

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param c the connection
         * @return the result
         * @throws SQLException if the engine fails
         */
        T apply(DuckDBConnection c) throws SQLException;
    }

    /**
     * A column as the engine describes it.
     *
     * @param name the column name
     * @param sqlType the engine's type name
     */
    public record SqlColumn(String name, String sqlType) {
        /**
         * Returns the matching data type.
         *
         * @return the type, or null when there is none
         */
        public DataType dataType() {
            return Sql.dataType(sqlType);
        }
    }

    private OfflineStore(Path file, DuckDBConnection root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Opens (creating if needed) the offline store in a file, or joins the one already open on it in this process.
     *
     * @param file the database file
     * @param tempDirectory where the engine spills intermediate results that do not fit in memory
     * @param memoryLimit the engine's memory limit, for instance {@code "4GB"}, or null for the engine's default
     * @param threads the engine's worker threads, or 0 for one per core
     * @return the store; close it when done
     * @throws UnavailableException if the file is open in another process or cannot be created
     */
    public static OfflineStore open(Path file, Path tempDirectory, String memoryLimit, int threads) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (OPEN) {
            OfflineStore open = OPEN.get(key);
            if (open != null) {
                open.references++;
                return open;
            }
            try {
                Files.createDirectories(key.getParent());
                Files.createDirectories(tempDirectory);
            } catch (IOException e) {
                throw new UnavailableException("cannot create the offline store's directory for " + key + ": "
                        + e.getMessage(), e);
            }
            Properties p = new Properties();
            p.setProperty("jdbc_stream_results", "true");
            p.setProperty("autoinstall_known_extensions", "false");
            p.setProperty("temp_directory", tempDirectory.toAbsolutePath().toString());
            if (memoryLimit != null) {
                p.setProperty("memory_limit", memoryLimit);
            }
            if (threads > 0) {
                p.setProperty("threads", Integer.toString(threads));
            }
            try {
                Class.forName("org.duckdb.DuckDBDriver");
                DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + key, p);
                try (Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL TimeZone = 'UTC'");
                    s.execute("CREATE TABLE IF NOT EXISTS __mlops_watermarks (name VARCHAR PRIMARY KEY, "
                            + "watermark_us BIGINT NOT NULL, plan_sha256 VARCHAR, updated_us BIGINT NOT NULL)");
                    s.execute("CREATE TABLE IF NOT EXISTS __mlops_pipeline_runs (pipeline VARCHAR NOT NULL, "
                            + "view VARCHAR NOT NULL, window_start_us BIGINT, window_end_us BIGINT NOT NULL, "
                            + "rows_written BIGINT NOT NULL, plan_sha256 VARCHAR NOT NULL, started_us BIGINT NOT NULL, "
                            + "finished_us BIGINT NOT NULL)");
                }
                OfflineStore store = new OfflineStore(key, c);
                store.references = 1;
                OPEN.put(key, store);
                return store;
            } catch (ClassNotFoundException e) {
                throw new UnavailableException("the DuckDB driver is not on the class path", e);
            } catch (SQLException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("lock")) {
                    throw new UnavailableException("offline store " + key + " is open in another process: " + m, e);
                }
                throw new UnavailableException("cannot open offline store " + key + ": " + m, e);
            }
        }
    }

    /**
     * Returns the database file.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Opens a connection of its own; the caller closes it.
     *
     * @return a connection sharing the database
     * @throws SQLException if the engine fails
     */
    public DuckDBConnection connect() throws SQLException {
        return (DuckDBConnection) root.duplicate();
    }

    /**
     * Runs read work on a connection of its own, in auto-commit mode.
     *
     * @param work the work
     * @param <T> the result type
     * @return the result
     * @throws UnavailableException if the engine fails for another reason than bad input
     */
    public <T> T read(Work<T> work) {
        try (DuckDBConnection c = connect()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failure("offline read", e);
        }
    }

    /**
     * Runs write work in one transaction, serialized with every other write; an exception rolls it back.
     *
     * @param work the work
     * @param <T> the result type
     * @return the result
     * @throws UnavailableException if the engine fails for another reason than bad input
     */
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try (DuckDBConnection c = connect()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("offline write", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Maps an engine failure to this library's exceptions: errors caused by the query (binder, conversion,
     * constraint) are invalid arguments, the rest are unavailability.
     *
     * @param what what was being done
     * @param e the failure
     * @return the exception to throw
     */
    public static MlopsException failure(String what, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Binder Error") || m.startsWith("Conversion Error") || m.startsWith("Parser Error")
                || m.startsWith("Invalid Input Error") || m.startsWith("Constraint Error")
                || m.startsWith("Catalog Error") || m.startsWith("Out of Range Error")) {
            return new InvalidArgumentException(what + " failed: " + firstLine(m), e);
        }
        if (m.startsWith("IO Error: No files found")) {
            return new NotFoundException(what + " failed: " + firstLine(m), e);
        }
        return new UnavailableException(what + " failed: " + firstLine(m), e);
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).trim();
    }

    /**
     * Returns the offline table of a view.
     *
     * @param view the view's name (already validated)
     * @return the table name
     */
    public static String table(String view) {
        return "fv_" + view;
    }

    // ---------------------------------------------------------------- tables

    /**
     * Creates a view's table, or adds the columns a newer definition brought; columns of a removed feature stay.
     *
     * @param c the connection
     * @param v the layout
     * @throws ConflictException if an existing column has another type than the definition says
     * @throws SQLException if the engine fails
     */
    public void ensureTable(Connection c, ViewLayout v) throws SQLException {
        Map<String, String> existing = tableColumns(c, v.table());
        if (existing.isEmpty()) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(Sql.id(v.table())).append(" (");
            List<Field> cols = v.columns();
            for (int i = 0; i < cols.size(); i++) {
                ddl.append(i == 0 ? "" : ", ").append(Sql.id(cols.get(i).name())).append(' ')
                        .append(Sql.type(cols.get(i).type()));
            }
            exec(c, ddl.append(')').toString());
            return;
        }
        for (Field f : v.columns()) {
            String have = existing.get(f.name().toLowerCase(Locale.ROOT));
            if (have == null) {
                exec(c, "ALTER TABLE " + Sql.id(v.table()) + " ADD COLUMN " + Sql.id(f.name()) + " " + Sql.type(f.type()));
            } else if (Sql.dataType(have) != f.type()) {
                throw new ConflictException("the offline table of feature view '" + v.view() + "' holds column '"
                        + f.name() + "' as " + have + " but the definition says " + f.type().jsonName()
                        + "; delete the view to drop its data, or use a new feature name");
            }
        }
    }

    /**
     * Returns a table's columns by lower-case name.
     *
     * @param c the connection
     * @param table the table
     * @return column types by lower-case name; empty when there is no such table
     * @throws SQLException if the engine fails
     */
    public static Map<String, String> tableColumns(Connection c, String table) throws SQLException {
        Map<String, String> cols = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return cols;
    }

    /**
     * Drops a view's table and its pipelines' watermarks.
     *
     * @param c the connection
     * @param view the view's name
     * @throws SQLException if the engine fails
     */
    public void dropTable(Connection c, String view) throws SQLException {
        exec(c, "DROP TABLE IF EXISTS " + Sql.id(table(view)));
    }

    /**
     * Runs a statement.
     *
     * @param c the connection
     * @param sql the statement
     * @throws SQLException if the engine fails
     */
    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Runs a query that returns one number.
     *
     * @param c the connection
     * @param sql the query
     * @return the number, or null when it is NULL
     * @throws SQLException if the engine fails
     */
    public static Long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }

    /**
     * Describes the columns of a relation without running it.
     *
     * @param c the connection
     * @param relation a query or a table expression
     * @return the columns in order
     * @throws SQLException if the relation does not bind
     */
    public static List<SqlColumn> describe(Connection c, String relation) throws SQLException {
        List<SqlColumn> cols = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rs.next()) {
                cols.add(new SqlColumn(rs.getString(1), rs.getString(2)));
            }
        }
        return cols;
    }

    // ---------------------------------------------------------------- relations

    /**
     * Returns a view's rows in the canonical shape the joins use: the join keys, {@code __et} and {@code __ct} (event
     * and created time in epoch microseconds; a missing created time counts as the event time) and the features, with
     * at most one row per keys, event time and created time (the last one written).
     *
     * @param v the layout
     * @return a parenthesized query
     */
    public String viewRows(ViewLayout v) {
        String ts = Sql.id(v.timestampColumn());
        String ct = v.createdColumn() == null ? ts : "coalesce(" + Sql.id(v.createdColumn()) + ", " + ts + ")";
        if (v.isOfflineTable()) {
            StringBuilder q = new StringBuilder("(SELECT ");
            for (Field k : v.keys()) {
                q.append(Sql.id(k.name())).append(", ");
            }
            q.append("epoch_us(").append(ts).append(") AS __et, epoch_us(").append(ct).append(") AS __ct");
            for (Field f : v.features()) {
                q.append(", ").append(Sql.id(f.name()));
            }
            return q.append(" FROM ").append(Sql.id(v.table())).append(')').toString();
        }
        StringBuilder inner = new StringBuilder("SELECT ");
        for (Field k : v.keys()) {
            inner.append("CAST(").append(Sql.id(k.name())).append(" AS ").append(Sql.type(k.type())).append(") AS ")
                    .append(Sql.id(k.name())).append(", ");
        }
        inner.append("epoch_us(CAST(").append(ts).append(" AS TIMESTAMP)) AS __et, epoch_us(CAST(").append(ct)
                .append(" AS TIMESTAMP)) AS __ct");
        for (Field f : v.features()) {
            inner.append(", CAST(").append(Sql.id(f.name())).append(" AS ").append(Sql.type(f.type())).append(") AS ")
                    .append(Sql.id(f.name()));
        }
        inner.append(", row_number() OVER () AS ").append(ROW).append(" FROM ").append(fileRelation(v.source()));
        StringBuilder partition = new StringBuilder();
        for (Field k : v.keys()) {
            partition.append(Sql.id(k.name())).append(", ");
        }
        return "(SELECT * EXCLUDE (" + ROW + ") FROM (" + inner + ") QUALIFY row_number() OVER (PARTITION BY "
                + partition + "__et, __ct ORDER BY " + ROW + " DESC) = 1)";
    }

    /**
     * Returns the table function that reads a file source.
     *
     * @param source a CSV or Parquet source
     * @return the table expression
     * @throws NotFoundException if a plain (non-glob) file does not exist
     */
    public static String fileRelation(Source source) {
        if (source instanceof Source.Csv csv) {
            checkExists(csv.path());
            return "read_csv(" + Sql.path(csv.path()) + ", header = true, delim = " + Sql.literal(String.valueOf(
                    csv.delimiter())) + ", auto_detect = true)";
        }
        if (source instanceof Source.Parquet pq) {
            checkExists(pq.path());
            return "read_parquet(" + Sql.path(pq.path()) + ")";
        }
        throw new IllegalArgumentException("not a file source: " + source);
    }

    private static void checkExists(Path path) {
        String s = path.toString();
        boolean glob = s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
        if (!glob && !Files.isRegularFile(path)) {
            throw new NotFoundException("source file " + path.toAbsolutePath().normalize() + " does not exist");
        }
    }

    // ---------------------------------------------------------------- watermarks

    /**
     * Reads a watermark.
     *
     * @param c the connection
     * @param name the pipeline's name
     * @return the watermark in epoch microseconds, if one was stored
     * @throws SQLException if the engine fails
     */
    public OptionalLong watermark(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT watermark_us FROM __mlops_watermarks WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Stores a watermark.
     *
     * @param c the connection, in the write's transaction
     * @param name the pipeline's name
     * @param micros the watermark
     * @param planSha256 the digest of the pipeline's SQL
     * @param nowMicros the current time
     * @throws SQLException if the engine fails
     */
    public void setWatermark(Connection c, String name, long micros, String planSha256, long nowMicros)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO __mlops_watermarks (name, watermark_us, plan_sha256, "
                + "updated_us) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET watermark_us = excluded.watermark_us, "
                + "plan_sha256 = excluded.plan_sha256, updated_us = excluded.updated_us")) {
            ps.setString(1, name);
            ps.setLong(2, micros);
            ps.setString(3, planSha256);
            ps.setLong(4, nowMicros);
            ps.executeUpdate();
        }
    }

    /**
     * Removes a watermark.
     *
     * @param c the connection
     * @param name the pipeline's name
     * @throws SQLException if the engine fails
     */
    public void clearWatermark(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM __mlops_watermarks WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    /**
     * Appends to the run log.
     *
     * @param c the connection, in the write's transaction
     * @param pipeline the pipeline
     * @param view the view written
     * @param startMicros the window start (exclusive), or null for none
     * @param endMicros the window end (inclusive)
     * @param rows the rows written
     * @param planSha256 the digest of the pipeline's SQL
     * @param startedMicros when the run started
     * @param finishedMicros when it finished
     * @throws SQLException if the engine fails
     */
    public void logRun(Connection c, String pipeline, String view, Long startMicros, long endMicros, long rows,
            String planSha256, long startedMicros, long finishedMicros) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO __mlops_pipeline_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, view);
            if (startMicros == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, startMicros);
            }
            ps.setLong(4, endMicros);
            ps.setLong(5, rows);
            ps.setString(6, planSha256);
            ps.setLong(7, startedMicros);
            ps.setLong(8, finishedMicros);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        synchronized (OPEN) {
            if (references == 0) {
                return;
            }
            if (--references > 0) {
                return;
            }
            OPEN.remove(file);
            try {
                root.close();
            } catch (SQLException e) {
                LOG.warn("closing offline store {} failed", file, e);
            }
        }
    }

    @Override
    public String toString() {
        return "OfflineStore[" + file + "]";
    }
}
