package dev.mlops.registry;

import dev.mlops.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** The contract on PostgreSQL; each test works in a schema of its own, dropped afterwards. */
class PostgresRegistryTest extends RegistryContractTest {
    private final String schema = "r_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @Override
    Registry.Builder builder(Path packages) {
        return Registry.builder().jdbcUrl(TestServices.postgresUrl()).schema(schema).packageRoot(packages);
    }

    @AfterEach
    void dropSchema() throws Exception {
        close();
        registry = null;
        String url = System.getenv(TestServices.POSTGRES_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
