package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path on the embedded defaults: definitions, offline rows, training sets, materialization, online reads. */
class FeatureStoreTest {
    @TempDir
    Path dir;

    ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
    FeatureStore store;

    @BeforeEach
    void open() {
        store = Fixtures.embedded(dir, clock).build();
        store.apply(Fixtures.patient());
        store.apply(Fixtures.vitals(Duration.ofHours(10)));
        store.apply(FeatureService.builder("triage").view("vitals").build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Frame rows(long[] ids, Instant[] ts, Instant[] created, double[] hr) {
        Frame.RowBuilder b = Frame.rowBuilder(dev.mlops.api.Schema.of(
                dev.mlops.api.Field.of("patient_id", dev.mlops.api.DataType.LONG),
                dev.mlops.api.Field.of("event_timestamp", dev.mlops.api.DataType.TIMESTAMP),
                dev.mlops.api.Field.of("created", dev.mlops.api.DataType.TIMESTAMP),
                dev.mlops.api.Field.of("heart_rate", dev.mlops.api.DataType.DOUBLE),
                dev.mlops.api.Field.of("visits", dev.mlops.api.DataType.LONG),
                dev.mlops.api.Field.of("note", dev.mlops.api.DataType.STRING)));
        for (int i = 0; i < ids.length; i++) {
            b.row(ids[i], ts[i], created[i], hr[i], (long) i, "n" + i);
        }
        return b.build();
    }

    @Test
    void trainingSetIsPointInTimeAndOnlineServesTheLatest() {
        store.write("vitals", rows(new long[] {1, 1, 2}, new Instant[] {t(0), t(3600), t(0)},
                new Instant[] {t(0), t(3600), t(0)}, new double[] {60, 70, 80}));
        Frame entities = Frame.builder().longs("patient_id", 1, 1, 1, 2, 3)
                .timestamps("event_timestamp", t(-1), t(10), t(3600), t(36_000 + 1), t(5)).build();
        TrainingSet ts = store.trainingSet(entities, "triage");
        Frame f = ts.frame();
        assertEquals(5, f.rowCount());
        assertNull(f.column("heart_rate").get(0), "before the first row");
        assertEquals(60.0, f.column("heart_rate").get(1));
        assertEquals(70.0, f.column("heart_rate").get(2));
        assertNull(f.column("heart_rate").get(3), "beyond the TTL");
        assertNull(f.column("heart_rate").get(4), "unknown patient");
        assertEquals(f.digest(), ts.digest());
        assertEquals(1, ts.definitionVersions().get("feature_view:vitals"));

        store.materializeIncremental("vitals", t(3600));
        clock.advance(Duration.ofSeconds(3600));
        OnlineResult r = store.onlineFeatures("triage", List.of(Map.of("patient_id", 1L), Map.of("patient_id", 2L),
                Map.of("patient_id", 9L)));
        assertEquals(FeatureStatus.PRESENT, r.status(0, "heart_rate"));
        assertEquals(70.0, r.getDouble(0, "heart_rate"));
        assertEquals(FeatureStatus.PRESENT, r.status(1, "heart_rate"));
        assertEquals(FeatureStatus.MISSING, r.status(2, "heart_rate"));
        clock.advance(Duration.ofHours(9));
        r = store.onlineFeatures("triage", List.of(Map.of("patient_id", 1L), Map.of("patient_id", 2L)));
        assertEquals(FeatureStatus.PRESENT, r.status(1, "heart_rate"), "an age of exactly the TTL is still fresh");
        clock.advance(Duration.ofNanos(1000));
        r = store.onlineFeatures("triage", List.of(Map.of("patient_id", 1L), Map.of("patient_id", 2L)));
        assertEquals(FeatureStatus.PRESENT, r.status(0, "heart_rate"));
        assertEquals(FeatureStatus.EXPIRED, r.status(1, "heart_rate"));
        assertNull(r.value(1, "heart_rate"));
        assertTrue(r.toString().contains("expired"));
    }
}
