package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.features.FeatureStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreExampleTest {
    @TempDir
    Path dir;

    @Test
    void featuresArePointInTimeTrackedAndServedWithoutStaleValues() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Frame data = Quickstart.loadBreastCancer();
        FeatureStoreExample.Result r = FeatureStoreExample.run(data, dir,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        // The pipeline wrote every biopsy once, in two incremental runs; the third had nothing new.
        assertEquals(569, r.offlineRows());
        assertEquals(569, r.runs().get(0).rowsWritten() + r.runs().get(1).rowsWritten());
        assertTrue(r.runs().get(2).isEmpty());

        // The training set: one row per diagnosis, features from the biopsy an hour before, never from later.
        Frame set = r.trainingSet().frame();
        assertEquals(569, set.rowCount());
        assertEquals(0, r.futureValues());
        assertEquals(0, set.column("mean_radius").nullCount());
        assertEquals(data.column("mean_radius"), set.column("mean_radius"), "each diagnosis sees its own biopsy");
        assertEquals(1L, set.column("biopsies_45d").get(0), "the first biopsy of patient 0");
        assertEquals(2L, set.column("biopsies_45d").get(120), "patient 0's second biopsy, 30 days later");
        assertEquals(2L, set.column("biopsies_45d").get(240), "the first biopsy left the 45-day window");
        assertEquals(0.0, (Double) set.column("radius_growth").get(0), 1e-12);
        double r0 = data.doubleColumn("mean_radius").getDouble(0);
        double r120 = data.doubleColumn("mean_radius").getDouble(120);
        assertEquals(r120 - (r0 + r120) / 2, (Double) set.column("radius_growth").get(120), 1e-9);
        assertTrue(r.trackedRun().inputs().stream().anyMatch(i -> i.digest().equals(r.trainingSet().digest())
                && i.name().equals("features:diagnosis_model/v1")), "lineage recorded: " + r.trackedRun().inputs());
        assertTrue(r.trackedRun().metrics().get("accuracy") > 0.85, r.trackedRun().metrics().toString());

        // Serving: the recent patient is present, the one last seen ten days before is past the TTL by now.
        assertEquals(FeatureStatus.PRESENT, r.online().status(0, "mean_radius"));
        assertEquals(FeatureStatus.EXPIRED, r.online().status(1, "mean_radius"));
        assertNull(r.online().value(1, "mean_radius"));
        assertEquals(FeatureStatus.MISSING, r.online().status(2, "mean_radius"));
        assertTrue(r.materialized().rowsWritten() > 60 && r.materialized().rowsWritten() < 120,
                "patients last biopsied within the TTL: " + r.materialized().rowsWritten());
        assertTrue(out.contains("values from the future: 0"), out);
        assertTrue(out.contains("1 present") || out.contains("present"), out);
    }
}
