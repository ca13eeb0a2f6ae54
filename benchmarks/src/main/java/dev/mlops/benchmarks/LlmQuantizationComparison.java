package dev.mlops.benchmarks;

import dev.mlops.llm.Pricing;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.GenerationConfig;
import dev.mlops.llm.model.Generated;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextGenerator;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.quant.Int8Quantization;
import dev.mlops.llm.quant.QualityComparison;
import dev.mlops.llm.quant.QuantizationReport;
import dev.mlops.llm.quant.WeightFootprint;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.tuning.FineTuneTuning;
import dev.mlops.llm.tuning.TrainingCost;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tuning.Budget;
import dev.mlops.tracking.tuning.FrozenTrial;
import dev.mlops.tracking.tuning.OptimizeReport;
import dev.mlops.tracking.tuning.RandomSampler;
import dev.mlops.tracking.tuning.Study;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * 32-bit against 8-bit generation on the CPU with the same model, and the wall time of a cost-aware fine-tuning study,
 * as a program rather than JMH so that it can report memory. The model has GPT-2 small's body (width 768, 12 layers,
 * 12 heads, context 256) over a character vocabulary, so its linear layers hold 85M of its 85.4M parameters; it is
 * created with seeded random weights, saved as 32-bit, then quantized and saved as 8-bit.
 *
 * <p>The first JVM prints the file sizes, the quantization report and the 8-bit model's perplexity and top-1
 * agreement against the 32-bit model on random token sequences (on random weights these say how far predictions move,
 * not how good they are). Then each mode runs in a JVM of its own, so that one mode's memory does not show in the
 * other's figures: it loads its directory, generates 64 tokens greedily with the key/value cache once to warm up and
 * three times measured, and prints the load time, the weights' bytes, resident memory after loading ({@code RSS0})
 * and after generating ({@code RSS}), each after a garbage collection has dropped the load's Java garbage and the
 * mapped weights file, the peak resident memory (loading included), tokens per second and the first generated
 * tokens. Last, a JVM runs a tracked {@link FineTuneTuning} study (8 random trials of 5 to 30 LoRA steps on the
 * {@link LlmFineTuneModels} model, SQLite in a temporary directory) and prints its wall time, every trial and the
 * Pareto front; a trial whose learning rate makes training diverge is printed as failed, as the study records it.
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -Dai.djl.pytorch.num_threads=1 -cp benchmarks/target/benchmarks.jar \
 *     dev.mlops.benchmarks.LlmQuantizationComparison
 * </pre>
 *
 * <p>JVM options given to this program are passed on to the per-mode JVMs.
 */
public final class LlmQuantizationComparison {
    private static final int NEW_TOKENS = 64;
    private static final int RUNS = 3;

    private LlmQuantizationComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args none to run everything; {@code fp32 DIR}, {@code int8 DIR} or {@code study} to run one part in this
     *     JVM
     * @throws IOException if a temporary file cannot be written
     * @throws InterruptedException if interrupted while waiting for a mode's JVM
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        System.setProperty("ai.djl.offline", "true");
        PrintStream out = System.out;
        if (args.length > 0) {
            if (args[0].equals("study")) {
                study(out);
            } else {
                generate(args[0], Path.of(args[1]), out);
            }
            return;
        }
        Path dir = Files.createTempDirectory("llm-quantization-comparison");
        prepare(dir, out);
        out.printf(Locale.ROOT, "%n%-5s %9s %13s %13s %10s %10s %10s %10s  %s%n", "mode", "load ms", "linear B",
                "other B", "RSS0 MiB", "RSS MiB", "peak MiB", "tokens/s", "first tokens");
        int status = 0;
        for (String mode : new String[] {"fp32", "int8"}) {
            status = Math.max(status, child(out, mode, dir.resolve(mode).toString()));
        }
        out.println();
        status = Math.max(status, child(out, "study"));
        System.exit(status);
    }

    private static int child(PrintStream out, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                LlmQuantizationComparison.class.getName()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            r.lines().forEach(out::println);
        }
        return p.waitFor();
    }

    static Gpt2Config config(int vocab) {
        return Gpt2Config.builder().vocabSize(vocab).contextLength(256).embeddingSize(768).layers(12).heads(12)
                .build();
    }

    private static void prepare(Path dir, PrintStream out) throws IOException {
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(dir)) {
            Gpt2Config config = config(tokenizer.vocabSize());
            out.printf(Locale.ROOT, "model: %s, %,d parameters%n", config, config.parameterCount());
            try (Gpt2Model model = Gpt2Model.create(config, 1, DeviceChoice.CPU)) {
                model.save(dir.resolve("fp32"));
                QuantizationReport r = Int8Quantization.quantize(model);
                Int8Quantization.save(model, dir.resolve("int8"));
                out.printf(Locale.ROOT, "in-memory linear weights: %,d B -> %,d B (%.2fx); other weights %,d B "
                        + "(32-bit, unchanged); max |w - dequantized| %.2e%n", r.before().linearWeightBytes(),
                        r.after().linearWeightBytes(), r.linearCompression(), r.after().otherBytes(),
                        r.maxAbsoluteError());
            }
            long fp32 = Files.size(dir.resolve("fp32").resolve(Gpt2Model.WEIGHTS_FILE));
            long int8 = Files.size(dir.resolve("int8").resolve(Gpt2Model.WEIGHTS_FILE));
            out.printf(Locale.ROOT, "weights file: %,d B -> %,d B (%.2fx)%n", fp32, int8, (double) fp32 / int8);
            Random random = new Random(5);
            List<long[]> sequences = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                sequences.add(random.longs(64, 0, tokenizer.vocabSize()).toArray());
            }
            try (Gpt2Model a = Gpt2Model.load(dir.resolve("fp32"), DeviceChoice.CPU);
                    Gpt2Model b = Int8Quantization.load(dir.resolve("int8"), DeviceChoice.CPU)) {
                QualityComparison q = Int8Quantization.compare(a, b, sequences);
                out.printf(Locale.ROOT, "perplexity %.4f -> %.4f (%+.3f%%), top-1 agreement %.4f over %d positions, "
                        + "max |logit difference| %.4f%n", q.referencePerplexity(), q.perplexity(),
                        100 * q.relativePerplexityIncrease(), q.top1Agreement(), q.positions(),
                        q.maxAbsoluteLogitDifference());
            }
        }
    }

    private static void generate(String mode, Path dir, PrintStream out) throws IOException {
        Path tmp = Files.createTempDirectory("llm-quantization-" + mode);
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(tmp)) {
            long start = System.nanoTime();
            try (Gpt2Model model = mode.equals("int8") ? Int8Quantization.load(dir, DeviceChoice.CPU)
                    : Gpt2Model.load(dir, DeviceChoice.CPU)) {
                double loadMs = (System.nanoTime() - start) / 1e6;
                double rss = settledRss();
                WeightFootprint f = Int8Quantization.footprint(model);
                TextGenerator generator = TextGenerator.builder(model, tokenizer)
                        .config(GenerationConfig.greedy(NEW_TOKENS)).build();
                long[] prompt = tokenizer.encode("reverse: quantization\n");
                Generated first = generator.generateFrom(prompt);
                long tokens = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < RUNS; i++) {
                    tokens += generator.generateFrom(prompt).tokenIds().length;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double settled = settledRss();
                out.printf(Locale.ROOT, "%-5s %9.0f %,13d %,13d %10.0f %10.0f %10.0f %10.1f  %s (%d tokens per run)%n",
                        mode, loadMs, f.linearWeightBytes(), f.otherBytes(), rss, settled, status("VmHWM:"),
                        tokens / seconds,
                        Arrays.toString(Arrays.copyOf(first.tokenIds(), 12)), first.tokenIds().length);
            }
        }
    }

    private static void study(PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("llm-tuning-study");
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(dir);
                Gpt2Model model = LlmFineTuneModels.model("full", tokenizer.vocabSize(), DeviceChoice.CPU);
                Tracking tracking = Tracking.open(dir.resolve("store"))) {
            SftDataset.Split split = LlmFineTuneModels.data(600).split(0.1, 1);
            FineTuneTuning tuning = FineTuneTuning.builder(model, tokenizer, split.train(), split.validation())
                    .format(LlmFineTuneModels.FORMAT).cost(TrainingCost.pricedTokens(Pricing.perMillionTokens(2, 0)))
                    .learningRate(1e-3, 3e-2).batchSizes(8, 16).loraRanks(2, 4, 8).steps(5, 30).seed(1).build();
            Study study = Study.builder("quantization-comparison-study").space(tuning.space())
                    .directions(tuning.directions()).objectiveNames(tuning.objectiveNames())
                    .sampler(new RandomSampler(3)).tracking(tracking).build();
            long start = System.nanoTime();
            OptimizeReport report = study.optimizeMulti(tuning.objective(), Budget.trials(8));
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "tuning study: %d trials (%d complete) in %.1f s wall, %.2f s per trial; %s%n",
                    report.started(), report.complete(), seconds, seconds / report.started(), model.config());
            double training = 0;
            for (FrozenTrial t : study.trials()) {
                if (t.values().isEmpty()) {
                    out.printf(Locale.ROOT, "  trial %d %s: %s%n", t.number(), t.state(), t.error());
                    continue;
                }
                double s = tracking.getRun(t.runId()).metrics().get("device_seconds");
                training += s;
                boolean front = study.paretoFront().stream().anyMatch(f -> f.number() == t.number());
                out.printf(Locale.ROOT, "  trial %d %s lr=%.4f batch=%s rank=%s steps=%s: validation loss %.4f, "
                        + "cost %.6f USD, %.2f s training%n", t.number(), front ? "*" : " ",
                        (Double) t.params().get(FineTuneTuning.LEARNING_RATE), t.params().get(FineTuneTuning.BATCH_SIZE),
                        t.params().get(FineTuneTuning.LORA_RANK), t.params().get(FineTuneTuning.STEPS),
                        t.values().get(0), t.values().get(1), s);
            }
            out.printf(Locale.ROOT, "  (* on the Pareto front; training %.1f s of %.1f s wall, the rest validation, "
                    + "adapter set-up and tracking)%n", training, seconds);
        }
    }

    /** Collects the load's garbage (and the mapped weights file with it), then reads the resident size, in MiB. */
    private static double settledRss() {
        System.gc();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status("VmRSS:");
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
