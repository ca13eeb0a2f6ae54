package dev.mlops.llm.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.feedback.FeedbackEntry;
import dev.mlops.llm.feedback.FeedbackStore;
import dev.mlops.llm.feedback.Prediction;
import dev.mlops.llm.feedback.Preference;
import dev.mlops.llm.feedback.Source;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Preference data, DPO against a separate reference, and the errors bad settings and inputs give. */
class AlignApiTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void tokenizer() {
        tokenizer = Tiny.tokenizer(shared);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Gpt2Model tiny(int vocab, long seed) {
        return Gpt2Model.create(Tiny.config(vocab, 0), seed, DeviceChoice.CPU);
    }

    private static <T extends Throwable> String message(Class<T> type, org.junit.jupiter.api.function.Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void readsThePreferencesTheFeedbackStoreExports() throws Exception {
        try (FeedbackStore store = FeedbackStore.open(dir.resolve("feedback"))) {
            store.recordPrediction(Prediction.of("p1", "m/1", "abc", "cba"));
            store.recordPrediction(Prediction.of("p2", "m/1", "abc", "abc"));
            store.recordPrediction(Prediction.of("p3", "m/1", "dd", "ed"));
            store.log(FeedbackEntry.pairwise("p1", "p2", Preference.A, Source.human("a")));
            store.log(FeedbackEntry.correction("p3", "dd", Source.human("b")));
            PreferenceDataset live = PreferenceDataset.fromFeedback(store);
            // Feedback logged at the same instant comes back in id order, so only the set is fixed here.
            assertEquals(2, live.pairs().size());
            assertEquals(Set.of(PreferencePair.of("abc", "cba", "abc"), PreferencePair.of("dd", "dd", "ed")),
                    new HashSet<>(live.pairs()));
            Path file = dir.resolve("dpo.jsonl");
            store.exportPreferences(file);
            PreferenceDataset read = PreferenceDataset.readJsonl(file);
            assertEquals(live.pairs(), read.pairs());
            assertEquals(live.digest(), read.digest());
            assertEquals("dpo.jsonl", read.name());
        }
    }

    @Test
    void splitsWithoutOverlapAndRoundTripsJsonLines() {
        List<PreferencePair> pairs = DpoEvidenceTest.strings(50, 7).stream()
                .map(s -> PreferencePair.of(s, s, s + "a")).toList();
        PreferenceDataset all = PreferenceDataset.of("p", pairs);
        PreferenceDataset.Split split = all.split(0.2, 3);
        assertEquals(10, split.validation().size());
        assertTrue(split.train().pairs().stream().noneMatch(split.validation().pairs()::contains));
        Path file = dir.resolve("p.jsonl");
        all.writeJsonl(file);
        assertEquals(all.digest(), PreferenceDataset.readJsonl(file).digest());
    }

    @Test
    void malformedLinesNameTheLineAndKey() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}\n{\"prompt\":\"a\",\"chosen\":\"b\"}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PreferenceDataset.readJsonl(file));
        assertTrue(e.getMessage().contains("rejected") && e.getMessage().contains("2"), e.getMessage());
        Files.writeString(file, "{\"prompt\":\"a\",\"chosen\":\"same\",\"rejected\":\"same\"}\n");
        String m = message(DataFormatException.class, () -> PreferenceDataset.readJsonl(file));
        assertTrue(m.contains("'same'"), m);
    }

    @TestFactory
    Stream<DynamicTest> badSettingsNameTheValue() {
        record Case(String name, String expected, org.junit.jupiter.api.function.Executable run) {
        }
        return Stream.of(
                new Case("beta 0", "beta must be a finite positive number, but was 0.0",
                        () -> DpoConfig.builder().beta(0)),
                new Case("beta -1", "but was -1.0", () -> DpoConfig.builder().beta(-1)),
                new Case("beta NaN", "but was NaN", () -> DpoConfig.builder().beta(Double.NaN)),
                new Case("beta NaN in the record", "but was NaN",
                        () -> new DpoConfig(Double.NaN, SftConfig.defaults())),
                new Case("temperature 0", "temperature must be a finite positive number, but was 0.0",
                        () -> DistillConfig.builder().temperature(0)),
                new Case("temperature -2", "but was -2.0", () -> new DistillConfig(-2, 0.5, SftConfig.defaults())),
                new Case("temperature infinite", "but was Infinity",
                        () -> DistillConfig.builder().temperature(Double.POSITIVE_INFINITY)),
                new Case("alpha -0.1", "alpha must be in [0, 1], but was -0.1", () -> DistillConfig.builder().alpha(-0.1)),
                new Case("alpha 1.5", "but was 1.5", () -> new DistillConfig(2, 1.5, SftConfig.defaults())),
                new Case("alpha NaN", "but was NaN", () -> DistillConfig.builder().alpha(Double.NaN)),
                new Case("DPO packing", "packing", () -> DpoConfig.builder()
                        .training(SftConfig.builder().packing(true).build())),
                new Case("DPO early stopping", "earlyStoppingPatience was 2", () -> DpoConfig.builder()
                        .training(SftConfig.builder().earlyStopping(2, 0).build())),
                new Case("chosen equals rejected", "the chosen completion equals the rejected one ('x')",
                        () -> PreferencePair.of("p", "x", "x")),
                new Case("null rejected", "rejected=null", () -> PreferencePair.of("p", "x", null)))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    String m = message(InvalidArgumentException.class, c.run());
                    assertTrue(m.contains(c.expected()), m);
                }));
    }

    @Test
    void optionsMaySetOnce() {
        DpoConfig.Builder b = DpoConfig.builder().beta(0.2);
        String m = message(IllegalStateException.class, () -> b.beta(0.3));
        assertTrue(m.contains("beta was already set to 0.2"), m);
        DistillConfig.Builder d = DistillConfig.builder().alpha(0.3);
        assertThrows(IllegalStateException.class, () -> d.alpha(0.4));
    }

    @Test
    void mismatchedVocabulariesNameBothSizes() {
        try (Gpt2Model teacher = tiny(tokenizer.vocabSize(), 1); Gpt2Model student = tiny(tokenizer.vocabSize() + 5, 2)) {
            String m = message(InvalidArgumentException.class, () -> Distiller.builder(teacher, student, tokenizer));
            assertTrue(m.contains("16 tokens") && m.contains("11"), m);
            try (DpoReference ref = DpoReference.of(student)) {
                String r = message(InvalidArgumentException.class,
                        () -> DpoTrainer.builder(teacher, tokenizer).reference(ref));
                assertTrue(r.contains("16") && r.contains("11"), r);
            }
            assertThrows(InvalidArgumentException.class, () -> Distiller.builder(teacher, teacher, tokenizer));
        }
    }

    @Test
    void emptyDatasetsAreRefusedByName() {
        try (Gpt2Model a = tiny(tokenizer.vocabSize(), 1); Gpt2Model b = tiny(tokenizer.vocabSize(), 2)) {
            String m = message(InvalidArgumentException.class, () -> DpoTrainer.builder(a, tokenizer)
                    .progress(ProgressListener.noop()).build().fit(PreferenceDataset.of("nothing", List.of()), null));
            assertTrue(m.contains("'nothing' is empty"), m);
            String d = message(InvalidArgumentException.class, () -> Distiller.builder(a, b, tokenizer)
                    .progress(ProgressListener.noop()).build().fit(SftDataset.of("none", List.of()), null));
            assertTrue(d.contains("'none' is empty"), d);
        }
    }

    @Test
    void aSeparateReferenceStartsAtZeroMarginAndTrainingRaisesIt() {
        List<PreferencePair> pairs = DpoEvidenceTest.strings(64, 11).stream()
                .map(s -> PreferencePair.of(s, s, DpoEvidenceTest.stammer(s))).toList();
        PreferenceDataset data = PreferenceDataset.of("prefer-copy", pairs);
        try (Gpt2Model policy = tiny(tokenizer.vocabSize(), 3); Gpt2Model frozen = tiny(tokenizer.vocabSize(), 3);
                DpoReference ref = DpoReference.of(frozen)) {
            DpoTrainer trainer = DpoTrainer.builder(policy, tokenizer).format(Tiny.FORMAT).reference(ref)
                    .progress(ProgressListener.noop())
                    .config(DpoConfig.builder().beta(0.2).training(SftConfig.builder().learningRate(3e-3)
                            .maxSteps(8).microBatchSize(16).build()).build())
                    .build();
            PreferenceMetrics before = trainer.evaluate(data, ref);
            assertEquals(0.0, before.rewardMargin(), 1e-6);
            assertEquals(Math.log(2), before.loss(), 1e-6);
            String frozenDigest = frozen.weightsDigest();
            DpoResult r = trainer.fit(data, null);
            PreferenceMetrics after = trainer.evaluate(data, ref);
            assertEquals(frozenDigest, frozen.weightsDigest(), "the reference is never trained");
            assertEquals(8, r.history().size());
            assertEquals("separate model " + frozen.config(), r.reference());
            assertTrue(after.rewardMargin() > 0.1 && after.loss() < before.loss(), after.toString());
            DpoStep mid = r.history().get(3);
            assertTrue(mid.learningRate() > 0 && mid.gradNorm() > 0 && mid.tokens() > 0, mid.toString());
        }
    }

    @Test
    void startingWeightsNeedSomethingTrainable() {
        try (Gpt2Model m = tiny(tokenizer.vocabSize(), 1)) {
            m.setBaseTrainable(false);
            assertThrows(InvalidArgumentException.class, () -> DpoReference.startingWeights(m));
        }
    }

    @Test
    void distillingWithNoSoftTermMatchesPlainFineTuning() {
        List<SftExample> examples = Tiny.strings(true, 64, 5);
        SftConfig loop = SftConfig.builder().learningRate(3e-3).maxSteps(5).microBatchSize(16).seed(2).build();
        try (Gpt2Model teacher = tiny(tokenizer.vocabSize(), 1); Gpt2Model a = tiny(tokenizer.vocabSize(), 2);
                Gpt2Model b = tiny(tokenizer.vocabSize(), 2)) {
            double[] distilled = Distiller.builder(teacher, a, tokenizer).format(Tiny.FORMAT)
                    .progress(ProgressListener.noop())
                    .config(DistillConfig.builder().alpha(0).training(loop).build()).build()
                    .fit(SftDataset.of("r", examples), null).trainLosses();
            double[] plain = dev.mlops.llm.train.SftTrainer.builder(b, tokenizer).format(Tiny.FORMAT)
                    .progress(ProgressListener.noop()).config(loop).build()
                    .fit(SftDataset.of("r", examples), null).trainLosses();
            for (int i = 0; i < plain.length; i++) {
                assertEquals(plain[i], distilled[i], 1e-4, "step " + (i + 1));
            }
            assertEquals(a.weightsDigest().length(), 64);
        }
    }
}
