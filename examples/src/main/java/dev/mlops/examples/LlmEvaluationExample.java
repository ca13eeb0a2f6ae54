package dev.mlops.examples;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.Comparison;
import dev.mlops.llm.EvalDataset;
import dev.mlops.llm.EvalExample;
import dev.mlops.llm.EvaluationResult;
import dev.mlops.llm.Evaluator;
import dev.mlops.llm.Generation;
import dev.mlops.llm.Generator;
import dev.mlops.llm.Pricing;
import dev.mlops.llm.feedback.FeedbackEntry;
import dev.mlops.llm.feedback.FeedbackStore;
import dev.mlops.llm.feedback.FeedbackSummary;
import dev.mlops.llm.feedback.Prediction;
import dev.mlops.llm.feedback.Preference;
import dev.mlops.llm.feedback.SftFormat;
import dev.mlops.llm.feedback.Source;
import dev.mlops.llm.metrics.PairedBootstrapResult;
import dev.mlops.llm.metrics.RougeType;
import dev.mlops.llm.metrics.TextMetrics;
import dev.mlops.registry.ChatMessage;
import dev.mlops.registry.PromptTemplate;
import dev.mlops.registry.PromptVersion;
import dev.mlops.registry.Prompts;
import dev.mlops.registry.Registry;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registers the prompt two small question-answering "models" are asked through, evaluates them side by side, logs the evaluation into a tracked run, captures
 * human feedback on the better one, and exports fine-tuning datasets. The models are deterministic lookup tables, so
 * the program needs no network and no model download; replace them with a call to any LLM or a DJL model.
 *
 * <pre>
 * mvn -pl examples -am compile exec:java -Dexec.mainClass=dev.mlops.examples.LlmEvaluationExample
 * </pre>
 */
public final class LlmEvaluationExample {
    private LlmEvaluationExample() {
    }

    /** What the example produced, for its test. */
    record Outcome(Comparison comparison, RunInfo run, FeedbackSummary feedback, long preferencePairs,
            long sftExamples, PromptVersion prompt) {
    }

    /** The prompt both models are asked through; the question goes on its last line. */
    static final PromptTemplate QA_PROMPT = PromptTemplate.chat(List.of(
            new ChatMessage("system", "Answer in one complete sentence."),
            new ChatMessage("user", "Question: {{question}}")));

    /**
     * Asks a model through a registered prompt version: each dataset question is rendered into the template first.
     * The table-driven models below read the question back from the rendered prompt's last line.
     */
    static Generator throughPrompt(PromptVersion prompt, Generator model) {
        return question -> {
            List<ChatMessage> messages = prompt.template().renderChat(Map.of("question", question));
            return model.generate(messages.get(messages.size() - 1).content().substring("Question: ".length()));
        };
    }

    /** Twelve factual questions with one or two reference answers each. */
    static EvalDataset dataset() {
        return EvalDataset.of(List.of(
                EvalExample.of("capital-fr", "What is the capital of France?", "The capital of France is Paris."),
                EvalExample.of("capital-jp", "What is the capital of Japan?", "The capital of Japan is Tokyo."),
                EvalExample.of("capital-au", "What is the capital of Australia?",
                        "The capital of Australia is Canberra."),
                EvalExample.of("planet", "Which planet is the largest?", "Jupiter is the largest planet."),
                EvalExample.of("water", "At what temperature does water boil at sea level?",
                        "Water boils at 100 degrees Celsius at sea level.", "At sea level water boils at 100 °C."),
                EvalExample.of("light", "How long does sunlight take to reach Earth?",
                        "Sunlight takes about eight minutes to reach Earth."),
                EvalExample.of("author", "Who wrote Pride and Prejudice?", "Jane Austen wrote Pride and Prejudice."),
                EvalExample.of("everest", "What is the highest mountain on Earth?",
                        "Mount Everest is the highest mountain on Earth."),
                EvalExample.of("oxygen", "What is the chemical symbol for oxygen?",
                        "The chemical symbol for oxygen is O."),
                EvalExample.of("speed", "What is the speed of light in vacuum?",
                        "The speed of light in vacuum is about 299,792 kilometres per second."),
                EvalExample.of("bones", "How many bones does an adult human have?",
                        "An adult human has 206 bones."),
                EvalExample.of("pacific", "Which is the largest ocean?", "The Pacific is the largest ocean.")));
    }

    /** A model that knows every answer and reports its token usage, taking a fixed 2 ms. */
    static Generator candidate() {
        Map<String, String> answers = Map.ofEntries(
                Map.entry("What is the capital of France?", "The capital of France is Paris."),
                Map.entry("What is the capital of Japan?", "The capital of Japan is Tokyo."),
                Map.entry("What is the capital of Australia?", "The capital of Australia is Canberra."),
                Map.entry("Which planet is the largest?", "Jupiter is the largest planet."),
                Map.entry("At what temperature does water boil at sea level?",
                        "Water boils at 100 degrees Celsius at sea level."),
                Map.entry("How long does sunlight take to reach Earth?",
                        "Sunlight takes about eight minutes to reach Earth."),
                Map.entry("Who wrote Pride and Prejudice?", "Jane Austen wrote Pride and Prejudice."),
                Map.entry("What is the highest mountain on Earth?", "Mount Everest is the highest mountain."),
                Map.entry("What is the chemical symbol for oxygen?", "The chemical symbol for oxygen is O."),
                Map.entry("What is the speed of light in vacuum?",
                        "The speed of light in vacuum is about 300,000 kilometres per second."),
                Map.entry("How many bones does an adult human have?", "An adult human has 206 bones."),
                Map.entry("Which is the largest ocean?", "The Pacific is the largest ocean."));
        return prompt -> {
            String text = answers.getOrDefault(prompt, "I do not know.");
            return Generation.of(text, prompt.split(" ").length + 12, text.split(" ").length + 1);
        };
    }

    /** A weaker model: terse answers, some of them wrong. */
    static Generator baseline() {
        Map<String, String> answers = Map.ofEntries(
                Map.entry("What is the capital of France?", "Paris."),
                Map.entry("What is the capital of Japan?", "The capital of Japan is Kyoto."),
                Map.entry("What is the capital of Australia?", "The capital of Australia is Sydney."),
                Map.entry("Which planet is the largest?", "Saturn is the largest planet."),
                Map.entry("Who wrote Pride and Prejudice?", "Charlotte Bronte wrote it."),
                Map.entry("Which is the largest ocean?", "The Atlantic."));
        return Generator.ofText(prompt -> answers.getOrDefault(prompt, "I do not know."));
    }

    /**
     * Runs the whole flow under a directory.
     *
     * @param dir where the tracking store, the feedback store and the exports go
     * @param out where the report is printed
     * @return what was produced
     */
    static Outcome run(Path dir, PrintStream out) {
        PromptVersion prompt;
        try (Registry registry = Registry.open(dir.resolve("registry"))) {
            Prompts prompts = registry.prompts();
            PromptVersion v = prompts.register("qa-answer", QA_PROMPT, "one-sentence answers");
            prompts.setAlias("qa-answer", "production", v.version());
            prompt = prompts.load("prompts:/qa-answer@production");
        }
        out.println("Prompt " + prompt.uri() + " (" + prompt.commitMessage() + "), variables " + prompt.template()
                .variables());
        Comparison comparison;
        RunInfo info;
        try (Tracking tracking = Tracking.open(dir.resolve("tracking"))) {
            try (Run run = tracking.experiment("qa-evaluation").startRun("baseline-vs-candidate")) {
                Evaluator evaluator = Evaluator.builder()
                        .metrics(TextMetrics.bleu(), TextMetrics.chrf(), TextMetrics.rouge(RougeType.ROUGE_L, true),
                                TextMetrics.tokenF1())
                        .pricing(Pricing.perMillionTokens(0.15, 0.60))
                        .sink(run)
                        .progress(ProgressListener.noop())
                        .build();
                comparison = evaluator.compare(dataset(), "baseline", throughPrompt(prompt, baseline()), "candidate",
                        throughPrompt(prompt, candidate()));
                tracking.flush();
                info = tracking.getRun(run.id());
            }
        }
        out.println("Side by side (first rows):");
        out.println(comparison.sideBySide().select("id", "prediction_baseline", "prediction_candidate",
                "token_f1_delta").format(5));
        out.println("Significance (paired bootstrap, 1000 resamples):");
        for (PairedBootstrapResult t : comparison.tests()) {
            out.printf(Locale.ROOT, "  %-8s baseline %7.3f  candidate %7.3f  delta %+7.3f  p = %.4f%n", t.metric(),
                    t.baseline(), t.candidate(), t.delta(), t.pValue());
        }
        EvaluationResult best = comparison.candidate();
        out.printf(Locale.ROOT, "Candidate cost: %.6f USD for %d examples, mean latency %.3f ms%n",
                best.aggregate("cost/total"), (long) best.aggregate("examples"), best.aggregate("latency_ms/mean"));

        FeedbackSummary summary;
        long pairs;
        long sft;
        try (FeedbackStore feedback = FeedbackStore.builder().root(dir.resolve("feedback"))
                .requireKnownPredictions(true).build()) {
            // Record what both models answered, then judge some answers.
            List<String> ids = best.examples().stringColumn("id").stream().toList();
            for (int i = 0; i < ids.size(); i++) {
                EvaluationResult[] both = {comparison.baseline(), comparison.candidate()};
                for (EvaluationResult r : both) {
                    feedback.recordPrediction(Prediction.of(r.model() + ":" + ids.get(i), r.model(),
                            r.examples().stringColumn("prompt").getString(i),
                            r.examples().stringColumn("prediction").getString(i))
                            .withPromptVersion(prompt.uri().toString()));
                }
            }
            feedback.log(FeedbackEntry.stars("candidate:capital-fr", 5, Source.human("alice")));
            feedback.log(FeedbackEntry.stars("candidate:speed", 3, Source.human("alice"))
                    .withRationale("300,000 is rounded; 299,792 is the figure"));
            feedback.log(FeedbackEntry.correction("candidate:speed",
                    "The speed of light in vacuum is 299,792,458 metres per second.", Source.human("alice")));
            feedback.log(FeedbackEntry.thumbs("candidate:everest", true, Source.llmJudge("judge-model")));
            feedback.log(FeedbackEntry.pairwise("baseline:capital-au", "candidate:capital-au", Preference.B,
                    Source.human("bob")).withRationale("Sydney is not the capital"));
            feedback.log(FeedbackEntry.pairwise("baseline:capital-fr", "candidate:capital-fr", Preference.TIE,
                    Source.human("bob")));
            summary = feedback.summary("candidate");
            pairs = feedback.exportPreferences(dir.resolve("exports/preferences.jsonl"));
            sft = feedback.exportSupervised(dir.resolve("exports/sft.jsonl"), SftFormat.CHAT, 4);
        }
        out.printf(Locale.ROOT, "Feedback on the candidate: mean stars %.2f, win rate %.2f, %d correction(s)%n",
                summary.meanStars(), summary.winRate(), summary.corrections());
        out.printf("Exported %d preference pairs and %d supervised examples to %s%n", pairs, sft,
                dir.resolve("exports"));
        return new Outcome(comparison, info, summary, pairs, sft, prompt);
    }

    /**
     * Runs the example in {@code mlops-data/llm-example}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(Path.of("mlops-data", "llm-example"), System.out);
    }
}
