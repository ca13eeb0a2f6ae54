package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Signature;
import dev.mlops.api.SignatureMismatchException;
import dev.mlops.api.UnavailableException;
import dev.mlops.registry.ModelPackage;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;

class PredictorTest {
    @TempDir
    Path dir;

    @Test
    void onnxAndTribuoFlavorsAgreeWithTheTrainedModel() {
        Model<Label> model = Fixtures.logistic(1);
        ModelPackage pkg = ModelPackage.builder().tribuo(model).build(dir.resolve("pkg"));
        try (Predictor onnx = Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).build();
                Predictor tribuo = Predictor.builder().modelPackage(pkg).engine(ModelEngine.TRIBUO).build();
                Predictor auto = Predictor.builder().modelPackage(pkg).build()) {
            assertEquals("onnxruntime", onnx.info().engine());
            assertEquals("tribuo", tribuo.info().engine());
            assertEquals("onnxruntime", auto.info().engine(), "AUTO prefers ONNX");
            assertEquals("cpu", onnx.info().device());
            for (Example<Label> ex : Fixtures.data(50, 9)) {
                Map<String, Object> row = new HashMap<>();
                ex.forEach(f -> row.put(f.getName(), f.getValue()));
                var expected = model.predict(ex);
                Prediction a = onnx.predict(row);
                Prediction b = tribuo.predict(row);
                assertEquals(expected.getOutput().getLabel(), a.label());
                assertEquals(expected.getOutput().getLabel(), b.label());
                for (String label : List.of("pos", "neg")) {
                    double p = expected.getOutputScores().get(label).getScore();
                    assertEquals(p, a.scores().get(label), 1e-5);
                    assertEquals(p, b.scores().get(label), 1e-6);
                }
                assertEquals(32, a.id().length());
                assertNotEquals(a.id(), b.id());
            }
        }
    }

    @Test
    void torchScriptFlavorMatchesPyTorch() throws Exception {
        ModelPackage pkg = Fixtures.torchScriptPackage(dir.resolve("ts"));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/torchscript/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        try (Predictor p = Predictor.builder().modelPackage(pkg).poolSize(2).build()) {
            assertEquals("pytorch", p.info().engine());
            for (int i = 0; i < expected.get("inputs").size(); i++) {
                JsonNode in = expected.get("inputs").get(i);
                JsonNode out = expected.get("outputs").get(i);
                Prediction pred = p.predict(Fixtures.row(in.get(0).asDouble(), in.get(1).asDouble(), in.get(2).asDouble()));
                assertEquals(out.get(0).asDouble(), pred.scores().get("a"), 1e-5);
                assertEquals(out.get(1).asDouble(), pred.scores().get("b"), 1e-5);
                assertEquals(out.get(0).asDouble() > out.get(1).asDouble() ? "a" : "b", pred.label());
            }
            float[][] dense = p.predictDense(new float[][] {{0.5f, -1f, 2f}, {0f, 0f, 0f}});
            assertEquals(expected.get("outputs").get(1).get(0).asDouble(), dense[1][0], 1e-5);
        }
    }

    @Test
    void everyProblemOfARowIsReportedAtOnce() {
        try (Predictor p = Predictor.builder().modelPackage(Fixtures.logisticPackage(dir.resolve("p"), 1)).build()) {
            Map<String, Object> bad = new HashMap<>();
            bad.put("f0", Double.NaN);
            bad.put("f1", "high");
            bad.put("extra", 1);
            SignatureMismatchException e = assertThrows(SignatureMismatchException.class, () -> p.predict(bad));
            assertEquals(List.of(Signature.MismatchKind.NAN_NOT_ALLOWED, Signature.MismatchKind.WRONG_TYPE,
                    Signature.MismatchKind.MISSING_COLUMN, Signature.MismatchKind.UNEXPECTED_COLUMN),
                    e.mismatches().stream().map(Signature.Mismatch::kind).toList());
            Map<String, Object> nulls = new HashMap<>(Fixtures.row(1, 2, 3));
            nulls.put("f2", null);
            assertThrows(SignatureMismatchException.class, () -> p.predict(nulls));
            assertThrows(InvalidArgumentException.class, () -> p.predictDense(new float[][] {{1f, 2f}}));
            assertTrue(p.meters().find("mlops.serving.errors").tag("kind", "invalid_input").counter().count() >= 2);
        }
    }

    @Test
    void framesArePredictedInOneBatch() {
        try (Predictor p = Predictor.builder().modelPackage(Fixtures.logisticPackage(dir.resolve("p"), 1)).build()) {
            Frame in = Frame.builder().doubles("f0", 1.5, -1.5).doubles("f1", -1.5, 1.5).longs("f2", 0, 0).build();
            List<Prediction> ps = p.predict(in);
            assertEquals(List.of("pos", "neg"), ps.stream().map(Prediction::label).toList());
            Frame out = p.predictFrame(in);
            List<String> names = out.schema().names();
            assertEquals(List.of("prediction_id", "label"), names.subList(0, 2));
            assertEquals(java.util.Set.of("score.pos", "score.neg"), java.util.Set.copyOf(names.subList(2, 4)));
            assertEquals(2, out.rowCount());
            assertEquals(1.0, out.doubleColumn("score.pos").getDouble(0) + out.doubleColumn("score.neg").getDouble(0),
                    1e-5);
            assertThrows(SignatureMismatchException.class, () -> p.predict(Frame.builder().doubles("f0", 1).build()));
            assertEquals(List.of(), p.predict(in.head(0)));
        }
    }

    @Test
    void concurrentCallersGetTheirOwnAnswersThroughBatches() throws Exception {
        ModelPackage pkg = Fixtures.logisticPackage(dir.resolve("p"), 1);
        try (Predictor direct = Predictor.builder().modelPackage(pkg).build();
                Predictor batched = Predictor.builder().modelPackage(pkg)
                        .batching(Batching.defaults().withBatch(32, Duration.ofMillis(5))).build()) {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    futures.add(pool.submit(() -> {
                        java.util.Random rnd = new java.util.Random(seed);
                        int checked = 0;
                        for (int i = 0; i < 100; i++) {
                            Map<String, Object> row = Fixtures.row(rnd.nextGaussian() * 3, rnd.nextGaussian() * 3,
                                    rnd.nextGaussian());
                            Prediction b = batched.predict(row);
                            Prediction d = direct.predict(row);
                            assertEquals(d.scores().get("pos"), b.scores().get("pos"), 1e-6, "row " + row);
                            checked++;
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertEquals(1600, total);
            } finally {
                pool.shutdownNow();
            }
            var sizes = batched.meters().find("mlops.serving.batch.size").summary();
            assertTrue(sizes.max() > 1, "concurrent requests were coalesced, largest batch " + sizes.max());
            assertTrue(sizes.max() <= 32);
        }
    }

    @Test
    void cacheAnswersRepeatedInputs() {
        try (Predictor p = Predictor.builder().modelPackage(Fixtures.logisticPackage(dir.resolve("p"), 1))
                .cache(100, Duration.ofMinutes(1)).build()) {
            Prediction a = p.predict(Fixtures.row(1, 2, 3));
            Prediction b = p.predict(Fixtures.row(1, 2, 3));
            Prediction c = p.predict(Fixtures.row(1, 2, 4));
            assertEquals(a.scores(), b.scores());
            assertNotEquals(a.id(), b.id(), "a cached answer gets its own prediction id");
            assertNotEquals(a.scores(), c.scores());
            assertEquals(1.0, p.meters().find("mlops.serving.cache").tag("result", "hit").counter().count());
            assertEquals(2.0, p.meters().find("mlops.serving.cache").tag("result", "miss").counter().count());
        }
    }

    @Test
    void inferenceLogIsSampledAndShieldedFromFailingListeners() {
        List<InferenceRecord> seen = new CopyOnWriteArrayList<>();
        ModelPackage pkg = Fixtures.logisticPackage(dir.resolve("p"), 1);
        try (Predictor all = Predictor.builder().modelPackage(pkg).inferenceLog(seen::add, 1.0).build();
                Predictor none = Predictor.builder().modelPackage(pkg).inferenceLog(seen::add, 0.0).build();
                Predictor failing = Predictor.builder().modelPackage(pkg).inferenceLog(r -> {
                    throw new IllegalStateException("log down");
                }, 1.0).build()) {
            Prediction p = all.predict(Fixtures.row(1, 2, 3));
            none.predict(Fixtures.row(1, 2, 3));
            assertTrue(List.of("pos", "neg").contains(p.label()));
            assertEquals(1, seen.size());
            InferenceRecord r = seen.get(0);
            assertEquals(p.id(), r.predictionId());
            assertEquals(InferenceRecord.Role.PRIMARY, r.role());
            assertEquals(1.0, r.inputs().get("f0"));
            assertEquals(p.label(), r.outputs().get("label"));
            assertTrue(r.latency().toNanos() > 0);
            assertNotEquals(null, failing.predict(Fixtures.row(1, 2, 3)));
        }
    }

    @Test
    void gpuRequestOnACpuBuildFailsClearly() {
        ModelPackage pkg = Fixtures.logisticPackage(dir.resolve("p"), 1);
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> Predictor.builder().modelPackage(pkg).engine(ModelEngine.ONNX).device(DeviceChoice.GPU).build());
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> Predictor.builder().modelPackage(pkg).engine(ModelEngine.TRIBUO).device(DeviceChoice.GPU).build());
        assertThrows(IllegalStateException.class, () -> Predictor.builder().build());
        assertThrows(InvalidArgumentException.class, () -> Predictor.builder().inferenceLog(r -> { }, 1.5));
        try (Predictor p = Predictor.builder().modelPackage(Fixtures.treePackage(dir.resolve("tree"))).build()) {
            assertEquals("tribuo", p.info().engine(), "a tree has no ONNX flavor");
            p.close();
            assertThrows(UnavailableException.class, () -> p.predict(Fixtures.row(1, 2, 3)));
        }
    }
}
