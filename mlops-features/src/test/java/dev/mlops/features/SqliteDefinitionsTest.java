package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The definitions contract on SQLite, shared by two stores through one file. */
class SqliteDefinitionsTest extends DefinitionsContractTest {
    @Override
    FeatureStore.Builder builder(Path root) {
        return Fixtures.embedded(root, clock).jdbcUrl("jdbc:sqlite:" + dir.resolve("features.db"));
    }

    @Test
    void storedVersionsRefuseChangesEvenThroughSql() throws Exception {
        store.apply(Fixtures.patient());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("features.db"));
                Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE feature_definitions SET owner = 'mallory'"));
            assertTrue(e.getMessage().contains("immutable"), e.getMessage());
        }
    }
}
