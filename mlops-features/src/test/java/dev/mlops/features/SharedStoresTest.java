package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team set-up: definitions in PostgreSQL, features served from Redis. One store computes and materializes; another,
 * standing for a serving process on another machine, reads what the first wrote and judges freshness on its own clock.
 */
class SharedStoresTest {
    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final String schema = "fs_" + suffix;
    private final String prefix = "mlops-test:" + suffix + ":";

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        String pg = System.getenv(TestServices.POSTGRES_URL);
        if (pg != null && !pg.isBlank()) {
            try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        String redis = System.getenv(TestServices.REDIS_URL);
        if (redis != null && !redis.isBlank()) {
            RedisClient client = RedisClient.create(redis);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                List<String> keys = c.sync().keys(prefix + "*");
                if (!keys.isEmpty()) {
                    c.sync().del(keys.toArray(String[]::new));
                }
            } finally {
                client.shutdown();
            }
        }
    }

    private FeatureStore store(String root, ManualTimeSource clock) {
        return Fixtures.embedded(dir.resolve(root), clock).jdbcUrl(TestServices.postgresUrl()).schema(schema)
                .online(RedisOnlineStore.builder().uri(TestServices.redisUrl()).keyPrefix(prefix).build()).build();
    }

    @Test
    void aServingStoreReadsWhatAnotherMaterializedAndEnforcesTheTtl() {
        ManualTimeSource writerClock = new ManualTimeSource(Fixtures.T0);
        ManualTimeSource servingClock = new ManualTimeSource(t(100));
        try (FeatureStore writer = store("writer", writerClock); FeatureStore serving = store("serving", servingClock)) {
            writer.apply(Fixtures.patient());
            writer.apply(Fixtures.vitals(Duration.ofMinutes(5)));
            writer.apply(FeatureService.builder("triage").view("vitals").build());
            writer.write("vitals", Frame.builder().longs("patient_id", 1, 2).timestamps("event_timestamp", t(0), t(200))
                    .timestamps("created", t(0), t(200)).doubles("heart_rate", 70, 80).longs("visits", 3, 4)
                    .strings("note", "a", "b").build());
            assertEquals(2, writer.materializeIncremental("vitals", t(200)).rowsWritten());
            assertEquals(t(200), serving.onlineWatermark("vitals").orElseThrow());

            OnlineResult r = serving.onlineFeatures("triage", List.of(Map.of("patient_id", 1L),
                    Map.of("patient_id", 2L)));
            assertEquals(70.0, r.value(0, "heart_rate"));
            assertEquals(FeatureStatus.PRESENT, r.status(1, "visits"), "a row from the serving clock's future is fresh");
            servingClock.advance(Duration.ofSeconds(201));
            r = serving.onlineFeatures("triage", List.of(Map.of("patient_id", 1L), Map.of("patient_id", 2L)));
            assertEquals(FeatureStatus.EXPIRED, r.status(0, "heart_rate"));
            assertEquals(4L, r.value(1, "visits"));
            assertEquals(DataType.LONG, serving.featureView("vitals").feature("visits").type());
        }
    }
}
