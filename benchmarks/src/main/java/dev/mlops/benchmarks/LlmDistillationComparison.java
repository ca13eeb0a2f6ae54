package dev.mlops.benchmarks;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.align.DistillConfig;
import dev.mlops.llm.align.DistillationReport;
import dev.mlops.llm.align.Distiller;
import dev.mlops.llm.align.ModelSummary;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Generated;
import dev.mlops.llm.model.GenerationConfig;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextGenerator;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import dev.mlops.llm.train.SftTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A distilled student against its teacher, as a program: a GPT-2 style teacher (width 128, 4 layers) is trained to
 * reverse strings of 3 to 8 letters with {@link LlmFineTuneModels}' tokenizer and prompt format, then a student an
 * eighth its size (width 64, 2 layers) is distilled from it (temperature 2 and alpha 0.5 unless given), and, as the
 * baseline in the same run, the same student from the same initial weights is trained on the labels alone with the
 * same data, order and steps. For each model it prints parameters, weight bytes, forward tokens per second over the validation set, greedy
 * generation tokens per second, validation loss and token accuracy on held-out strings, greedy exact match, and for
 * the students the KL divergence to the teacher and their agreement with its greedy next tokens.
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -Dai.djl.offline=true -cp benchmarks/target/benchmarks.jar dev.mlops.benchmarks.LlmDistillationComparison \
 *     [cpu|gpu|auto] [teacherSteps] [studentSteps] [temperature] [alpha]
 * </pre>
 *
 * <p>Defaults: {@code cpu}, 400 teacher steps and 300 student steps of 32 rows each, temperature 2, alpha 0.5.
 */
public final class LlmDistillationComparison {
    private LlmDistillationComparison() {
    }

    static List<SftExample> reversals(int n, long seed) {
        Random r = new Random(seed);
        List<SftExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 3 + r.nextInt(6); k > 0; k--) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            String s = sb.toString();
            out.add(SftExample.of(s, sb.reverse().toString()));
        }
        return out;
    }

    /**
     * Runs the comparison.
     *
     * @param args the device ({@code cpu} by default), teacher steps (400), student steps (300), temperature (2)
     *     and alpha (0.5)
     * @throws IOException if the temporary tokenizer cannot be written
     */
    public static void main(String[] args) throws IOException {
        DeviceChoice device = DeviceChoice.valueOf((args.length > 0 ? args[0] : "cpu").toUpperCase(Locale.ROOT));
        int teacherSteps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int studentSteps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        double temperature = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        double alpha = args.length > 4 ? Double.parseDouble(args[4]) : 0.5;
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("distill");
        SftDataset train = SftDataset.of("reverse", reversals(4000, 1));
        SftDataset validation = SftDataset.of("reverse-validation", reversals(300, 2));
        try (TextTokenizer tokenizer = LlmFineTuneModels.tokenizer(dir);
                Gpt2Model teacher = Gpt2Model.create(shape(tokenizer.vocabSize(), 128, 4, 4), 1, device)) {
            long t0 = System.nanoTime();
            SftTrainer.builder(teacher, tokenizer).format(LlmFineTuneModels.FORMAT).progress(ProgressListener.noop())
                    .config(SftConfig.builder().learningRate(2e-3).maxSteps(teacherSteps).microBatchSize(32)
                            .warmupSteps(30).seed(1).build())
                    .build().fit(train, null);
            out.printf(Locale.ROOT, "teacher trained in %.1f s on %s%n", (System.nanoTime() - t0) / 1e9,
                    teacher.device());
            SftConfig loop = SftConfig.builder().learningRate(3e-3).maxSteps(studentSteps).microBatchSize(32)
                    .warmupSteps(20).seed(2).build();
            Gpt2Config small = shape(tokenizer.vocabSize(), 64, 2, 4);
            out.printf(Locale.ROOT, "%-22s %10s %10s %12s %12s %9s %9s %8s %9s %9s%n", "model", "params", "bytes",
                    "fwd tok/s", "gen tok/s", "val loss", "tok acc", "exact", "KL", "agree");
            DistillationReport distilled;
            try (Gpt2Model student = Gpt2Model.create(small, 3, device)) {
                Distiller distiller = Distiller.builder(teacher, student, tokenizer).format(LlmFineTuneModels.FORMAT)
                        .progress(ProgressListener.noop())
                        .config(DistillConfig.builder().temperature(temperature).alpha(alpha).training(loop).build())
                        .build();
                distiller.fit(train, null);
                distilled = distiller.report(validation);
                row(out, "teacher", distilled.teacher(), teacher, tokenizer, validation, Double.NaN, Double.NaN);
                row(out, "student (distilled)", distilled.student(), student, tokenizer, validation,
                        distilled.klDivergence(), distilled.agreement());
            }
            try (Gpt2Model student = Gpt2Model.create(small, 3, device)) {
                SftTrainer.builder(student, tokenizer).format(LlmFineTuneModels.FORMAT)
                        .progress(ProgressListener.noop()).config(loop).build().fit(train, null);
                DistillationReport hard = Distiller.builder(teacher, student, tokenizer)
                        .format(LlmFineTuneModels.FORMAT).build().report(validation);
                row(out, "student (labels only)", hard.student(), student, tokenizer, validation,
                        hard.klDivergence(), hard.agreement());
            }
            out.printf(Locale.ROOT, "student/teacher: %.1fx fewer parameters, forward %.2fx as fast%n",
                    distilled.compression(), distilled.speedup());
        }
    }

    private static Gpt2Config shape(int vocab, int width, int layers, int heads) {
        return Gpt2Config.builder().vocabSize(vocab).contextLength(64).embeddingSize(width).layers(layers)
                .heads(heads).build();
    }

    private static void row(PrintStream out, String name, ModelSummary s, Gpt2Model model, TextTokenizer tokenizer,
            SftDataset validation, double kl, double agreement) {
        TextGenerator g = TextGenerator.builder(model, tokenizer).format(LlmFineTuneModels.FORMAT)
                .config(GenerationConfig.greedy(12)).build();
        g.complete(validation.examples().get(0).prompt());
        long generated = 0;
        int exact = 0;
        long t0 = System.nanoTime();
        for (SftExample e : validation.examples()) {
            Generated r = g.complete(e.prompt());
            generated += r.tokenIds().length;
            exact += r.text().equals(e.completion()) ? 1 : 0;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%-22s %10d %10d %12.0f %12.0f %9.4f %9.4f %8s %9s %9s%n", name, s.parameters(),
                s.bytes(), s.tokensPerSecond(), generated / seconds, s.validationLoss(), s.tokenAccuracy(),
                exact + "/" + validation.size(), Double.isNaN(kl) ? "-" : String.format(Locale.ROOT, "%.4f", kl),
                Double.isNaN(agreement) ? "-" : String.format(Locale.ROOT, "%.4f", agreement));
    }
}
