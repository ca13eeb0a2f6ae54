package dev.mlops.benchmarks;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.Precision;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftTrainer;
import dev.mlops.llm.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * LoRA against full fine-tuning of the same GPT-2 style model ({@link LlmFineTuneModels}, 3.2M parameters), as a
 * program rather than JMH so that it can report memory: trainable parameters, gradient and AdamW-state bytes, the
 * process's resident memory after training, mean step time and tokens per second over 40 measured steps (after 8
 * warm-up steps), and the loss reached. Each mode runs in a fresh model; the full run goes first so that the resident
 * figure of LoRA is not flattered by memory the full run released.
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.mlops.benchmarks.LlmFineTuneComparison [cpu|gpu|auto] [steps]
 * </pre>
 *
 * <p>On a GPU ({@code gpu}), precision is AUTO, which means fp16 mixed precision; the process exits with status 2
 * when no GPU is visible.
 */
public final class LlmFineTuneComparison {
    private LlmFineTuneComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the device ({@code cpu} by default) and the measured steps (40 by default)
     * @throws IOException if the temporary tokenizer cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        DeviceChoice device = DeviceChoice.valueOf(args.length > 0 ? args[0].toUpperCase(Locale.ROOT) : "CPU");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("llm-fine-tune-comparison");
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(dir)) {
            SftDataset data = LlmFineTuneModels.data(16 * (steps + 8));
            out.printf(Locale.ROOT, "%-5s %-8s %12s %14s %14s %12s %10s %10s %9s%n", "mode", "device", "trainable",
                    "gradients B", "AdamW state B", "RSS MiB", "ms/step", "tokens/s", "loss");
            for (String mode : new String[] {"full", "lora"}) {
                try (Gpt2Model model = LlmFineTuneModels.model(mode, 32, device)) {
                    SftTrainer warm = trainer(model, tokenizer, 8, mode);
                    warm.fit(data, null);
                    TrainingResult r = trainer(model, tokenizer, steps, mode).fit(data, null);
                    double msPerStep = r.tokens() / r.tokensPerSecond() * 1000 / r.steps();
                    long gradientBytes = r.trainableParameters() * (r.precision() == Precision.FP16_MIXED ? 2 : 4);
                    out.printf(Locale.ROOT, "%-5s %-8s %,12d %,14d %,14d %12.0f %10.1f %10.0f %9.3f%n", mode,
                            r.device(), r.trainableParameters(), gradientBytes, r.optimizerStateBytes(),
                            rssMiB(), msPerStep, r.tokensPerSecond(), r.finalTrainLoss());
                }
            }
            out.printf(Locale.ROOT, "(%d measured steps of 16 examples each, %,d parameters in all)%n", steps,
                    LlmFineTuneModels.config(32).parameterCount());
        } catch (dev.mlops.api.UnavailableException e) {
            out.println("not run: " + e.getMessage());
            System.exit(2);
        }
    }

    private static SftTrainer trainer(Gpt2Model model, TextTokenizer tokenizer, int steps, String mode) {
        return SftTrainer.builder(model, tokenizer).format(LlmFineTuneModels.FORMAT).progress(ProgressListener.noop())
                .config(SftConfig.builder().learningRate(mode.equals("lora") ? 3e-3 : 1e-3).maxSteps(steps)
                        .microBatchSize(16).build())
                .build();
    }

    private static double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.trim().split("\\s+")[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
