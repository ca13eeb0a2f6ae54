package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.ProgressEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Materialization: chunks, watermarks, and online values that agree with the training set at the same time. */
class MaterializationTest {
    @TempDir
    Path dir;

    final ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
    final List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
    FeatureStore store;

    @BeforeEach
    void open() {
        store = FeatureStore.builder().root(dir).clock(clock).progress(progress::add).batchSize(7).build();
        store.apply(Fixtures.patient());
        store.apply(Fixtures.vitals(Duration.ofSeconds(50)));
        store.apply(FeatureService.builder("triage").view("vitals").build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Frame rows(long[] ids, long[] seconds, long[] createdSeconds, Random rnd) {
        Frame.RowBuilder b = Frame.rowBuilder(Schema.of(Field.of("patient_id", DataType.LONG),
                Field.of("event_timestamp", DataType.TIMESTAMP), Field.of("created", DataType.TIMESTAMP),
                Field.of("heart_rate", DataType.DOUBLE), Field.of("visits", DataType.LONG),
                Field.of("note", DataType.STRING)));
        for (int i = 0; i < ids.length; i++) {
            b.row(ids[i], t(seconds[i]), t(createdSeconds[i]), rnd.nextInt(5) == 0 ? null : rnd.nextDouble(),
                    (long) i, "n" + rnd.nextInt(1000));
        }
        return b.build();
    }

    @TestFactory
    Stream<DynamicTest> onlineValuesMatchTheTrainingSetAtTheSameTime() {
        return IntStream.range(0, 12).mapToObj(i -> DynamicTest.dynamicTest("seed " + (77 + i), () -> {
            Random rnd = new Random(77 + i);
            int n = 1 + rnd.nextInt(40);
            long[] ids = new long[n];
            long[] ts = new long[n];
            long[] ct = new long[n];
            for (int r = 0; r < n; r++) {
                ids[r] = rnd.nextInt(6);
                ts[r] = rnd.nextInt(200);
                ct[r] = ts[r] + rnd.nextInt(3);
            }
            store.delete(DefinitionKind.FEATURE_SERVICE, "triage");
            store.delete(DefinitionKind.FEATURE_VIEW, "vitals");
            store.apply(Fixtures.vitals(Duration.ofSeconds(1 + rnd.nextInt(80))));
            store.apply(FeatureService.builder("triage").view("vitals").build());
            store.write("vitals", rows(ids, ts, ct, rnd));
            Instant end = t(rnd.nextInt(220));
            store.materialize("vitals", null, end);
            long[] keys = keys(6);
            Frame entities = Frame.builder().longs("patient_id", keys)
                    .timestamps("event_timestamp", Stream.generate(() -> end).limit(keys.length).toArray(Instant[]::new))
                    .build();
            Frame offline = store.trainingSet(entities, "triage").frame();
            ManualTimeSource at = new ManualTimeSource(end);
            try (FeatureStore reader = FeatureStore.builder().root(dir).clock(at)
                    .online(new Borrowed(store.onlineStore())).progress(event -> { }).build()) {
                List<Map<String, ?>> maps = new ArrayList<>();
                for (long k : keys) {
                    maps.add(Map.of("patient_id", k));
                }
                OnlineResult online = reader.onlineFeatures("triage", maps);
                for (int r = 0; r < keys.length; r++) {
                    for (String f : List.of("heart_rate", "visits", "note")) {
                        assertEquals(offline.column(f).get(r), online.value(r, f), "key " + keys[r] + ", " + f);
                        if (offline.column(f).get(r) == null) {
                            assertTrue(online.status(r, f) != FeatureStatus.PRESENT, online.status(r, f).toString());
                        }
                    }
                }
            }
        }));
    }

    private static long[] keys(int n) {
        return IntStream.range(0, n).asLongStream().toArray();
    }

    /** Another store's online store, which the borrowing feature store must not close. */
    private record Borrowed(OnlineStore delegate) implements OnlineStore {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void write(String view, List<Feature> features, Duration ttl, List<OnlineRow> rows) {
            delegate.write(view, features, ttl, rows);
        }

        @Override
        public List<OnlineRow> read(String view, List<Feature> features, List<String> keys) {
            return delegate.read(view, features, keys);
        }

        @Override
        public java.util.Optional<Instant> watermark(String view) {
            return delegate.watermark(view);
        }

        @Override
        public void setWatermark(String view, Instant watermark) {
            delegate.setWatermark(view, watermark);
        }

        @Override
        public void deleteView(String view) {
            delegate.deleteView(view);
        }

        @Override
        public void close() {
            // borrowed: the owner closes it
        }
    }

    @Test
    void incrementalRunsAreChunkedAndNeverGoBack() {
        long[] ids = keys(20);
        long[] ts = new long[20];
        for (int i = 0; i < 20; i++) {
            ts[i] = i;
        }
        store.write("vitals", rows(ids, ts, ts, new Random(1)));
        MaterializationResult first = store.materializeIncremental("vitals", t(9));
        assertEquals(10, first.rowsWritten());
        assertEquals(2, first.chunks(), "chunks of the batch size, 7");
        assertNull(first.start());
        assertEquals(t(9), store.onlineWatermark("vitals").orElseThrow());
        MaterializationResult second = store.materializeIncremental("vitals", t(30));
        assertEquals(t(9), second.start());
        assertEquals(10, second.rowsWritten());
        ConflictException back = assertThrows(ConflictException.class,
                () -> store.materializeIncremental("vitals", t(5)));
        assertTrue(back.getMessage().contains("'vitals'"), back.getMessage());
        assertEquals(t(30), store.onlineWatermark("vitals").orElseThrow());
        assertTrue(progress.stream().anyMatch(e -> e.task().equals("materialize vitals")
                && e.phase() == ProgressEvent.Phase.FINISHED && e.done() == 10));

        // A late row before the watermark is found by an explicit window, not by the next incremental run.
        store.write("vitals", rows(new long[] {100}, new long[] {25}, new long[] {40}, new Random(2)));
        assertEquals(0, store.materializeIncremental("vitals", t(40)).rowsWritten());
        assertEquals(1, store.materialize("vitals", t(20), t(40)).rowsWritten());
        assertEquals(t(40), store.onlineWatermark("vitals").orElseThrow());
        clock.advance(Duration.ofSeconds(40));
        assertEquals(FeatureStatus.PRESENT, store.onlineFeatures("triage", List.of(Map.of("patient_id", 100L)))
                .status(0, "visits"));
        List<MaterializationResult> all = store.materializeIncremental(t(41));
        assertEquals(1, all.size());
    }

    @Test
    void expiredRowsAreNotCopiedAndOfflineOnlyViewsAreRefused() {
        store.write("vitals", rows(new long[] {1, 2}, new long[] {0, 100}, new long[] {0, 100}, new Random(3)));
        assertEquals(1, store.materialize("vitals", null, t(120)).rowsWritten(), "the row from 0 s expired at 50 s");
        store.apply(FeatureView.builder("archive").entity("patient").feature("x", DataType.DOUBLE).online(false).build());
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> store.materialize("archive", null, t(1)));
        assertTrue(e.getMessage().contains("'archive'"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> store.materialize("vitals", t(5), t(5)));
    }
}
