package dev.mlops.tracking.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.DoubleColumn;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.protos.core.ModelProto;

class TribuoTrackingTest {
    @TempDir
    Path dir;

    /** Two Gaussian blobs in 3 dimensions, labelled "pos" and "neg"; seeded. */
    static Frame blobs(int rows, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[rows];
        double[] b = new double[rows];
        double[] c = new double[rows];
        String[] label = new String[rows];
        for (int i = 0; i < rows; i++) {
            boolean pos = rnd.nextBoolean();
            double shift = pos ? 1.5 : -1.5;
            a[i] = shift + rnd.nextGaussian();
            b[i] = -shift + rnd.nextGaussian();
            c[i] = rnd.nextGaussian();
            label[i] = pos ? "pos" : "neg";
        }
        return Frame.builder().doubles("a", a).doubles("b", b).doubles("c", c).strings("label", label).build();
    }

    @Test
    void trainAndLogRecordsProvenanceDataMetricsAndTheModel() throws Exception {
        Frame data = blobs(500, 7);
        MutableDataset<Label> train = TribuoData.classification(data.slice(0, 400), "label");
        MutableDataset<Label> test = TribuoData.classification(data.slice(400, 500), "label");
        try (Tracking tracking = Tracking.open(dir)) {
            Run run = tracking.experiment("tribuo").startRun("logistic");
            Model<Label> model = TribuoTracking.trainAndLog(run, new LogisticRegressionTrainer(), train, test);
            run.close();
            RunInfo info = tracking.getRun(run.id());
            assertTrue(info.params().keySet().stream().anyMatch(k -> k.startsWith("trainer.")), info.params().toString());
            assertEquals("5", info.params().get("trainer.epochs"), "LogisticRegressionTrainer trains 5 epochs");
            assertEquals("3", info.params().get("model.features"));
            assertTrue(info.metrics().get("accuracy") > 0.9, info.metrics().toString());
            assertTrue(info.metrics().get("auc") > 0.9, info.metrics().toString());
            assertTrue(info.metrics().containsKey("macro_f1"));
            List<String> contexts = info.inputs().stream().map(DatasetInput::context).sorted().toList();
            assertEquals(List.of("evaluation", "training"), contexts);
            assertEquals(64, info.inputs().get(0).digest().length());

            Model<?> reloaded;
            try (InputStream in = tracking.openArtifact(run.id(), TribuoTracking.MODEL_FILE)) {
                reloaded = Model.deserialize(ModelProto.parseFrom(in.readAllBytes()));
            }
            Model<Label> typed = reloaded.castModel(Label.class);
            for (var example : test) {
                Prediction<Label> p = model.predict(example);
                Prediction<Label> q = typed.predict(example);
                assertEquals(p.getOutput().getLabel(), q.getOutput().getLabel());
                assertEquals(p.getOutput().getScore(), q.getOutput().getScore(), 1e-12);
            }
            try (InputStream in = tracking.openArtifact(run.id(), TribuoTracking.PROVENANCE_FILE)) {
                String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(json.contains("LogisticRegressionTrainer"), json.substring(0, Math.min(200, json.length())));
            }
        }
    }

    @Test
    void datasetDigestFollowsTheData() {
        Frame data = blobs(50, 1);
        String d1 = TribuoTracking.digest(TribuoData.classification(data, "label"));
        String d2 = TribuoTracking.digest(TribuoData.classification(blobs(50, 1), "label"));
        String d3 = TribuoTracking.digest(TribuoData.classification(blobs(50, 2), "label"));
        assertEquals(d1, d2);
        assertTrue(!d1.equals(d3));
    }

    @Test
    void treeModelsAreLoggedToo() {
        Frame data = blobs(300, 3);
        try (Tracking tracking = Tracking.open(dir); Run run = tracking.experiment("tribuo").startRun("cart")) {
            Model<Label> model = TribuoTracking.trainAndLog(run, new CARTClassificationTrainer(4),
                    TribuoData.classification(data.slice(0, 200), "label"),
                    TribuoData.classification(data.slice(200, 300), "label"));
            RunInfo info = run.info();
            assertEquals("4", info.params().get("trainer.maxDepth"));
            assertTrue(info.metrics().get("accuracy") > 0.8);
            assertTrue(model.getProvenance() != null);
        }
    }

    @Test
    void badFramesAreRejectedWithTheColumnAndRow() {
        Frame nulls = Frame.builder().column("x", DoubleColumn.ofNullable(1.0, null)).strings("y", "a", "b").build();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> TribuoData.classification(nulls, "y"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("row 1"), e.getMessage());
        Frame nan = Frame.builder().doubles("x", Double.NaN).strings("y", "a").build();
        assertThrows(InvalidArgumentException.class, () -> TribuoData.classification(nan, "y"));
        Frame noFeatures = Frame.builder().strings("s", "a").strings("y", "a").build();
        assertThrows(InvalidArgumentException.class, () -> TribuoData.classification(noFeatures, "y"));
        assertThrows(InvalidArgumentException.class,
                () -> TribuoData.classification(Frame.builder().doubles("x", 1).doubles("y", 1).build(), "y"));
    }
}
