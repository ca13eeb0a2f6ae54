package dev.mlops.features;

import static dev.mlops.features.Fixtures.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL query as the source of a pipeline and of training entity rows, streamed through the driver. */
class PostgresSourceTest {
    private final String schema = "src_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @TempDir
    Path dir;

    @AfterEach
    void dropSchema() throws Exception {
        String url = System.getenv(TestServices.POSTGRES_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void queriesFeedPipelinesAndTrainingSets() throws Exception {
        String url = TestServices.postgresUrl();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".visits (patient_id BIGINT, seen_at TIMESTAMPTZ, pulse DOUBLE PRECISION,"
                    + " fee NUMERIC(10, 2), urgent BOOLEAN, note TEXT, n SMALLINT)");
            s.execute("INSERT INTO " + schema + ".visits SELECT g % 7, TIMESTAMPTZ '2024-03-01 00:00:00+00' + "
                    + "g * INTERVAL '1 minute', 60 + g, g * 1.25, g % 2 = 0, CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g "
                    + "END, g FROM generate_series(1, 5000) g");
        }
        try (FeatureStore store = Fixtures.embedded(dir, new ManualTimeSource(Fixtures.T0)).batchSize(300).build()) {
            store.apply(Fixtures.patient());
            store.apply(FeatureView.builder("visits").entity("patient").timestampColumn("seen_at")
                    .feature("pulse", DataType.DOUBLE).feature("fee", DataType.DOUBLE).feature("urgent", DataType.BOOLEAN)
                    .feature("note", DataType.STRING).feature("n", DataType.LONG).build());
            store.apply(FeatureService.builder("visit_svc").view("visits").build());
            PipelineRun run = store.pipeline("from_pg")
                    .from(Source.jdbc(url, "SELECT * FROM " + schema + ".visits")).into("visits").run();
            assertEquals(5000, run.rowsWritten());
            Frame rows = store.offlineRows("visits");
            Frame first = rows.filter(r -> r.getLong("n") == 5);
            assertEquals(65.0, first.column("pulse").get(0));
            assertEquals(6.25, first.column("fee").get(0));
            assertEquals(false, first.column("urgent").get(0));
            assertNull(first.column("note").get(0));
            assertEquals(t(300), first.column("seen_at").get(0));

            List<Frame> batches = new ArrayList<>();
            TrainingSetInfo info = store.trainingSet(Source.jdbc(url, "SELECT patient_id, seen_at + INTERVAL '30 seconds' "
                    + "AS event_timestamp FROM " + schema + ".visits WHERE n <= 700"), "visit_svc",
                    TrainingOptions.defaults(), batches::add);
            assertEquals(700, info.rows());
            Frame set = Frame.concat(batches);
            for (int r = 0; r < set.rowCount(); r++) {
                assertEquals(61.0 + r, set.column("pulse").get(r), "each row sees the visit 30 seconds before it");
            }
        }
        try (FeatureStore store = Fixtures.embedded(dir, new ManualTimeSource(Fixtures.T0)).build()) {
            UnavailableException bad = assertThrows(UnavailableException.class, () -> store.pipeline("p")
                    .from(Source.jdbc(url, "SELECT * FROM " + schema + ".nope")).into("visits").run());
            assertTrue(bad.getMessage().contains("nope"), bad.getMessage());
            InvalidArgumentException type = assertThrows(InvalidArgumentException.class, () -> store.pipeline("p")
                    .from(Source.jdbc(url, "SELECT patient_id, ARRAY[1, 2] AS xs FROM " + schema + ".visits"))
                    .into("visits").run());
            assertTrue(type.getMessage().contains("'xs'"), type.getMessage());
            assertEquals(5000, store.offlineRows("visits").rowCount(), "failed runs changed nothing");
        }
    }
}
