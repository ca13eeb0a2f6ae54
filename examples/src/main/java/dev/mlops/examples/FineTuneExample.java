package dev.mlops.examples;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.Comparison;
import dev.mlops.llm.EvalDataset;
import dev.mlops.llm.EvaluationResult;
import dev.mlops.llm.Evaluator;
import dev.mlops.llm.metrics.PairedBootstrapResult;
import dev.mlops.llm.metrics.TextMetrics;
import dev.mlops.llm.lora.LlmPackage;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.GenerationConfig;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextGenerator;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import dev.mlops.llm.train.SftTrainer;
import dev.mlops.llm.train.TrainingResult;
import dev.mlops.registry.Lineage;
import dev.mlops.registry.ModelPackage;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registry;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a small GPT-2 style model with LoRA on a synthetic task and shows the whole loop: a base model saved and
 * reloaded in Hugging Face's format, a JSON-lines dataset in the shape the feedback store exports, exact match measured
 * by the evaluation harness before and after, training metrics in a tracked run, the adapter saved alone, packaged
 * and registered with lineage that names the base.
 *
 * <p>The base model is tiny and learns to copy strings in a few seconds, standing in for a pretrained checkpoint; with
 * a GPT-2-family model on disk, {@code Gpt2Model.load(dir)} and {@code TextTokenizer.load(dir.resolve(
 * "tokenizer.json"))} take its place. The adapter then teaches it to reverse strings. Everything runs on the CPU
 * (a GPU is used when DJL's PyTorch sees one) and nothing is downloaded.
 *
 * <pre>
 * mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.mlops.examples.FineTuneExample
 * </pre>
 */
public final class FineTuneExample {
    /** The prompt format: the string, then {@code =}; the completion follows. */
    static final PromptFormat FORMAT = PromptFormat.template("{prompt}=");

    private FineTuneExample() {
    }

    /**
     * What the example produced, for its test.
     *
     * @param exactMatchBefore held-out exact match of the base model
     * @param exactMatchAfter held-out exact match with the adapter
     * @param comparison the paired comparison of the two
     * @param training the LoRA run's outcome
     * @param run the tracked run
     * @param adapterDir the saved adapter
     * @param packageDir the registry package
     * @param version the registered version
     * @param lineage the version's lineage
     * @param baseDigest the base weights' digest
     */
    record Outcome(double exactMatchBefore, double exactMatchAfter, Comparison comparison, TrainingResult training,
            RunInfo run, Path adapterDir, Path packageDir, ModelVersion version, Lineage lineage, String baseDigest) {
    }

    /**
     * Runs the example in a temporary directory.
     *
     * @param args unused
     * @throws IOException if the directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("fine-tune-example");
        run(root, System.out, ProgressListener.console(System.err));
        System.out.println("Files are in " + root);
    }

    /**
     * Random strings of 3 to 6 letters from a to h with their copy or their reversal.
     *
     * @param reverse true to reverse
     * @param n how many
     * @param seed the seed
     * @return the examples
     */
    static List<SftExample> strings(boolean reverse, int n, long seed) {
        Random r = new Random(seed);
        List<SftExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 3 + r.nextInt(4); k > 0; k--) {
                sb.append((char) ('a' + r.nextInt(8)));
            }
            String s = sb.toString();
            out.add(SftExample.of(s, reverse ? sb.reverse().toString() : s));
        }
        return out;
    }

    static Outcome run(Path root, PrintStream out, ProgressListener progress) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.characterLevel(root.resolve("base/tokenizer.json"), "abcdefgh=")) {
            String baseDigest = prepareBase(root.resolve("base"), tokenizer, out, progress);
            try (Gpt2Model model = Gpt2Model.load(root.resolve("base"), DeviceChoice.AUTO);
                    Tracking tracking = Tracking.open(root.resolve("mlops"));
                    Registry registry = Registry.builder().root(root.resolve("mlops")).lineage(tracking).build()) {
                out.printf("Loaded the base from %s: %s on %s, weights digest %s...%n", root.resolve("base"),
                        model.config(), model.device(), baseDigest.substring(0, 16));
                return adapt(root, model, tokenizer, tracking, registry, out, progress);
            }
        }
    }

    /** Trains the stand-in base model to copy strings and saves it in Hugging Face's layout. */
    private static String prepareBase(Path dir, TextTokenizer tokenizer, PrintStream out, ProgressListener progress) {
        Gpt2Config config = Gpt2Config.builder().vocabSize(tokenizer.vocabSize()).contextLength(32).embeddingSize(64)
                .layers(2).heads(4).build();
        try (Gpt2Model base = Gpt2Model.create(config, 1, DeviceChoice.AUTO)) {
            TrainingResult r = SftTrainer.builder(base, tokenizer).format(FORMAT).progress(progress)
                    .config(SftConfig.builder().learningRate(3e-3).maxSteps(300).microBatchSize(32).warmupSteps(20)
                            .build())
                    .build().fit(SftDataset.of("copy", strings(false, 2000, 1)), null);
            base.save(dir);
            out.printf("Base model: %,d parameters, trained to copy strings (loss %.3f), saved as config.json and "
                    + "model.safetensors%n", base.parameterCount(), r.finalTrainLoss());
            return base.weightsDigest();
        }
    }

    private static Outcome adapt(Path root, Gpt2Model model, TextTokenizer tokenizer, Tracking tracking,
            Registry registry, PrintStream out, ProgressListener progress) {
        Path jsonl = root.resolve("reverse.jsonl");
        SftDataset.of("reverse", strings(true, 1200, 2)).writeJsonl(jsonl);
        SftDataset.Split split = SftDataset.readJsonl(jsonl).split(0.1, 3);
        EvalDataset heldOut = split.validation().toEvalDataset();
        out.printf("Dataset %s: %d training and %d held-out examples (de-duplicated, seeded split)%n", jsonl
                .getFileName(), split.train().size(), split.validation().size());

        TextGenerator generator = TextGenerator.builder(model, tokenizer).format(FORMAT)
                .config(GenerationConfig.greedy(8)).build();
        Evaluator evaluator = Evaluator.builder().metrics(TextMetrics.exactMatch()).progress(ProgressListener.noop())
                .build();
        EvaluationResult before = evaluator.evaluate("copy-base", heldOut, generator);

        LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 5);
        out.printf("LoRA rank %d on %s: %,d trainable parameters of %,d (%.2f%%)%n", lora.config().rank(),
                lora.config().targets(), lora.trainableParameterCount(), model.parameterCount(),
                100.0 * lora.trainableParameterCount() / model.parameterCount());
        TrainingResult training;
        EvaluationResult after;
        String runId;
        try (Run run = tracking.experiment("reverse-strings").startRun("lora-r8")) {
            runId = run.id();
            Schema rows = Schema.of(List.of(Field.required("prompt", DataType.STRING),
                    Field.required("completion", DataType.STRING)));
            run.logInput(new DatasetInput(split.train().name(), split.train().digest(), rows, "jsonl",
                    jsonl.toString(), "training"));
            training = SftTrainer.builder(model, tokenizer).format(FORMAT).sink(run).progress(progress)
                    .config(SftConfig.builder().learningRate(1e-2).maxSteps(400).microBatchSize(32).warmupSteps(20)
                            .evalEvery(100).earlyStopping(3, 0.0).checkpoints(root.resolve("checkpoints"), 200)
                            .pricePerDeviceHour(0.10).build())
                    .build().fit(split.train(), split.validation());
            after = evaluator.evaluate("reverse-lora", heldOut, generator);
            run.logMetric("eval/exact_match", after.aggregates().get("exact_match"));
        }
        Comparison comparison = evaluator.compare(before, after);
        PairedBootstrapResult em = comparison.tests().get(0);
        out.printf("Fine-tuned %d steps in %.1f s (%.0f tokens/s), best validation loss %.3f at step %d%n",
                training.steps(), training.elapsed().toMillis() / 1000.0, training.tokensPerSecond(),
                training.bestValidationLoss(), training.bestStep());
        out.printf("Held-out exact match: %.3f -> %.3f (delta %.3f, p = %.4f)%n", em.baseline(), em.candidate(),
                em.delta(), em.pValue());

        Path adapterDir = lora.save(root.resolve("adapter"));
        Path packageDir = LlmPackage.builder().adapter(lora).baseName("copy-base").tokenizer(tokenizer).format(FORMAT)
                .description("LoRA adapter that reverses strings")
                .metrics(Map.of("exact_match", after.aggregates().get("exact_match"),
                        "validation_loss", training.bestValidationLoss()))
                .dataset(split.train().ref("training")).dataset(split.validation().ref("evaluation"))
                .build(root.resolve("package"));
        ModelVersion version = registry.register("reverse-lora", ModelPackage.open(packageDir),
                tracking.getRun(runId).artifactUri("adapter"));
        Lineage lineage = registry.lineage("reverse-lora", version.version());
        out.printf("Adapter saved to %s (%,d bytes); registered as %s with lineage:%n", adapterDir,
                sizeOf(adapterDir.resolve(LoraAdapter.WEIGHTS_FILE)), version.uri());
        for (DatasetRef d : lineage.datasets()) {
            out.printf("  %-10s %-26s %s...%n", d.context(), d.name(), d.digest().substring(0, 16));
        }
        return new Outcome(before.aggregates().get("exact_match"), after.aggregates().get("exact_match"), comparison,
                training, tracking.getRun(runId), adapterDir, packageDir, version, lineage, lora.baseDigest());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
