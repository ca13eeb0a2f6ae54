package dev.mlops.llm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlops.api.ConflictException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ProgressEvent;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.RecordingMetricSink;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning loop: accumulation, exact resume, early stopping, metrics, mixed precision, packing. */
class SftTrainerTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TextTokenizer tokenizer;
    private static SftDataset.Split data;

    @BeforeAll
    static void setUp() {
        tokenizer = Tiny.tokenizer(shared);
        data = SftDataset.of("reverse", Tiny.strings(true, 120, 5)).split(0.2, 6);
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
    }

    private static Gpt2Model model(double dropout) {
        return Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), dropout), 21, DeviceChoice.CPU);
    }

    private static SftTrainer trainer(Gpt2Model m, SftConfig config) {
        return SftTrainer.builder(m, tokenizer).format(Tiny.FORMAT).config(config)
                .progress(ProgressListener.noop()).build();
    }

    @Test
    void accumulatingTwoHalfBatchesEqualsOneFullBatch() {
        double[] one;
        double[] two;
        float[][] a;
        float[][] b;
        long[] probe = {2, 3, 4, 10};
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            one = trainer(m, SftConfig.builder().learningRate(5e-3).maxSteps(6).microBatchSize(4).build())
                    .fit(data.train(), null).trainLosses();
            a = m.logits(probe);
        }
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            two = trainer(m, SftConfig.builder().learningRate(5e-3).maxSteps(6).microBatchSize(2)
                    .gradientAccumulation(2).build()).fit(data.train(), null).trainLosses();
            b = m.logits(probe);
        }
        assertArrayEquals(one, two, 1e-5);
        assertTrue(Tiny.maxDiff(a, b) < 1e-4, "weights after accumulation match: " + Tiny.maxDiff(a, b));
    }

    @Test
    void aResumedRunReproducesTheUninterruptedLossCurve() {
        SftConfig config = SftConfig.builder().learningRate(5e-3).maxSteps(12).microBatchSize(8).warmupSteps(3)
                .evalEvery(3).earlyStopping(10, 0).checkpoints(dir.resolve("ckpt"), 4).keepCheckpoints(0).seed(9)
                .build();
        TrainingResult full;
        try (Gpt2Model m = model(0.1)) {
            LoraAdapter.attach(m, LoraConfig.builder().rank(4).dropout(0.1).build(), 2);
            full = trainer(m, config).fit(data.train(), data.validation());
        }
        assertEquals(12, full.steps());
        assertEquals(List.of("step-00000004", "step-00000008", "step-00000012"), names(dir.resolve("ckpt")));
        for (String from : List.of("step-00000004", "step-00000008")) {
            TrainingResult resumed;
            try (Gpt2Model m = model(0.1)) {
                LoraAdapter.attach(m, LoraConfig.builder().rank(4).dropout(0.1).build(), 77);
                resumed = trainer(m, config).resume(dir.resolve("ckpt").resolve(from), data.train(),
                        data.validation());
            }
            assertEquals(full.history(), resumed.history(), "resumed from " + from);
            assertEquals(full.bestValidationLoss(), resumed.bestValidationLoss());
            assertEquals(full.tokens(), resumed.tokens());
        }
    }

    private static List<String> names(Path root) {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void resumingWithOtherSettingsOrDataIsRefused() {
        SftConfig config = SftConfig.builder().learningRate(5e-3).maxSteps(2).microBatchSize(8)
                .checkpoints(dir.resolve("c"), 1).build();
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            trainer(m, config).fit(data.train(), null);
            SftConfig other = SftConfig.builder().learningRate(1e-3).maxSteps(2).microBatchSize(8).build();
            ConflictException e = assertThrows(ConflictException.class,
                    () -> trainer(m, other).resume(dir.resolve("c"), data.train(), null));
            assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
            e = assertThrows(ConflictException.class,
                    () -> trainer(m, config).resume(dir.resolve("c"), data.validation(), null));
            assertTrue(e.getMessage().contains("digest"), e.getMessage());
        }
        try (Gpt2Model m = model(0)) {
            ConflictException e = assertThrows(ConflictException.class,
                    () -> trainer(m, config).resume(dir.resolve("c"), data.train(), null));
            assertTrue(e.getMessage().contains("trainable") || e.getMessage().contains("digest"), e.getMessage());
        }
        assertEquals(List.of("step-00000001", "step-00000002"), names(dir.resolve("c")));
    }

    @Test
    void earlyStoppingEndsTheRunAndRestoresTheBestWeights() {
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            SftTrainer t = trainer(m, SftConfig.builder().learningRate(5e-3).maxSteps(40).microBatchSize(8)
                    .evalEvery(4).earlyStopping(1, 100.0).build());
            TrainingResult r = t.fit(data.train(), data.validation());
            assertTrue(r.stoppedEarly());
            assertEquals(8, r.steps(), "the second validation cannot improve by 100, so patience 1 ends the run");
            assertEquals(4, r.bestStep());
            assertEquals(r.bestValidationLoss(), t.loss(data.validation()), 1e-6, "the best weights are back");
            assertEquals(r.history().get(3).validationLoss(), r.bestValidationLoss());
            assertTrue(Double.isNaN(r.history().get(4).validationLoss()));
        }
    }

    @Test
    void metricsProgressAndCostReachTheirListeners() {
        RecordingMetricSink sink = new RecordingMetricSink();
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            TrainingResult r = SftTrainer.builder(m, tokenizer).format(Tiny.FORMAT).sink(sink).progress(events::add)
                    .config(SftConfig.builder().learningRate(5e-3).epochs(2).microBatchSize(16)
                            .pricePerDeviceHour(3.0).build())
                    .build().fit(data.train(), data.validation());
            long steps = 2L * ((data.train().size() + 15) / 16);
            assertEquals(steps, r.totalSteps(), "batches of 16, two epochs");
            assertEquals(steps, r.steps());
            assertEquals(steps, sink.history("train/loss").size());
            assertEquals(2, sink.history("validation/loss").size(), "one validation per epoch");
            for (String key : List.of("train/learning_rate", "train/grad_norm", "train/tokens_per_second",
                    "memory/parameter_bytes", "memory/optimizer_state_bytes", "memory/gradient_bytes",
                    "cost/device_hours", "cost/estimated")) {
                assertTrue(sink.metricKeys().contains(key), key + " in " + sink.metricKeys());
            }
            assertEquals(8.0 * r.trainableParameters(), sink.last("memory/optimizer_state_bytes"));
            assertEquals(3.0 * sink.last("cost/device_hours"), sink.last("cost/estimated"), 1e-12);
            assertTrue(r.estimatedCost() > 0);
            assertEquals(String.valueOf(r.trainableParameters()), sink.params().get("model/trainable_parameters"));
            assertEquals("FP32", sink.params().get("sft/precision_used"));
            assertEquals(data.train().digest(), sink.params().get("sft/train_dataset_digest"));
            assertEquals(ProgressEvent.Phase.STARTED, events.get(0).phase());
            assertEquals(ProgressEvent.Phase.FINISHED, events.get(events.size() - 1).phase());
            assertEquals(steps, events.stream().filter(e -> e.phase() == ProgressEvent.Phase.ADVANCED).count());
            assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss());
            assertTrue(r.tokensPerSecond() > 0);
            assertNull(r.lastCheckpoint());
        }
    }

    @Test
    void fullFineTuningTrainsEveryParameter() {
        try (Gpt2Model m = model(0)) {
            TrainingResult r = trainer(m, SftConfig.builder().learningRate(3e-3).maxSteps(10).microBatchSize(16)
                    .weightDecay(0.01).build()).fit(data.train(), null);
            assertEquals(m.config().parameterCount(), r.trainableParameters());
            assertEquals(8 * m.config().parameterCount(), r.optimizerStateBytes());
            assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss());
            m.setBaseTrainable(false);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> trainer(m, SftConfig.defaults()).fit(data.train(), null));
            assertTrue(e.getMessage().contains("no trainable parameter"), e.getMessage());
            assertThrows(InvalidArgumentException.class,
                    () -> trainer(m, SftConfig.builder().maxLength(64).build()).fit(data.train(), null));
        }
    }

    @Test
    void mixedPrecisionTrainsAdaptersAndLeavesTheBaseUntouched() {
        try (Gpt2Model m = model(0)) {
            String digest = m.weightsDigest();
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            RecordingMetricSink sink = new RecordingMetricSink();
            TrainingResult r = SftTrainer.builder(m, tokenizer).format(Tiny.FORMAT).sink(sink)
                    .progress(ProgressListener.noop()).config(SftConfig.builder().learningRate(1e-2).maxSteps(8)
                            .microBatchSize(16).precision(Precision.FP16_MIXED).build())
                    .build().fit(data.train(), null);
            assertEquals(Precision.FP16_MIXED, r.precision());
            for (StepRecord s : r.history()) {
                assertTrue(Double.isFinite(s.trainLoss()), s.toString());
            }
            assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss());
            assertEquals(65536.0, sink.last("train/loss_scale"));
            assertEquals(digest, m.weightsDigest(), "32-bit base weights are never rewritten");
        }
    }

    @Test
    @SuppressWarnings("try")
    void packedExamplesSeeOnlyThemselves() {
        try (Gpt2Model m = model(0); NDScope scope = new NDScope()) {
            Gpt2Net net = (Gpt2Net) m.block();
            long[] a = {2, 3, 4, 10, 5};
            long[] b = {6, 7, 10};
            long[] ids = {2, 3, 4, 10, 5, 6, 7, 10};
            long[] pos = {0, 1, 2, 3, 4, 0, 1, 2};
            int[][] seg = {{1, 1, 1, 1, 1, 2, 2, 2}};
            NDArray h = net.hidden(Weights.DIRECT, m.manager().create(ids, new Shape(1, 8)),
                    m.manager().create(pos, new Shape(1, 8)), Gpt2Net.segmentMask(m.manager(), seg,
                            DataType.FLOAT32), null, false);
            float[] packed = net.logits(Weights.DIRECT, h).toFloatArray();
            float[][] alone = m.logits(a);
            float[][] second = m.logits(b);
            int v = m.config().vocabSize();
            for (int t = 0; t < 8; t++) {
                float[] want = t < 5 ? alone[t] : second[t - 5];
                for (int k = 0; k < v; k++) {
                    assertEquals(want[k], packed[t * v + k], 1e-5, "position " + t);
                }
            }
            assertEquals(8, h.get(new NDIndex("0")).getShape().get(0));
        }
        try (Gpt2Model m = model(0)) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 1);
            TrainingResult r = trainer(m, SftConfig.builder().learningRate(5e-3).maxSteps(6).microBatchSize(2)
                    .packing(true).maxLength(24).build()).fit(data.train(), null);
            assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss());
            assertFalse(r.history().stream().anyMatch(StepRecord::skipped));
        }
    }
}
