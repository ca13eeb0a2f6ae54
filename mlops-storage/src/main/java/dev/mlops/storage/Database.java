package dev.mlops.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled SQLite or PostgreSQL database, migrated by Flyway to its newest schema when it opens.
 *
 * <p>SQLite runs in WAL mode with a long busy timeout and write transactions that take the write lock when they
 * begin, so several threads and processes can write one file; PostgreSQL uses batched inserts and an optional schema
 * of its own. Thread-safe; {@link #close()} releases the connections.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int BUSY_RETRIES = 20;

    /** The SQL dialects the store speaks. */
    public enum Dialect {
        /** SQLite through xerial's sqlite-jdbc. */
        SQLITE("sqlite"),
        /** PostgreSQL through pgjdbc. */
        POSTGRESQL("postgresql");

        private final String folder;

        Dialect(String folder) {
            this.folder = folder;
        }

        static Dialect of(String jdbcUrl) {
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                return SQLITE;
            }
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            throw new InvalidArgumentException("unsupported JDBC URL '" + jdbcUrl
                    + "'; expected jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>");
        }
    }

    /** Work on a connection that may throw SQL errors. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * Does the work.
         *
         * @param c the connection
         * @return a result
         * @throws SQLException on database errors
         */
        T apply(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String description;

    private Database(HikariDataSource pool, Dialect dialect, String description) {
        this.pool = pool;
        this.dialect = dialect;
        this.description = description;
    }

    /**
     * Opens and migrates a database.
     *
     * @param jdbcUrl a SQLite or PostgreSQL JDBC URL
     * @param schema a PostgreSQL schema to use (created if absent), or null for the default
     * @param fullSync for SQLite: sync every commit to disk
     * @param poolSize the most connections to hold
     * @param migrationLock for SQLite: a file whose lock serializes migrations between processes, or null
     * @param migrationsFolder the classpath folder under which per-dialect migration folders live
     * @param historyTable the name of the migration history table
     * @return the open database
     */
    public static Database open(String jdbcUrl, String schema, boolean fullSync, int poolSize, Path migrationLock,
            String migrationsFolder, String historyTable) {
        Dialect dialect = Dialect.of(jdbcUrl);
        if (schema != null && (dialect != Dialect.POSTGRESQL || !SCHEMA_NAME.matcher(schema).matches())) {
            throw new InvalidArgumentException("schema '" + schema + "' must be a lower-case SQL identifier and needs "
                    + "PostgreSQL");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("mlops-" + historyTable);
        config.setConnectionTimeout(60_000);
        if (dialect == Dialect.SQLITE) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", fullSync ? "FULL" : "NORMAL");
            config.addDataSourceProperty("busy_timeout", "60000");
            config.addDataSourceProperty("foreign_keys", "true");
            // Write transactions take the write lock when they begin, so two writers queue on busy_timeout instead
            // of failing when a read lock cannot be upgraded.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("cache_size", "-65536");
        } else {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            if (schema != null) {
                config.setConnectionInitSql("SET search_path TO " + schema);
            }
        }
        String description = redact(jdbcUrl);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot connect to " + description + ": " + rootMessage(e), e);
        }
        try {
            migrate(pool, dialect, schema, migrationLock, migrationsFolder, historyTable);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect, description);
    }

    private static void migrate(HikariDataSource pool, Dialect dialect, String schema, Path lockFile, String folder,
            String historyTable) {
        var config = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:" + folder + "/" + dialect.folder)
                .table(historyTable)
                .loggers("slf4j");
        if (schema != null) {
            config.schemas(schema).createSchemas(true);
        }
        Flyway flyway = config.load();
        try {
            if (lockFile != null) {
                // Flyway cannot lock a SQLite database against another process, so a file lock serializes the
                // first start of two processes on one store (each then sees the schema up to date).
                Files.createDirectories(lockFile.toAbsolutePath().getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    flyway.migrate();
                }
            } else {
                flyway.migrate();
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot lock " + lockFile + " for the schema migration: " + e.getMessage(), e);
        } catch (FlywayException e) {
            throw new UnavailableException("cannot migrate the schema (" + historyTable + "): " + e.getMessage(), e);
        }
    }

    /**
     * Returns the dialect.
     *
     * @return SQLite or PostgreSQL
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs work in one transaction, retrying a few times when SQLite reports the database busy.
     *
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws UnavailableException if the database fails
     */
    public <T> T inTransaction(SqlWork<T> work) {
        SQLException last = null;
        for (int attempt = 0; attempt < BUSY_RETRIES; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.apply(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (!isBusy(e)) {
                    throw failure(e);
                }
                last = e;
                sleep(attempt);
            }
        }
        throw failure(last);
    }

    /**
     * Runs read-only work in autocommit mode (no transaction, so no write lock is taken).
     *
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws UnavailableException if the database fails
     */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Wraps a database error with the store's description.
     *
     * @param e the error
     * @return an unavailable exception naming the store
     */
    public UnavailableException failure(SQLException e) {
        return new UnavailableException("database " + description + " failed: " + e.getMessage(), e);
    }

    /**
     * Tells whether an error is SQLite's busy or locked condition.
     *
     * @param e the error
     * @return true if retrying may help
     */
    public static boolean isBusy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked") || m.contains("SQLITE_LOCKED");
    }

    /**
     * Tells whether an error is a uniqueness or primary-key violation.
     *
     * @param e the error
     * @return true for a constraint violation on a unique key
     */
    public static boolean isUniqueViolation(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return "23505".equals(e.getSQLState()) || m.contains("UNIQUE constraint failed")
                || m.contains("PRIMARY KEY constraint failed") || m.contains("SQLITE_CONSTRAINT_PRIMARYKEY")
                || m.contains("SQLITE_CONSTRAINT_UNIQUE");
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 10L << Math.min(attempt, 6)));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a busy database", ie);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed after an error; the connection is discarded", e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        if (dialect == Dialect.SQLITE) {
            // SQLite's advice for long-lived connections: refresh the planner's statistics where they are stale.
            try (Connection c = pool.getConnection(); var s = c.createStatement()) {
                s.execute("PRAGMA optimize");
            } catch (SQLException e) {
                LOG.debug("PRAGMA optimize failed on close; the statistics stay as they were", e);
            }
        }
        pool.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
