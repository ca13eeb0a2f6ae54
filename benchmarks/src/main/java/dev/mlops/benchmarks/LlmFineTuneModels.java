package dev.mlops.benchmarks;

import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The model and data both fine-tuning benchmarks use: a GPT-2 style decoder of width 256 with 4 layers and 8 heads
 * (3.2M parameters) over a character vocabulary, trained to reverse strings of 8 to 24 lower-case letters.
 */
final class LlmFineTuneModels {
    static final PromptFormat FORMAT = PromptFormat.template("reverse: {prompt}\n");
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz :\n";

    private LlmFineTuneModels() {
    }

    static Gpt2Config config(int vocab) {
        return Gpt2Config.builder().vocabSize(vocab).contextLength(64).embeddingSize(256).layers(4).heads(8).build();
    }

    static TextTokenizer tokenizer(Path dir) {
        return TextTokenizer.characterLevel(dir.resolve("tokenizer.json"), ALPHABET);
    }

    /**
     * Creates the model, with rank-8 adapters on query and value for {@code lora}, or all weights trainable for
     * {@code full}.
     */
    static Gpt2Model model(String mode, int vocab, DeviceChoice device) {
        Gpt2Model m = Gpt2Model.create(config(vocab), 1, device);
        if (mode.equals("lora")) {
            LoraAdapter.attach(m, LoraConfig.defaults(), 2);
        } else if (!mode.equals("full")) {
            m.close();
            throw new IllegalArgumentException("mode must be full or lora, not " + mode);
        }
        return m;
    }

    static SftDataset data(int n) {
        Random r = new Random(3);
        List<SftExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 8 + r.nextInt(17); k > 0; k--) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            String s = sb.toString();
            out.add(SftExample.of(s, sb.reverse().toString()));
        }
        return SftDataset.of("reverse", out);
    }
}
