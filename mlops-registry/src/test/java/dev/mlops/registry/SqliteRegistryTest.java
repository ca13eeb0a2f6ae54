package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract on the embedded SQLite registry, plus what only an embedded store shows. */
class SqliteRegistryTest extends RegistryContractTest {
    @Override
    Registry.Builder builder(Path packages) {
        return Registry.builder().jdbcUrl("jdbc:sqlite:" + dir.resolve("registry.db")).packageRoot(packages);
    }

    @Test
    void auditLogRefusesChangesEvenThroughSql() throws Exception {
        registry.register("m", pkg(0.9));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
                Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "UPDATE audit_log SET actor = 'mallory'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
        }
        assertEquals("alice", registry.auditLog("m").get(0).actor());
    }

    @Test
    void promptVersionsRefuseChangesEvenThroughSql() throws Exception {
        registry.prompts().register("p", PromptTemplate.text("Hello {{name}}"), "first");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
                Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "UPDATE prompt_versions SET template_json = '{\"type\":\"text\",\"text\":\"pwned\"}'"));
            assertTrue(update.getMessage().contains("immutable"), update.getMessage());
        }
        assertEquals("Hello Ann", registry.prompts().load("prompts:/p/1").render(Map.of("name", "Ann")));
    }

    @Test
    void tamperingWithAStoredPackageIsCaughtOnLoad() throws Exception {
        ModelVersion v = registry.register("m", pkg(0.9));
        try (Registry fresh = builder(dir.resolve("packages")).build()) {
            Path stored = dir.resolve("packages").resolve(v.packageDigest()).resolve("model/model.tribuo");
            byte[] bytes = Files.readAllBytes(stored);
            bytes[bytes.length - 1] ^= 1;
            Files.write(stored, bytes);
            IntegrityException e = assertThrows(IntegrityException.class, () -> fresh.load(ModelUri.ofVersion("m", 1)));
            assertTrue(e.getMessage().contains("model/model.tribuo"), e.getMessage());
        }
    }

    @Test
    void resolutionCacheSeesOtherWritersAfterItsTtl() throws Exception {
        registry.register("m", pkg(0.9));
        registry.register("m", pkg(0.9));
        registry.setAlias("m", "champion", 1);
        try (Registry cached = builder(dir.resolve("packages")).resolutionCacheTtl(Duration.ofMillis(200)).build()) {
            assertEquals(1, cached.resolve(ModelUri.ofAlias("m", "champion")).version());
            registry.setAlias("m", "champion", 2);
            assertEquals(1, cached.resolve(ModelUri.ofAlias("m", "champion")).version(), "still cached");
            Thread.sleep(300);
            assertEquals(2, cached.resolve(ModelUri.ofAlias("m", "champion")).version(), "expired and re-resolved");
        }
        assertEquals(2, registry.resolve(ModelUri.ofAlias("m", "champion")).version(), "local writes are seen at once");
        assertEquals(List.of("champion"), registry.getVersion("m", 2).aliases());
        assertEquals(Map.of("champion", 2L), registry.getModel("m").aliases());
    }
}
