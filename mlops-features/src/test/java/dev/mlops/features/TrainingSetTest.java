package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training sets over several views and entities, with transforms, options, streaming and bad input. */
class TrainingSetTest {
    @TempDir
    Path dir;

    final ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
    FeatureStore store;

    @BeforeEach
    void open() {
        store = Fixtures.embedded(dir.resolve("store"), clock).jdbcUrl("jdbc:sqlite:" + dir.resolve("defs.db")).build();
        store.apply(Fixtures.patient());
        store.apply(Entity.builder("ward").joinKey("ward_id", DataType.STRING).build());
        store.apply(Fixtures.vitals(Duration.ofHours(2)));
        store.apply(FeatureView.builder("ward_load").entity("ward").timestampColumn("at")
                .feature("beds_used", DataType.LONG).feature("score", DataType.DOUBLE).build());
        store.apply(OnDemandTransform.builder("hr_change").input("vitals", "heart_rate")
                .requestField("hr_now", DataType.DOUBLE).output("hr_change", DataType.DOUBLE)
                .output("hr_high", DataType.BOOLEAN).codeVersion("1")
                .compute((in, out) -> {
                    out.set("hr_change", in.getDouble("hr_now") - in.getDouble("heart_rate"));
                    out.set("hr_high", in.isNull("heart_rate") ? null : in.getDouble("heart_rate") > 100);
                }).build());
        store.apply(FeatureService.builder("triage").features("vitals", "heart_rate", "note")
                .features("ward_load", "beds_used").transform("hr_change").build());
        store.write("vitals", Frame.builder().longs("patient_id", 1, 1, 2)
                .timestamps("event_timestamp", t(0), t(600), t(0)).timestamps("created", t(0), t(600), t(0))
                .doubles("heart_rate", 90, 120, 70).longs("visits", 1, 2, 1).strings("note", "a", "b", "c").build());
        store.write("ward_load", Frame.builder().strings("ward_id", "north", "south")
                .timestamps("at", t(-100), t(300)).longs("beds_used", 12, 30).doubles("score", 0.5, 0.9).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Frame entities() {
        return Frame.builder().longs("patient_id", 1, 1, 2, 3).strings("ward_id", "north", "south", "south", "east")
                .timestamps("event_timestamp", t(60), t(700), t(8000), t(60)).doubles("hr_now", 100, 100, 75, 80)
                .strings("label", "y", "n", "n", "y").build();
    }

    @Test
    void joinsSeveralViewsAndEntitiesAndRunsTransforms() {
        TrainingSet ts = store.trainingSet(entities(), "triage");
        Frame f = ts.frame();
        assertEquals(List.of("patient_id", "ward_id", "event_timestamp", "hr_now", "label", "heart_rate", "note",
                "beds_used", "hr_change", "hr_high"), f.schema().names());
        assertEquals(90.0, f.column("heart_rate").get(0));
        assertEquals(120.0, f.column("heart_rate").get(1));
        assertNull(f.column("heart_rate").get(2), "patient 2's row is older than the 2-hour TTL");
        assertNull(f.column("heart_rate").get(3));
        assertEquals(12L, f.column("beds_used").get(0));
        assertEquals(30L, f.column("beds_used").get(1));
        assertNull(f.column("beds_used").get(3), "an unknown ward");
        assertEquals(10.0, f.column("hr_change").get(0));
        assertEquals(-20.0, f.column("hr_change").get(1));
        assertEquals(true, f.column("hr_high").get(1));
        assertTrue(Double.isNaN((Double) f.column("hr_change").get(2)), "NaN - NaN from a missing input");
        assertNull(f.column("hr_high").get(2));
        assertEquals(f.digest(), ts.digest());
        assertEquals(Map.of("entity:patient", 1, "entity:ward", 1, "feature_service:triage", 1,
                "feature_view:vitals", 1, "feature_view:ward_load", 1, "on_demand_transform:hr_change", 1),
                ts.definitionVersions());
        assertEquals("features:triage/v1", ts.datasetRef().name());
        assertEquals(ts.digest(), ts.datasetRef().digest());
        assertEquals("training", ts.datasetRef().context());
    }

    @Test
    void optionsNameColumnsAndAddEventTimes() {
        store.apply(FeatureView.builder("labs").entity("patient").feature("score", DataType.DOUBLE).build());
        store.apply(FeatureService.builder("scores").features("ward_load", "score").features("labs", "score").build());
        InvalidArgumentException clash = assertThrows(InvalidArgumentException.class,
                () -> store.trainingSet(entities(), "scores"));
        assertTrue(clash.getMessage().contains("'score'") && clash.getMessage().contains("withFullFeatureNames"),
                clash.getMessage());
        Frame f = store.trainingSet(entities(), "scores", TrainingOptions.defaults().withFullFeatureNames(true)
                .withEventTimestamps(true)).frame();
        assertTrue(f.schema().names().containsAll(List.of("ward_load__score", "labs__score",
                "ward_load__event_timestamp", "labs__event_timestamp")), f.schema().names().toString());
        assertEquals(t(-100), f.column("ward_load__event_timestamp").get(0));
        assertEquals(0.5, f.column("ward_load__score").get(0));
    }

    @Test
    void streamedBatchesEqualTheFrameWhateverTheirSize() throws Exception {
        Frame whole = store.trainingSet(entities(), "triage").frame();
        String digest = null;
        for (int size : new int[] {1, 3, 100}) {
            List<Frame> batches = new ArrayList<>();
            TrainingSetInfo info = store.trainingSet(Source.frame("rows", entities()), "triage",
                    TrainingOptions.defaults().withBatchSize(size), batches::add);
            assertEquals(4, info.rows());
            assertTrue(batches.stream().allMatch(b -> b.rowCount() <= size));
            assertEquals(whole, Frame.concat(batches), "batch size " + size);
            if (digest != null) {
                assertEquals(digest, info.digest(), "the digest does not depend on the batch size");
            }
            digest = info.digest();
            assertEquals(1, info.definitionVersions().get("feature_service:triage"));
        }
        Path parquet = dir.resolve("entities.parquet");
        Path csv = dir.resolve("entities.csv");
        entities().writeCsv(csv);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + parquet + "' (FORMAT parquet)");
        }
        List<Frame> fromParquet = new ArrayList<>();
        store.trainingSet(Source.parquet(parquet), "triage", TrainingOptions.defaults(), fromParquet::add);
        assertEquals(whole.column("heart_rate"), Frame.concat(fromParquet).column("heart_rate"));
        assertEquals(whole.column("hr_change"), Frame.concat(fromParquet).column("hr_change"));
    }

    @Test
    void asKnownAtIgnoresABackfillWrittenAfterTheRowsTime() {
        store.write("vitals", Frame.builder().longs("patient_id", 2).timestamps("event_timestamp", t(7000))
                .timestamps("created", t(9000)).doubles("heart_rate", 99).longs("visits", 5).strings("note", "late")
                .build());
        Frame rows = Frame.builder().longs("patient_id", 2).strings("ward_id", "north")
                .timestamps("event_timestamp", t(8000)).doubles("hr_now", 1).build();
        assertEquals(99.0, store.trainingSet(rows, "triage").frame().column("heart_rate").get(0),
                "by event time the backfilled value is the latest");
        assertNull(store.trainingSet(rows, "triage", TrainingOptions.defaults().withAsKnownAt(true)).frame()
                .column("heart_rate").get(0), "at 8000 s nobody knew the value written at 9000 s");
    }

    @Test
    void badEntityRowsNameTheColumn() {
        InvalidArgumentException noKey = assertThrows(InvalidArgumentException.class, () -> store.trainingSet(
                entities().drop("ward_id"), "triage"));
        assertTrue(noKey.getMessage().contains("'ward_id'") && noKey.getMessage().contains("'ward'"), noKey.getMessage());
        InvalidArgumentException keyType = assertThrows(InvalidArgumentException.class, () -> store.trainingSet(
                entities().drop("patient_id").withColumn("patient_id", dev.mlops.api.StringColumn.of("1", "1", "2", "3")),
                "triage"));
        assertTrue(keyType.getMessage().contains("'patient_id'") && keyType.getMessage().contains("string"),
                keyType.getMessage());
        InvalidArgumentException noTime = assertThrows(InvalidArgumentException.class, () -> store.trainingSet(
                entities().rename("event_timestamp", "when"), "triage"));
        assertTrue(noTime.getMessage().contains("'event_timestamp'"), noTime.getMessage());
        Frame nullTime = entities().withColumn("event_timestamp", dev.mlops.api.TimestampColumn.of(t(1), null, t(2), t(3)));
        InvalidArgumentException nulls = assertThrows(InvalidArgumentException.class,
                () -> store.trainingSet(nullTime, "triage"));
        assertTrue(nulls.getMessage().contains("row 1"), nulls.getMessage());
        InvalidArgumentException noRequest = assertThrows(InvalidArgumentException.class,
                () -> store.trainingSet(entities().drop("hr_now"), "triage"));
        assertTrue(noRequest.getMessage().contains("'hr_now'") && noRequest.getMessage().contains("'hr_change'"),
                noRequest.getMessage());
        InvalidArgumentException clash = assertThrows(InvalidArgumentException.class, () -> store.trainingSet(
                entities().withColumn("note", dev.mlops.api.StringColumn.of("a", "b", "c", "d")), "triage"));
        assertTrue(clash.getMessage().contains("'note'"), clash.getMessage());
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> store.trainingSet(entities(), "nope"));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    }

    @Test
    void transformsFailLoudlyAndNeedTheirFunctionInThisProcess() {
        store.apply(OnDemandTransform.builder("broken").requestField("hr_now", DataType.DOUBLE)
                .output("boom", DataType.DOUBLE).compute((in, out) -> {
                    throw new ArithmeticException("division by zero");
                }).build());
        store.apply(FeatureService.builder("broken_svc").transform("broken").build());
        InvalidArgumentException failed = assertThrows(InvalidArgumentException.class,
                () -> store.trainingSet(entities(), "broken_svc"));
        assertTrue(failed.getMessage().contains("'broken'") && failed.getMessage().contains("division by zero"),
                failed.getMessage());
        store.apply(OnDemandTransform.builder("typed").requestField("hr_now", DataType.DOUBLE)
                .output("label2", DataType.LONG).compute((in, out) -> out.set("label2", "text")).build());
        store.apply(FeatureService.builder("typed_svc").transform("typed").build());
        InvalidArgumentException typed = assertThrows(InvalidArgumentException.class,
                () -> store.trainingSet(entities(), "typed_svc"));
        assertTrue(typed.getMessage().contains("'label2'"), typed.getMessage());

        try (FeatureStore other = Fixtures.embedded(dir.resolve("other"), clock)
                .jdbcUrl("jdbc:sqlite:" + dir.resolve("defs.db")).build()) {
            IllegalStateException unbound = assertThrows(IllegalStateException.class,
                    () -> other.trainingSet(entities(), "triage"));
            assertTrue(unbound.getMessage().contains("'hr_change'"), unbound.getMessage());
            assertTrue(!other.transform("hr_change").hasFunction());
        }
        assertEquals(Map.of("hr_change", 5.0, "hr_high", false),
                store.transform("hr_change").apply(Map.of("heart_rate", 95.0, "hr_now", 100.0)));
    }

    @Test
    void viewsCanReadParquetInPlaceAndAreCheckedWhenApplied() throws Exception {
        Path parquet = dir.resolve("labs.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES (1::BIGINT, TIMESTAMP '2024-03-01 00:00:00', 4.5::DOUBLE, 7), "
                    + "(1, TIMESTAMP '2024-03-01 00:00:00', 5.5, 8), (2, TIMESTAMP '2024-03-01 00:10:00', 6.5, 9)) "
                    + "t(patient_id, taken_at, glucose, n)) TO '" + parquet + "' (FORMAT parquet)");
        }
        InvalidArgumentException missing = assertThrows(InvalidArgumentException.class, () -> store.apply(
                FeatureView.builder("labs").entity("patient").source(Source.parquet(parquet)).timestampColumn("taken_at")
                        .feature("insulin", DataType.DOUBLE).build()));
        assertTrue(missing.getMessage().contains("'insulin'") && missing.getMessage().contains("'labs'"),
                missing.getMessage());
        InvalidArgumentException type = assertThrows(InvalidArgumentException.class, () -> store.apply(
                FeatureView.builder("labs").entity("patient").source(Source.parquet(parquet)).timestampColumn("glucose")
                        .feature("n", DataType.LONG).build()));
        assertTrue(type.getMessage().contains("'glucose'"), type.getMessage());
        store.apply(FeatureView.builder("labs").entity("patient").source(Source.parquet(parquet))
                .timestampColumn("taken_at").feature("glucose", DataType.DOUBLE).feature("n", DataType.DOUBLE).build());
        store.apply(FeatureService.builder("labs_svc").view("labs").build());
        Frame rows = Frame.builder().longs("patient_id", 1, 2).timestamps("event_timestamp", t(60), t(60)).build();
        Frame f = store.trainingSet(rows, "labs_svc").frame();
        assertEquals(5.5, f.column("glucose").get(0), "the later row of the file wins a tie");
        assertEquals(8.0, f.column("n").get(0), "a long column fills a double feature");
        assertNull(f.column("glucose").get(1));
        assertThrows(InvalidArgumentException.class, () -> store.write("labs", rows));
        assertEquals(3, store.offlineRows("labs").rowCount());
    }

    @Test
    void emptyEntityRowsGiveAnEmptySetWithEveryColumn() {
        Frame empty = entities().head(0);
        TrainingSet ts = store.trainingSet(empty, "triage");
        assertEquals(0, ts.frame().rowCount());
        assertEquals(10, ts.frame().columnCount());
        assertNotEquals(store.trainingSet(entities(), "triage").digest(), ts.digest());
        Instant unused = clock.now();
        assertEquals(Fixtures.T0, unused);
    }
}
