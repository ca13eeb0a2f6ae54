package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.EntityKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every online store must do; the in-process and Redis stores run the same tests. */
abstract class OnlineStoreContractTest {
    static final List<Feature> FEATURES = List.of(Feature.of("d", DataType.DOUBLE), Feature.of("l", DataType.LONG),
            Feature.of("b", DataType.BOOLEAN), Feature.of("s", DataType.STRING), Feature.of("t", DataType.TIMESTAMP));

    OnlineStore store;

    abstract OnlineStore create();

    @BeforeEach
    void open() {
        store = create();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.deleteView("v");
            store.deleteView("w");
            store.close();
        }
    }

    static OnlineRow row(String key, long event, long created, Object... values) {
        return new OnlineRow(key, event, created, values);
    }

    private Object[] read(String key) {
        OnlineRow r = store.read("v", FEATURES, List.of(key)).get(0);
        if (r == null) {
            return null;
        }
        Object[] values = new Object[r.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.value(i);
        }
        return values;
    }

    @Test
    void valuesOfEveryTypeRoundTripExactly() {
        String huge = "x".repeat(1 << 20);
        Instant when = Instant.parse("2024-03-01T12:34:56.123456Z");
        List<Object[]> cases = List.of(
                new Object[] {1.5, 7L, true, "plain", when},
                new Object[] {Double.NaN, Long.MIN_VALUE, false, "ünïcödé ✓ 😀", Instant.EPOCH},
                new Object[] {Double.POSITIVE_INFINITY, Long.MAX_VALUE, null, "", null},
                new Object[] {-0.0, null, true, huge, when.minusSeconds(1)},
                new Object[] {Double.MIN_VALUE, 0L, false, "line\nbreak\u0000nul:colon", when},
                new Object[] {null, null, null, null, null});
        List<OnlineRow> rows = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            rows.add(row(EntityKeys.ofLong(i), 100, 100, cases.get(i).clone()));
        }
        store.write("v", FEATURES, null, rows);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            keys.add(EntityKeys.ofLong(i));
        }
        List<OnlineRow> got = store.read("v", FEATURES, keys);
        for (int i = 0; i < cases.size(); i++) {
            Object[] values = new Object[FEATURES.size()];
            for (int f = 0; f < values.length; f++) {
                values[f] = got.get(i).value(f);
            }
            assertArrayEquals(cases.get(i), values, "case " + i);
            assertEquals(100, got.get(i).eventMicros());
        }
    }

    @Test
    void vectorizedReadsKeepOrderAndReportMissingKeys() {
        List<OnlineRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i += 2) {
            rows.add(row(EntityKeys.ofString("user:" + i), i, i, (double) i, (long) i, i % 3 == 0, "s" + i, null));
        }
        store.write("v", FEATURES, Duration.ofDays(1), rows);
        List<String> keys = new ArrayList<>();
        for (int i = 499; i >= 0; i--) {
            keys.add(EntityKeys.ofString("user:" + i));
        }
        List<OnlineRow> got = store.read("v", FEATURES, keys);
        assertEquals(500, got.size());
        for (int k = 0; k < keys.size(); k++) {
            int i = 499 - k;
            if (i % 2 == 1) {
                assertNull(got.get(k), "key " + i + " was never written");
            } else {
                assertEquals((double) i, got.get(k).value(0));
                assertEquals("s" + i, got.get(k).value(3));
                assertEquals(keys.get(k), got.get(k).key());
            }
        }
    }

    @Test
    void anOlderRowNeverReplacesANewerOne() {
        String k = EntityKeys.ofLong(1);
        store.write("v", FEATURES, null, List.of(row(k, 10, 10, 1.0, 1L, true, "ten", null)));
        store.write("v", FEATURES, null, List.of(row(k, 5, 50, 2.0, 2L, true, "five", null)));
        assertEquals("ten", read(k)[3], "an earlier event time loses even when created later");
        store.write("v", FEATURES, null, List.of(row(k, 10, 9, 3.0, 3L, true, "older copy", null)));
        assertEquals("ten", read(k)[3], "the same event time with an earlier created time loses");
        store.write("v", FEATURES, null, List.of(row(k, 10, 11, 4.0, 4L, true, "correction", null)));
        assertEquals("correction", read(k)[3], "the same event time with a later created time wins");
        store.write("v", FEATURES, null, List.of(row(k, 10, 11, 5.0, 5L, false, null, null)));
        assertNull(read(k)[3], "an identical time rewrites the row whole, nulls included");
        store.write("v", FEATURES, null, List.of(row(k, -20, -20, 6.0, 6L, true, "negative", null)));
        assertEquals(5.0, read(k)[0]);
    }

    @Test
    void concurrentWritersConvergeOnTheNewestRow() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        long t = writer + 4L * i;
                        store.write("v", FEATURES, null, List.of(row(EntityKeys.ofLong(7), t, t, (double) t, t, true,
                                "w" + writer, null)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(199.0, read(EntityKeys.ofLong(7))[0]);
    }

    @Test
    void readsMapFeaturesByNameWhateverTheirOrder() {
        store.write("v", FEATURES, null, List.of(row(EntityKeys.ofLong(1), 1, 1, 1.0, 2L, true, "s", null)));
        List<Feature> wanted = List.of(Feature.of("s", DataType.STRING), Feature.of("nope", DataType.DOUBLE),
                Feature.of("d", DataType.DOUBLE));
        OnlineRow r = store.read("v", wanted, List.of(EntityKeys.ofLong(1))).get(0);
        assertEquals("s", r.value(0));
        assertNull(r.value(1), "a feature the row does not hold is null");
        assertEquals(1.0, r.value(2));
    }

    @Test
    void watermarksAndDeletionArePerView() {
        store.write("v", FEATURES, null, List.of(row(EntityKeys.ofLong(1), 1, 1, 1.0, 1L, true, "v", null)));
        store.write("w", FEATURES, null, List.of(row(EntityKeys.ofLong(1), 1, 1, 2.0, 1L, true, "w", null)));
        Instant mark = Instant.parse("2024-03-01T00:00:00.000001Z");
        store.setWatermark("v", mark);
        assertEquals(mark, store.watermark("v").orElseThrow());
        assertTrue(store.watermark("w").isEmpty());
        store.deleteView("v");
        assertNull(store.read("v", FEATURES, List.of(EntityKeys.ofLong(1))).get(0));
        assertTrue(store.watermark("v").isEmpty());
        assertEquals(2.0, store.read("w", FEATURES, List.of(EntityKeys.ofLong(1))).get(0).value(0));
    }

    @Test
    void malformedWritesAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> store.write("v", FEATURES, null,
                List.of(row(EntityKeys.ofLong(1), 1, 1, "not a double", 1L, true, "s", null))));
        assertThrows(InvalidArgumentException.class, () -> store.write("v", FEATURES, null,
                List.of(row(EntityKeys.ofLong(1), 1, 1, 1.0))));
        assertThrows(InvalidArgumentException.class, () -> store.write("V*", FEATURES, null, List.of()));
    }
}
