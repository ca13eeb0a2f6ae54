package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online reads: statuses at the TTL's edges, request-time transforms and bad requests. */
class OnlineFeaturesTest {
    @TempDir
    Path dir;

    final ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
    FeatureStore store;

    @BeforeEach
    void open() {
        store = Fixtures.embedded(dir, clock).build();
        store.apply(Fixtures.patient());
        store.apply(Fixtures.vitals(Duration.ofMinutes(10)));
        store.apply(OnDemandTransform.builder("hr_change").input("vitals", "heart_rate")
                .requestField("hr_now", DataType.DOUBLE).output("hr_change", DataType.DOUBLE)
                .compute((in, out) -> {
                    if (!in.isNull("heart_rate")) {
                        out.set("hr_change", in.getDouble("hr_now") - in.getDouble("heart_rate"));
                    }
                }).build());
        store.apply(FeatureService.builder("triage").features("vitals", "heart_rate", "note").transform("hr_change")
                .build());
        Frame.RowBuilder b = Frame.rowBuilder(dev.mlops.api.Schema.of(
                dev.mlops.api.Field.of("patient_id", DataType.LONG),
                dev.mlops.api.Field.of("event_timestamp", DataType.TIMESTAMP),
                dev.mlops.api.Field.of("created", DataType.TIMESTAMP),
                dev.mlops.api.Field.of("heart_rate", DataType.DOUBLE), dev.mlops.api.Field.of("visits", DataType.LONG),
                dev.mlops.api.Field.of("note", DataType.STRING)));
        b.row(1L, t(0), t(0), 80.0, 1L, "first");
        b.row(2L, t(300), t(300), 90.0, 1L, null);
        store.write("vitals", b.build());
        store.materializeIncremental("vitals", t(300));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Map<String, Object> request(long patient, double hrNow) {
        Map<String, Object> m = new HashMap<>();
        m.put("patient_id", patient);
        m.put("hr_now", hrNow);
        return m;
    }

    @Test
    void statusesTellPresentNullMissingAndExpiredApart() {
        clock.advance(Duration.ofMinutes(10));
        OnlineResult r = store.onlineFeatures("triage", List.of(request(1, 100), request(2, 95), request(3, 70)));
        assertEquals(List.of("heart_rate", "note", "hr_change"), r.featureNames());
        assertEquals(FeatureStatus.PRESENT, r.status(0, "heart_rate"), "exactly the TTL old is still fresh");
        assertEquals(20.0, r.getDouble(0, "hr_change"));
        assertEquals(t(0), r.eventTime(0, "heart_rate").orElseThrow());
        assertEquals(FeatureStatus.NULL_VALUE, r.status(1, "note"));
        assertEquals(FeatureStatus.PRESENT, r.status(1, "heart_rate"));
        assertEquals(FeatureStatus.MISSING, r.status(2, "heart_rate"));
        assertEquals(FeatureStatus.NULL_VALUE, r.status(2, "hr_change"), "the transform saw no input");
        assertTrue(r.eventTime(2, "heart_rate").isEmpty());
        assertTrue(r.isComplete(0));
        assertFalse(r.isComplete(1));

        clock.advance(Duration.ofNanos(1000));
        r = store.onlineFeatures("triage", List.of(request(1, 100), request(2, 95)));
        assertEquals(FeatureStatus.EXPIRED, r.status(0, "heart_rate"), "one microsecond past the TTL");
        assertNull(r.value(0, "heart_rate"), "an expired value is withheld");
        assertTrue(Double.isNaN(r.getDouble(0, "heart_rate")));
        assertEquals(t(0), r.eventTime(0, "heart_rate").orElseThrow(), "but its age is reported");
        assertNull(r.value(0, "hr_change"), "the transform never sees an expired input");
        assertEquals(FeatureStatus.PRESENT, r.status(1, "heart_rate"));
        assertEquals(2, r.count(FeatureStatus.EXPIRED));
        Frame f = r.toFrame();
        assertEquals(List.of("heart_rate", "note", "hr_change"), f.schema().names());
        assertNull(f.column("heart_rate").get(0));
        assertEquals(90.0, f.column("heart_rate").get(1));
        assertEquals(90.0, r.row(1).get("heart_rate"));
    }

    @Test
    void framesOfEntityRowsWorkLikeMaps() {
        Frame rows = Frame.builder().longs("patient_id", 2, 1).doubles("hr_now", 91, 81).build();
        OnlineResult r = store.onlineFeatures("triage", rows);
        assertEquals(1.0, r.getDouble(0, "hr_change"), 1e-12);
        assertEquals(1.0, r.getDouble(1, "hr_change"), 1e-12);
        assertEquals("triage", r.service());
        assertEquals(1, r.serviceVersion());
    }

    @Test
    void badRequestsNameTheRowAndTheKey() {
        InvalidArgumentException noKey = assertThrows(InvalidArgumentException.class,
                () -> store.onlineFeatures("triage", List.of(request(1, 1), Map.of("hr_now", 1.0))));
        assertTrue(noKey.getMessage().contains("entity row 1") && noKey.getMessage().contains("'patient_id'"),
                noKey.getMessage());
        InvalidArgumentException keyType = assertThrows(InvalidArgumentException.class,
                () -> store.onlineFeatures("triage", List.of(Map.of("patient_id", "1", "hr_now", 1.0))));
        assertTrue(keyType.getMessage().contains("String") && keyType.getMessage().contains("long"),
                keyType.getMessage());
        InvalidArgumentException requestType = assertThrows(InvalidArgumentException.class,
                () -> store.onlineFeatures("triage", List.of(Map.of("patient_id", 1L, "hr_now", "fast"))));
        assertTrue(requestType.getMessage().contains("'hr_now'"), requestType.getMessage());
        assertThrows(NotFoundException.class, () -> store.onlineFeatures("nope", List.of(request(1, 1))));
        assertThrows(NotFoundException.class, () -> store.onlineFeatures("triage", List.of(request(1, 1)))
                .value(0, "unknown"));
        assertEquals(0, store.onlineFeatures("triage", List.of()).size());
    }

    @Test
    void localDefinitionChangesAreSeenAtOnce() {
        OnlineResult before = store.onlineFeatures("triage", List.of(request(1, 1)));
        assertEquals(3, before.features().size());
        store.apply(FeatureService.builder("triage").features("vitals", "heart_rate", "visits").transform("hr_change")
                .build());
        OnlineResult after = store.onlineFeatures("triage", List.of(request(1, 1)));
        assertEquals(List.of("heart_rate", "visits", "hr_change"), after.featureNames());
        assertEquals(2, after.serviceVersion());
    }
}
