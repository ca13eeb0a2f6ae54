package dev.mlops.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/** Bare SQLite connections and temporary directories for the baselines. */
final class SqliteFixtures {
    private SqliteFixtures() {
    }

    /** Opens a bare connection with the settings the tracking store uses: WAL, synchronous NORMAL. */
    static Connection open(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("busy_timeout", "60000");
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    /** Creates the bare metrics table: the same columns as the store's, no index. */
    static void createBareMetricsTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR(32) NOT NULL, key VARCHAR(250) NOT NULL, "
                    + "value DOUBLE PRECISION NOT NULL, is_nan SMALLINT NOT NULL, timestamp BIGINT NOT NULL, "
                    + "step BIGINT NOT NULL)");
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
