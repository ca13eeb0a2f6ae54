package dev.mlops.benchmarks;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftTrainer;
import dev.mlops.llm.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per optimizer step of LoRA (rank 8 on query and value, 32,768 trainable parameters) against full fine-tuning
 * (all 3.2M parameters) of the same GPT-2 style model ({@link LlmFineTuneModels}): micro-batches of 16 reversal
 * examples, AdamW, fp32. Each invocation is a fit of 8 steps, so the score is per step and includes the fit's small
 * set-up (encoding 128 examples, zeroed optimizer moments). Tokens per second are the tokens of a step over the
 * score; trainable parameters and optimizer-state bytes are printed at the end of each trial.
 *
 * <p>The device is the CPU unless {@code -Dllm.device=gpu} (or {@code auto}) is passed to the forked JVM, in which
 * case precision is AUTO (fp16 mixed on a GPU). Run:
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LlmFineTune -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dai.djl.offline=true"})
public class LlmFineTuneBenchmark {
    private static final int STEPS = 8;

    @Param({"full", "lora"})
    public String mode;

    private Path dir;
    private TextTokenizer tokenizer;
    private Gpt2Model model;
    private SftTrainer trainer;
    private SftDataset data;
    private TrainingResult last;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("llm-fine-tune-bench");
        tokenizer = LlmFineTuneModels.tokenizer(dir);
        model = LlmFineTuneModels.model(mode, 32, DeviceChoice.valueOf(System.getProperty("llm.device", "cpu")
                .toUpperCase(Locale.ROOT)));
        data = LlmFineTuneModels.data(STEPS * 16);
        trainer = SftTrainer.builder(model, tokenizer).format(LlmFineTuneModels.FORMAT)
                .progress(ProgressListener.noop())
                .config(SftConfig.builder().learningRate(1e-3).maxSteps(STEPS).microBatchSize(16).build()).build();
    }

    /**
     * Runs eight optimizer steps.
     *
     * @return the fit's outcome
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public TrainingResult step() {
        last = trainer.fit(data, null);
        return last;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (last != null) {
            System.out.printf(Locale.ROOT, "%n[fine-tune] %s on %s: %,d trainable of %,d parameters, optimizer state "
                    + "%,d bytes, %.0f tokens per step, %.0f tokens/s inside the loop%n", mode, last.device(),
                    last.trainableParameters(), model.parameterCount(), last.optimizerStateBytes(),
                    (double) last.tokens() / last.steps(), last.tokensPerSecond());
        }
        model.close();
        tokenizer.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
