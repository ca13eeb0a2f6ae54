package dev.mlops.llm.feedback;

import dev.mlops.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** The contract on PostgreSQL; each store works in a schema of its own, dropped after the test. */
class PostgresFeedbackTest extends FeedbackContractTest {
    private final List<String> schemas = new ArrayList<>();

    @Override
    FeedbackStore.Builder storeBuilder(Path storeDir, String name) {
        String schema = "f_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        schemas.add(schema);
        return FeedbackStore.builder().jdbcUrl(TestServices.postgresUrl()).schema(schema).poolSize(4);
    }

    @AfterEach
    void dropSchemas() throws Exception {
        closeStores();
        String url = System.getenv(TestServices.POSTGRES_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
