package dev.mlops.features;

import dev.mlops.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** The definitions contract on PostgreSQL; each test works in a schema of its own, dropped afterwards. */
class PostgresDefinitionsTest extends DefinitionsContractTest {
    private final String schema = "f_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @Override
    FeatureStore.Builder builder(Path root) {
        return Fixtures.embedded(root, clock).jdbcUrl(TestServices.postgresUrl()).schema(schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        closeStore();
        String url = System.getenv(TestServices.POSTGRES_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
