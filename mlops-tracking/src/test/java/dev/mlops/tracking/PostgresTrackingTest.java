package dev.mlops.tracking;

import dev.mlops.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** The contract on PostgreSQL; each test works in a schema of its own, dropped afterwards. */
class PostgresTrackingTest extends TrackingContractTest {
    private final String schema = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @Override
    Tracking openStore(Path storeDir) {
        return Tracking.builder().jdbcUrl(TestServices.postgresUrl()).schema(schema)
                .artifactRoot(storeDir.resolve("artifacts")).user("tester").build();
    }

    @Override
    Tracking openSameStore(Path storeDir) {
        return openStore(storeDir);
    }

    @AfterEach
    void dropSchema() throws Exception {
        close();
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
