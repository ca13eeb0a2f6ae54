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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LoRA against full fine-tuning of the same GPT-2 style model ({@link LlmFineTuneModels}, 3.2M parameters), as a
 * program rather than JMH so that it can report memory: trainable parameters, gradient and AdamW-state bytes, the
 * process's resident memory before training and at its peak, mean step time and tokens per second over the measured
 * steps (after 8 warm-up steps), and the loss reached. Each mode runs in a JVM of its own, so that one mode's memory
 * does not show in the other's figures.
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.mlops.benchmarks.LlmFineTuneComparison [cpu|gpu|auto] [steps]
 * </pre>
 *
 * <p>On a GPU ({@code gpu}), precision is AUTO, which means fp16 mixed precision; a mode that finds no GPU prints
 * why and exits with status 2. JVM options given to this program (for instance
 * {@code -Dai.djl.pytorch.num_threads=1}) are passed on to the per-mode JVMs.
 */
public final class LlmFineTuneComparison {
    private LlmFineTuneComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the device ({@code cpu} by default), the measured steps (40 by default), and a mode ({@code full}
     *     or {@code lora}) to run only that one in this JVM
     * @throws IOException if the temporary tokenizer cannot be written
     * @throws InterruptedException if interrupted while waiting for a mode's JVM
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String device = args.length > 0 ? args[0] : "cpu";
        String steps = args.length > 1 ? args[1] : "40";
        PrintStream out = System.out;
        if (args.length > 2) {
            runMode(args[2], DeviceChoice.valueOf(device.toUpperCase(Locale.ROOT)), Integer.parseInt(steps), out);
            return;
        }
        out.printf(Locale.ROOT, "%-5s %-8s %12s %14s %14s %10s %10s %10s %10s %9s%n", "mode", "device", "trainable",
                "gradients B", "AdamW state B", "RSS0 MiB", "peak MiB", "ms/step", "tokens/s", "loss");
        int status = 0;
        for (String mode : new String[] {"full", "lora"}) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    LlmFineTuneComparison.class.getName(), device, steps, mode));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(out::println);
            }
            status = Math.max(status, p.waitFor());
        }
        out.printf(Locale.ROOT, "(%s measured steps of 16 examples each, %,d parameters in all)%n", steps,
                LlmFineTuneModels.config(32).parameterCount());
        System.exit(status);
    }

    private static void runMode(String mode, DeviceChoice device, int steps, PrintStream out) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path dir = Files.createTempDirectory("llm-fine-tune-comparison");
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(dir);
                Gpt2Model model = LlmFineTuneModels.model(mode, 32, device)) {
            SftDataset data = LlmFineTuneModels.data(16 * (steps + 8));
            double before = status("VmRSS:");
            trainer(model, tokenizer, 8, mode).fit(data, null);
            TrainingResult r = trainer(model, tokenizer, steps, mode).fit(data, null);
            double msPerStep = r.tokens() / r.tokensPerSecond() * 1000 / r.steps();
            long gradientBytes = r.trainableParameters() * (r.precision() == Precision.FP16_MIXED ? 2 : 4);
            out.printf(Locale.ROOT, "%-5s %-8s %,12d %,14d %,14d %10.0f %10.0f %10.1f %10.0f %9.3f%n", mode,
                    r.device(), r.trainableParameters(), gradientBytes, r.optimizerStateBytes(), before,
                    status("VmHWM:"), msPerStep, r.tokensPerSecond(), r.finalTrainLoss());
        } catch (dev.mlops.api.UnavailableException e) {
            out.println(mode + "  not run: " + e.getMessage());
            System.exit(2);
        }
    }

    private static SftTrainer trainer(Gpt2Model model, TextTokenizer tokenizer, int steps, String mode) {
        return SftTrainer.builder(model, tokenizer).format(LlmFineTuneModels.FORMAT).progress(ProgressListener.noop())
                .config(SftConfig.builder().learningRate(mode.equals("lora") ? 3e-3 : 1e-3).maxSteps(steps)
                        .microBatchSize(16).build())
                .build();
    }

    /** Reads a memory line of /proc/self/status, in MiB. */
    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.trim().split("\\s+")[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
