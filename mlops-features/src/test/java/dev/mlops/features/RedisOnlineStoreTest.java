package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.features.internal.EntityKeys;
import dev.mlops.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The online-store contract on Redis; every test uses a key prefix of its own and removes its keys. */
class RedisOnlineStoreTest extends OnlineStoreContractTest {
    private final String prefix = "mlops-test:" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ":";

    @Override
    OnlineStore create() {
        return RedisOnlineStore.builder().uri(TestServices.redisUrl()).keyPrefix(prefix).build();
    }

    @AfterEach
    void removeKeys() {
        String url = System.getenv(TestServices.REDIS_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> left = c.sync().keys(prefix + "*");
            if (!left.isEmpty()) {
                c.sync().del(left.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void keyRetentionLetsRedisReclaimExpiredRows() {
        ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
        try (RedisOnlineStore retaining = RedisOnlineStore.builder().uri(TestServices.redisUrl()).keyPrefix(prefix)
                .keyRetention(Duration.ofHours(1)).clock(clock).build()) {
            long event = TimestampColumn.toMicros(Fixtures.T0.minusSeconds(60));
            retaining.write("v", FEATURES, Duration.ofMinutes(10), List.of(
                    row(EntityKeys.ofLong(1), event, event, 1.0, 1L, true, "s", null),
                    row(EntityKeys.ofLong(2), event - 3_600_000_000L * 2, event, 1.0, 1L, true, "too old", null)));
            RedisClient client = RedisClient.create(TestServices.redisUrl());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                long ttl = c.sync().pttl(prefix + "v:v:" + EntityKeys.ofLong(1));
                assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(69).toMillis(), "expires within TTL + retention: " + ttl);
            } finally {
                client.shutdown();
            }
            assertNull(retaining.read("v", FEATURES, List.of(EntityKeys.ofLong(2))).get(0),
                    "a row past its retention is not written at all");
        }
    }

    @Test
    void badConfigurationIsRefusedWithAClearMessage() {
        assertThrows(InvalidArgumentException.class, () -> RedisOnlineStore.builder().keyPrefix("a*b"));
        assertThrows(IllegalStateException.class, () -> RedisOnlineStore.builder().build());
        UnavailableException down = assertThrows(UnavailableException.class, () -> RedisOnlineStore.builder()
                .uri("redis://127.0.0.1:1").timeout(Duration.ofSeconds(2)).build());
        assertTrue(down.getMessage().contains("127.0.0.1:1"), down.getMessage());
        assertEquals(prefix, ((RedisOnlineStore) store).keyPrefix());
    }
}
