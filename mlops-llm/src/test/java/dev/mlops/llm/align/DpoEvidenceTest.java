package dev.mlops.llm.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.RecordingMetricSink;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.GenerationConfig;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextGenerator;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import dev.mlops.llm.train.SftTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence on a synthetic preference task: a tiny model fine-tuned on two answers to the same strings, the copy and
 * the copy with its last letter repeated ("stammer"), mostly stammers; a short, gentle DPO run with LoRA on pairs that
 * prefer the copy raises the held-out reward margin from zero, and greedy generations on held-out prompts beat the
 * reference's under the rule "the answer is the prompt copied". The base weights stay bit-identical. (Pushed much
 * further, DPO over-optimizes and garbles the shared prefix, which this test does not cover.)
 */
class DpoEvidenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(DpoEvidenceTest.class);

    @TempDir
    Path dir;

    static List<String> strings(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            int len = 3 + r.nextInt(4);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append((char) ('a' + r.nextInt(8)));
            }
            String s = sb.toString();
            out.add(s);
        }
        return out;
    }

    /** The violating answer: the copy with its last letter repeated. */
    static String stammer(String s) {
        return s + s.charAt(s.length() - 1);
    }

    @Test
    void preferenceTrainingRaisesTheMarginAndBeatsTheReference() {
        try (TextTokenizer tokenizer = Tiny.tokenizer(dir);
                Gpt2Model model = Gpt2Model.create(Gpt2Config.builder().vocabSize(tokenizer.vocabSize())
                        .contextLength(32).embeddingSize(48).layers(2).heads(4).build(), 1, DeviceChoice.CPU)) {
            List<SftExample> mixed = new ArrayList<>();
            for (String s : strings(1000, 1)) {
                mixed.add(SftExample.of(s, s));
                mixed.add(SftExample.of(s, stammer(s)));
            }
            SftTrainer.builder(model, tokenizer).format(Tiny.FORMAT).progress(ProgressListener.noop())
                    .config(SftConfig.builder().learningRate(3e-3).maxSteps(450).microBatchSize(32).warmupSteps(20)
                            .build())
                    .build().fit(SftDataset.of("copy-or-stammer", mixed), null);

            List<PreferencePair> pairs = new ArrayList<>();
            for (String s : strings(600, 2)) {
                pairs.add(PreferencePair.of(s, s, stammer(s)));
            }
            PreferenceDataset.Split split = PreferenceDataset.of("prefer-copy", pairs).split(0.2, 3);
            TextGenerator generator = TextGenerator.builder(model, tokenizer).format(Tiny.FORMAT)
                    .config(GenerationConfig.greedy(8)).build();
            List<String> prompts = split.validation().pairs().stream().map(PreferencePair::prompt).toList();
            List<String> before = prompts.stream().map(p -> generator.complete(p).text()).toList();
            String baseDigest = model.weightsDigest();

            LoraAdapter.attach(model, LoraConfig.defaults(), 5);
            RecordingMetricSink sink = new RecordingMetricSink();
            DpoResult r = DpoTrainer.builder(model, tokenizer).format(Tiny.FORMAT).progress(ProgressListener.noop())
                    .sink(sink)
                    .config(DpoConfig.builder().beta(0.5).training(SftConfig.builder().learningRate(1e-3)
                            .maxSteps(40).microBatchSize(16).warmupSteps(10).evalEvery(20).build()).build())
                    .build().fit(split.train(), split.validation());
            List<String> after = prompts.stream().map(p -> generator.complete(p).text()).toList();

            int wins = 0;
            int losses = 0;
            int refCorrect = 0;
            int policyCorrect = 0;
            for (int i = 0; i < prompts.size(); i++) {
                boolean ref = before.get(i).equals(prompts.get(i));
                boolean pol = after.get(i).equals(prompts.get(i));
                refCorrect += ref ? 1 : 0;
                policyCorrect += pol ? 1 : 0;
                wins += pol && !ref ? 1 : 0;
                losses += ref && !pol ? 1 : 0;
            }
            double winRate = (wins + 0.5 * (prompts.size() - wins - losses)) / prompts.size();
            String summary = String.format("margin %.4f -> %.4f, accuracy %.3f -> %.3f, copies %d -> %d of %d, "
                    + "wins %d losses %d, win rate %.3f", r.initialValidation().rewardMargin(),
                    r.finalValidation().rewardMargin(), r.initialValidation().rewardAccuracy(),
                    r.finalValidation().rewardAccuracy(), refCorrect, policyCorrect, prompts.size(), wins, losses,
                    winRate);
            LOG.info("DPO evidence: {}, reference {}", summary, r.reference());

            assertEquals(baseDigest, model.weightsDigest(), "the base stays bit-identical");
            assertEquals("base model with adapters disabled", r.reference());
            assertEquals(0.0, r.initialValidation().rewardMargin(), 1e-4, "policy equals reference at the start");
            assertTrue(r.finalValidation().rewardMargin() > 0.5, summary);
            assertTrue(r.finalValidation().rewardAccuracy() > 0.95, summary);
            assertTrue(r.history().get(r.history().size() - 1).rewardMargin() > r.history().get(0).rewardMargin(),
                    summary);
            assertTrue(winRate > 0.6 && wins > 3 * losses, summary);
            assertTrue(policyCorrect > refCorrect + prompts.size() / 4, summary);
            assertTrue(sink.history("dpo/reward_margin").size() == 40, "one margin per step");
        }
    }
}
