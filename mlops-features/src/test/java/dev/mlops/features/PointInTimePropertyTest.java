package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time joins against a reference written here, over seeded random feature and entity tables full of ties,
 * gaps, late rows (created long after their event), null created times, TTL edges, nulls and NaN. Each case names its
 * seed; {@code -Dmlops.seed=...} changes the base seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PointInTimePropertyTest {
    private static final long BASE_SEED = Long.getLong("mlops.seed", 20_240_301L);
    private static final int CASES = 150;
    private static final long SECOND = 1_000_000L;

    FeatureStore store;
    final AtomicInteger views = new AtomicInteger();

    @BeforeAll
    void open(@TempDir Path dir) {
        store = Fixtures.embedded(dir, new ManualTimeSource(Fixtures.T0)).build();
        store.apply(Entity.builder("account").joinKey("account_id", DataType.LONG).build());
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** One feature row as the reference sees it. */
    record Row(long key, long event, Long created, Double amount, String label, int order) {
        long createdOrEvent() {
            return created == null ? event : created;
        }
    }

    @TestFactory
    Stream<DynamicTest> latestAtOrBeforeWithinTtl() {
        return cases(false);
    }

    @TestFactory
    Stream<DynamicTest> asKnownAtIgnoresLaterRows() {
        return cases(true);
    }

    private Stream<DynamicTest> cases(boolean asKnownAt) {
        return IntStream.range(0, CASES).mapToObj(i -> {
            long seed = BASE_SEED + i + (asKnownAt ? 1_000_000 : 0);
            return DynamicTest.dynamicTest("seed " + seed, () -> check(new Random(seed), asKnownAt, seed));
        });
    }

    private void check(Random rnd, boolean asKnownAt, long seed) {
        int keys = 1 + rnd.nextInt(5);
        int span = 5 + rnd.nextInt(30);
        Long[] ttls = {null, 1L, 3L, 10L};
        Long ttlSeconds = ttls[rnd.nextInt(ttls.length)];
        boolean withCreated = rnd.nextInt(4) != 0;
        String name = "v" + views.incrementAndGet();
        FeatureView.Builder vb = FeatureView.builder(name).entity("account").timestampColumn("ts")
                .feature("amount", DataType.DOUBLE).feature("label", DataType.STRING);
        if (withCreated) {
            vb.createdTimestampColumn("created_at");
        }
        if (ttlSeconds != null) {
            vb.ttl(Duration.ofSeconds(ttlSeconds));
        }
        store.apply(vb.build());
        store.apply(FeatureService.builder("s" + name).view(name).build());

        // Feature rows written in one or two frames (a later frame wins over an identical key, time and created time).
        List<Row> written = new ArrayList<>();
        int batches = 1 + rnd.nextInt(2);
        for (int b = 0; b < batches; b++) {
            int n = rnd.nextInt(25);
            List<Row> batch = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                long key = rnd.nextInt(keys);
                long event = rnd.nextInt(span) * SECOND + (rnd.nextInt(8) == 0 ? 1 : 0);
                Long created = null;
                if (withCreated && rnd.nextInt(6) != 0) {
                    int kind = rnd.nextInt(5);
                    created = switch (kind) {
                        case 0 -> event;
                        case 1 -> event + rnd.nextInt(3) * SECOND;
                        case 2 -> event + rnd.nextInt(span) * SECOND; // a late backfill
                        case 3 -> event - SECOND; // created before its event time
                        default -> event + rnd.nextInt(2);
                    };
                }
                Double amount = rnd.nextInt(10) == 0 ? null : rnd.nextInt(10) == 0 ? Double.NaN
                        : Math.round(rnd.nextGaussian() * 1000) / 10.0;
                String label = rnd.nextInt(8) == 0 ? null : "l" + rnd.nextInt(100);
                batch.add(new Row(key, event, created, amount, label, written.size() + r));
            }
            if (!batch.isEmpty()) {
                store.write(name, frame(batch, withCreated));
            }
            written.addAll(batch);
        }

        // Entity rows: known and unknown keys, times before, between, on and after the feature rows, TTL edges.
        int m = 1 + rnd.nextInt(30);
        long[] ek = new long[m];
        Instant[] et = new Instant[m];
        for (int r = 0; r < m; r++) {
            ek[r] = rnd.nextInt(keys + 1);
            long t;
            if (!written.isEmpty() && rnd.nextBoolean()) {
                Row anchor = written.get(rnd.nextInt(written.size()));
                long[] offsets = {0, 1, -1, SECOND, ttlSeconds == null ? 2 * SECOND : ttlSeconds * SECOND,
                        ttlSeconds == null ? 3 * SECOND : ttlSeconds * SECOND + 1};
                t = anchor.event() + offsets[rnd.nextInt(offsets.length)];
                ek[r] = rnd.nextInt(3) == 0 ? ek[r] : anchor.key();
            } else {
                t = (rnd.nextInt(span + 10) - 3) * SECOND;
            }
            et[r] = Fixtures.T0.plusNanos(t * 1000);
        }
        Frame entities = Frame.builder().longs("account_id", ek).timestamps("ts_wanted", et)
                .strings("tag", IntStream.range(0, m).mapToObj(i -> "row" + i).toArray(String[]::new)).build();
        TrainingOptions o = TrainingOptions.defaults().withTimestampColumn("ts_wanted").withAsKnownAt(asKnownAt)
                .withEventTimestamps(true);
        Frame got = store.trainingSet(entities, "s" + name, o).frame();

        // Reference: dedupe on (key, event, created) keeping the last written, then pick per entity row.
        Map<List<Long>, Row> unique = new LinkedHashMap<>();
        for (Row r : written) {
            unique.put(Arrays.asList(r.key(), r.event(), r.createdOrEvent()), r);
        }
        long ttl = ttlSeconds == null ? Long.MAX_VALUE : ttlSeconds * SECOND;
        assertEquals(m, got.rowCount());
        for (int r = 0; r < m; r++) {
            long tMicros = TimestampColumn.toMicros(et[r]) - TimestampColumn.toMicros(Fixtures.T0);
            Row best = null;
            for (Row c : unique.values()) {
                if (c.key() != ek[r] || c.event() > tMicros || (asKnownAt && c.createdOrEvent() > tMicros)) {
                    continue;
                }
                if (best == null || c.event() > best.event()
                        || (c.event() == best.event() && c.createdOrEvent() > best.createdOrEvent())) {
                    best = c;
                }
            }
            if (best != null && tMicros - best.event() > ttl) {
                best = null;
            }
            String where = "seed " + seed + ", entity row " + r + " (key " + ek[r] + ", t " + tMicros + "us), ttl "
                    + ttlSeconds + "s, rows " + written;
            assertEquals(best == null ? null : best.amount(), got.column("amount").get(r), where);
            assertEquals(best == null ? null : best.label(), got.column("label").get(r), where);
            Object eventTime = got.column(name + "__event_timestamp").get(r);
            assertEquals(best == null ? null : Fixtures.T0.plusNanos(best.event() * 1000), eventTime, where);
            if (eventTime != null) {
                assertTrue(!((Instant) eventTime).isAfter(et[r]), "a value from the future at " + where);
            }
            assertEquals("row" + r, got.column("tag").get(r), "entity rows keep their order");
        }
    }

    private static Frame frame(List<Row> rows, boolean withCreated) {
        List<Field> fields = new ArrayList<>(List.of(Field.of("account_id", DataType.LONG),
                Field.of("ts", DataType.TIMESTAMP)));
        if (withCreated) {
            fields.add(Field.of("created_at", DataType.TIMESTAMP));
        }
        fields.add(Field.of("amount", DataType.DOUBLE));
        fields.add(Field.of("label", DataType.STRING));
        Frame.RowBuilder b = Frame.rowBuilder(Schema.of(fields));
        for (Row r : rows) {
            List<Object> values = new ArrayList<>();
            values.add(r.key());
            values.add(Fixtures.T0.plusNanos(r.event() * 1000));
            if (withCreated) {
                values.add(r.created() == null ? null : Fixtures.T0.plusNanos(r.created() * 1000));
            }
            values.add(r.amount());
            values.add(r.label());
            b.row(values.toArray());
        }
        return b.build();
    }
}
