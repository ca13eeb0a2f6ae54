package dev.mlops.llm.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Distribution;
import dev.mlops.llm.Pricing;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tuning.Budget;
import dev.mlops.tracking.tuning.FrozenTrial;
import dev.mlops.tracking.tuning.RandomSampler;
import dev.mlops.tracking.tuning.Study;
import dev.mlops.tracking.tuning.TrialState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost-aware fine-tuning study: its search space and objectives, its builder's checks, and a small tracked study
 * on SQLite whose Pareto front is non-dominated and whose trials are runs holding quality and cost.
 */
class FineTuneTuningTest {
    @TempDir
    Path dir;

    private static SftDataset data(int n, long seed) {
        return SftDataset.of("reverse-" + seed, Tiny.strings(true, n, seed));
    }

    private static boolean dominates(FrozenTrial a, FrozenTrial b) {
        boolean strictly = false;
        for (int i = 0; i < a.values().size(); i++) {
            if (a.values().get(i) > b.values().get(i)) {
                return false;
            }
            strictly |= a.values().get(i) < b.values().get(i);
        }
        return strictly;
    }

    @Test
    void aTrackedStudyFindsANonDominatedFrontAndLogsEveryTrial() {
        Pricing pricing = Pricing.perMillionTokens(2.0, 0);
        try (TextTokenizer tokenizer = Tiny.tokenizer(dir);
                Gpt2Model model = Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), 0), 3, DeviceChoice.CPU);
                Tracking tracking = Tracking.open(dir.resolve("store"))) {
            String digest = model.weightsDigest();
            FineTuneTuning tuning = FineTuneTuning.builder(model, tokenizer, data(64, 1), data(16, 2))
                    .format(Tiny.FORMAT).cost(TrainingCost.pricedTokens(pricing))
                    .learningRate(1e-3, 1e-2).batchSizes(4, 8).loraRanks(1, 2, 4).steps(2, 12).seed(7).build();
            assertArrayEquals(new String[] {"validation_loss", "cost_usd"}, tuning.objectiveNames());
            assertArrayEquals(new Direction[] {Direction.MINIMIZE, Direction.MINIMIZE}, tuning.directions());
            Study study = Study.builder("reverse-cost").space(tuning.space()).directions(tuning.directions())
                    .objectiveNames(tuning.objectiveNames()).sampler(new RandomSampler(11)).tracking(tracking)
                    .build();

            long start = System.nanoTime();
            study.optimizeMulti(tuning.objective(), Budget.trials(6));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertEquals(6, study.trials().size());
            for (FrozenTrial t : study.trials()) {
                assertTrue(t.state() == TrialState.COMPLETE || t.error().contains("diverged"),
                        "a trial completes, or fails only by diverging: " + t);
                if (t.state() != TrialState.COMPLETE) {
                    assertEquals(RunStatus.FAILED, tracking.getRun(t.runId()).status());
                }
            }
            List<FrozenTrial> trials = study.trials().stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
            assertTrue(trials.size() >= 4, "most trials complete: " + study.trials());
            List<FrozenTrial> front = study.paretoFront();
            assertFalse(front.isEmpty());
            for (FrozenTrial f : front) {
                for (FrozenTrial t : trials) {
                    assertFalse(dominates(t, f), "trial " + t.number() + " dominates front member " + f.number());
                }
            }
            for (FrozenTrial t : trials) {
                boolean onFront = front.stream().anyMatch(f -> f.number() == t.number());
                assertTrue(onFront || front.stream().anyMatch(f -> dominates(f, t)),
                        "trial " + t.number() + " is neither on the front nor dominated by it");
            }
            for (FrozenTrial t : trials) {
                RunInfo run = tracking.getRun(t.runId());
                assertEquals(RunStatus.FINISHED, run.status());
                assertNotNull(run.parentRunId(), "a trial is a child of the study's run");
                double loss = run.metrics().get("validation_loss");
                double cost = run.metrics().get("cost_usd");
                assertEquals(t.values().get(0), loss);
                assertEquals(t.values().get(1), cost);
                assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
                double tokens = run.metrics().get("train_tokens");
                assertEquals(pricing.cost((long) tokens, 0), cost, 1e-15, "tokens priced as prompt tokens");
                assertEquals(cost, t.cost(), 1e-15, "the cost is reported to the study too");
                assertTrue(run.metrics().get("device_seconds") > 0);
                assertTrue(run.metrics().containsKey("train/loss"), "the trainer logs into the trial's run");
                assertEquals(String.valueOf(t.params().get(FineTuneTuning.LORA_RANK)),
                        run.params().get(FineTuneTuning.LORA_RANK));
            }
            assertEquals(digest, model.weightsDigest(), "trials leave the base weights as they were");
            assertTrue(seconds < 60, "six small trials took " + seconds + " s");
        }
    }

    @Test
    void theSpaceHasTheDocumentedParameters() {
        try (TextTokenizer tokenizer = Tiny.tokenizer(dir);
                Gpt2Model model = Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), 0), 3, DeviceChoice.CPU)) {
            FineTuneTuning tuning = FineTuneTuning.builder(model, tokenizer, data(4, 1), data(2, 2)).build();
            assertEquals(new Distribution.FloatRange(1e-4, 1e-2, true, 0),
                    tuning.space().param(FineTuneTuning.LEARNING_RATE).distribution());
            assertEquals(new Distribution.Categorical(List.of(4L, 8L, 16L)),
                    tuning.space().param(FineTuneTuning.BATCH_SIZE).distribution());
            assertEquals(new Distribution.Categorical(List.of(2L, 4L, 8L)),
                    tuning.space().param(FineTuneTuning.LORA_RANK).distribution());
            assertEquals(new Distribution.IntRange(10, 100, false, 1),
                    tuning.space().param(FineTuneTuning.STEPS).distribution());
            assertEquals("cost_device_seconds", tuning.objectiveNames()[1]);
        }
    }

    @Test
    void buildersFailFastNamingTheBadValue() {
        try (TextTokenizer tokenizer = Tiny.tokenizer(dir);
                Gpt2Model model = Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), 0), 3, DeviceChoice.CPU)) {
            FineTuneTuning.Builder b = FineTuneTuning.builder(model, tokenizer, data(4, 1), data(2, 2));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.learningRate(0, 1)).getMessage()
                    .contains("[0.0, 1.0]"));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.learningRate(0.1, 0.01)).getMessage()
                    .contains("[0.1, 0.01]"));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.batchSizes(4, 0)).getMessage()
                    .contains("0"));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.loraRanks(2, 2)).getMessage()
                    .contains("lists 2 twice"));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.loraRanks()).getMessage()
                    .contains("loraRanks"));
            assertTrue(assertThrows(InvalidArgumentException.class, () -> b.steps(5, 4)).getMessage()
                    .contains("[5, 4]"));
            b.steps(1, 3);
            assertTrue(assertThrows(IllegalStateException.class, () -> b.steps(1, 4)).getMessage()
                    .contains("steps was already set to [1, 3]"));
            assertTrue(assertThrows(InvalidArgumentException.class,
                    () -> FineTuneTuning.builder(model, tokenizer, SftDataset.of("none", List.of()), data(2, 2)))
                    .getMessage().contains("'none'"));
            assertTrue(assertThrows(InvalidArgumentException.class,
                    () -> TrainingCost.pricedDeviceHours(-2, "USD")).getMessage().contains("-2.0"));
            assertTrue(assertThrows(InvalidArgumentException.class,
                    () -> TrainingCost.pricedDeviceHours(2, "U$D")).getMessage().contains("U$D"));
            assertEquals("cost_eur", TrainingCost.pricedDeviceHours(2.5, "EUR").metricName());
        }
    }
}
