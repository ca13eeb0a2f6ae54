package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelUri;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registry;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
    @TempDir
    Path dir;

    @Test
    void bundledDatasetLoadsWithTheExpectedShape() {
        Frame data = Quickstart.loadBreastCancer();
        assertEquals(569, data.rowCount());
        assertEquals(31, data.columnCount());
        assertEquals(30, data.schema().fields().stream().filter(f -> f.type() == DataType.DOUBLE).count());
        assertEquals(357L, data.valueCounts("diagnosis").row(0).getLong("count"), "357 benign cases");
        assertEquals("benign", data.valueCounts("diagnosis").row(0).getString("value"));
    }

    @Test
    void summaryNamesShapeColumnsAndClasses() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Quickstart.summarize(Quickstart.loadBreastCancer(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Loaded 569 rows x 31 columns"), out);
        assertTrue(out.contains("mean_radius"), out);
        assertTrue(out.contains("malignant"), out);
        assertTrue(out.contains("212"), "212 malignant cases: " + out);
        assertTrue(out.contains("2501"), "the largest mean area is 2501: " + out);
    }

    @Test
    void trainingIsTrackedRegisteredAndPromoted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Tracking tracking = Tracking.open(dir);
                Registry registry = Registry.builder().root(dir).lineage(tracking).build()) {
            Quickstart.Trained trained = Quickstart.track(Quickstart.loadBreastCancer(), tracking, out);
            RunInfo run = trained.run();
            assertEquals(RunStatus.FINISHED, run.status());
            assertTrue(run.metrics().get("accuracy") > 0.93, run.metrics().toString());
            assertTrue(run.metrics().get("auc") > 0.95, run.metrics().toString());
            assertTrue(run.inputs().stream().anyMatch(i -> i.name().equals("breast_cancer")
                    && i.context().equals("training")));
            assertEquals(2, tracking.listArtifacts(run.runId(), "model").size());

            dev.mlops.tracking.tuning.Study study = Quickstart.tune(trained.train(), tracking, out);
            assertEquals(12, study.trials().size());
            assertTrue(study.bestTrial().value() > 0.95, study.trialsFrame().format(12));
            assertEquals(12, tracking.searchRuns(tracking.getExperiment("breast-cancer-tuning"),
                    "tags.`mlops.trial.number` != ''", "", 100).size(), "every trial is a run");

            ModelVersion version = Quickstart.register(trained, registry, dir.resolve("builds"), out);
            assertEquals(1, version.version());
            assertEquals(version.version(), registry.resolve(ModelUri.parse("models:/breast-cancer@champion")).version());
            assertEquals(run.artifactUri("model"), version.source());
            assertTrue(registry.lineage("breast-cancer", 1).datasets().stream()
                    .anyMatch(d -> d.name().equals("breast_cancer") && d.context().equals("training")));
            assertEquals(30, registry.load(version.uri()).signature().inputs().size());

            String response = Quickstart.serve(registry, trained.test(), out);
            assertTrue(response.startsWith("{\"predictions\":["), response);
            assertTrue(response.contains("\"label\":\"benign\"") || response.contains("\"label\":\"malignant\""),
                    response);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Tracked run logistic-regression"), text);
        assertTrue(text.contains("Best runs so far"), text);
        assertTrue(text.contains("Tuned in study 'breast-cancer-tuning': 12 trials"), text);
        assertTrue(text.contains("promotion to champion: PROMOTED"), text);
        assertTrue(text.contains("POST /invocations answered 200"), text);
    }
}
