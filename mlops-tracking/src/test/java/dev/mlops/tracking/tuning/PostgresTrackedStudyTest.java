package dev.mlops.tracking.tuning;

import dev.mlops.testkit.TestServices;
import dev.mlops.tracking.Tracking;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** Tracked studies on PostgreSQL, in a schema of their own. */
class PostgresTrackedStudyTest extends TrackedStudyContract {
    private final String schema = "s_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @Override
    Tracking open() {
        return Tracking.builder().jdbcUrl(TestServices.postgresUrl()).schema(schema)
                .artifactRoot(dir.resolve("artifacts")).build();
    }

    @AfterEach
    void dropSchema() throws Exception {
        closeStore();
        tracking = null;
        String url = System.getenv(TestServices.POSTGRES_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
