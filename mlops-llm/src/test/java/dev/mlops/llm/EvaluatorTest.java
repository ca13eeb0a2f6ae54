package dev.mlops.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.RecordingMetricSink;
import dev.mlops.llm.metrics.Bleu;
import dev.mlops.llm.metrics.Bootstrap;
import dev.mlops.llm.metrics.RougeType;
import dev.mlops.llm.metrics.TextMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final EvalDataset DATASET = EvalDataset.of(List.of(
            EvalExample.of("q1", "Capital of France?", "Paris is the capital of France"),
            EvalExample.of("q2", "Largest planet?", "Jupiter is the largest planet"),
            EvalExample.of("q3", "Boiling point of water?", "Water boils at 100 degrees Celsius", "100 C")));

    /** Answers the reference for q1 and q2 and something else for q3, taking 10 ms per prompt on the clock. */
    private static Generator echo(ManualTimeSource clock) {
        return prompt -> {
            clock.advance(Duration.ofMillis(10 + prompt.length()));
            String text = switch (prompt) {
                case "Capital of France?" -> "Paris is the capital of France";
                case "Largest planet?" -> "Jupiter is the largest planet";
                default -> "It boils when hot";
            };
            return Generation.of(text, 10, 6);
        };
    }

    private static Evaluator.Builder base(ManualTimeSource clock) {
        return Evaluator.builder().clock(clock).progress(ProgressListener.noop());
    }

    @Test
    void evaluatesScoresTimesCostsAndLogs() {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
        RecordingMetricSink sink = new RecordingMetricSink();
        Evaluator ev = base(clock).metrics(TextMetrics.bleu(), TextMetrics.rouge(RougeType.ROUGE_L),
                TextMetrics.exactMatch()).pricing(Pricing.perMillionTokens(1.0, 2.0)).sink(sink).build();
        EvaluationResult r = ev.evaluate("model-a", DATASET, echo(clock));

        Frame ex = r.examples();
        assertEquals(3, ex.rowCount());
        assertEquals(List.of("id", "prompt", "reference", "prediction", "error", "latency_ms", "prompt_tokens",
                "completion_tokens", "tokens_estimated", "cost", "bleu", "rougeL", "exact_match"), ex.schema().names());
        // Latency is what the generator spent on the clock: 10 ms plus the prompt's length in ms.
        assertEquals(10.0 + "Capital of France?".length(), ex.doubleColumn("latency_ms").getDouble(0), 1e-9);
        assertEquals(10L, ex.longColumn("prompt_tokens").getLong(1));
        assertFalse(ex.booleanColumn("tokens_estimated").getBoolean(1));
        // Cost: 10 prompt tokens at 1e-6 and 6 completion tokens at 2e-6.
        assertEquals(10 * 1e-6 + 6 * 2e-6, ex.doubleColumn("cost").getDouble(2), 1e-15);
        assertEquals(100.0, ex.doubleColumn("bleu").getDouble(0), 1e-9);
        assertEquals(1.0, ex.doubleColumn("exact_match").getDouble(1));
        assertEquals(0.0, ex.doubleColumn("exact_match").getDouble(2));
        assertNull(ex.stringColumn("error").get(0));

        // Aggregates: exact match 2/3; BLEU is corpus BLEU over the three segments, not a mean.
        assertEquals(2.0 / 3, r.aggregate("exact_match"), 1e-12);
        assertEquals(Bleu.corpus().corpusScoreBySegment(List.of("Paris is the capital of France",
                "Jupiter is the largest planet", "It boils when hot"), DATASET.examples().stream()
                .map(EvalExample::references).toList()).score(), r.aggregate("bleu"), 1e-9);
        assertEquals(30.0, r.aggregate("tokens/prompt"));
        assertEquals(18.0, r.aggregate("tokens/completion"));
        assertEquals(3 * (10 * 1e-6 + 6 * 2e-6), r.aggregate("cost/total"), 1e-15);
        assertEquals(0.0, r.aggregate("errors"));
        double[] lat = {28, 25, 33};
        assertEquals((lat[0] + lat[1] + lat[2]) / 3, r.aggregate("latency_ms/mean"), 1e-9);
        assertEquals(28.0, r.aggregate("latency_ms/p50"), 1e-9);
        assertEquals(33.0, r.aggregate("latency_ms/max"), 1e-9);
        assertTrue(r.interval("bleu").isPresent());

        // Everything aggregated went to the sink, with the BLEU signature as a parameter.
        assertEquals(r.aggregate("bleu"), sink.last("bleu"));
        assertEquals(r.aggregate("latency_ms/p95"), sink.last("latency_ms/p95"));
        assertEquals("model-a", sink.params().get("eval/model"));
        assertEquals("bleu,rougeL,exact_match", sink.params().get("eval/metrics"));
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1", sink.params().get("bleu/signature"));

        Frame summary = r.summary();
        assertEquals("bleu", summary.stringColumn("name").get(0));
        assertFalse(summary.doubleColumn("ci_low").isNull(0));
        assertTrue(summary.doubleColumn("ci_low").isNull(summary.rowCount() - 1), "no interval for counts");
    }

    @Test
    void estimatesTokensWhenTheModelDoesNotReportThem() {
        ManualTimeSource clock = new ManualTimeSource(Instant.EPOCH);
        EvaluationResult r = base(clock).build().evaluate("m", DATASET, Generator.ofText(p -> "abcdefghi"));
        Frame ex = r.examples();
        // Nine characters at four per token, rounded up: 3.
        assertEquals(3L, ex.longColumn("completion_tokens").getLong(0));
        assertEquals((long) Math.ceil("Capital of France?".length() / 4.0), ex.longColumn("prompt_tokens").getLong(0));
        assertTrue(ex.booleanColumn("tokens_estimated").getBoolean(0));
        assertTrue(ex.doubleColumn("cost").isNull(0), "no pricing, no cost");
        assertFalse(r.aggregates().containsKey("cost/total"));
        EvaluationResult own = base(clock).tokenCounter(s -> s.split(" ").length).build()
                .evaluate("m", DATASET, Generator.ofText(p -> "one two"));
        assertEquals(2L, own.examples().longColumn("completion_tokens").getLong(0));
    }

    @Test
    void perplexityFromLogProbabilities() {
        ManualTimeSource clock = new ManualTimeSource(Instant.EPOCH);
        double q = Math.log(0.25);
        EvaluationResult r = base(clock).build().evaluate("m", DATASET,
                p -> Generation.of("x").withTokenLogProbs(List.of(q, q)));
        assertEquals(DataType.DOUBLE, r.examples().schema().field("perplexity").type());
        assertEquals(4.0, r.examples().doubleColumn("perplexity").getDouble(0), 1e-12);
        assertEquals(4.0, r.aggregate("perplexity"), 1e-12);
    }

    @Test
    void failuresStopOrScoreAsEmpty() {
        ManualTimeSource clock = new ManualTimeSource(Instant.EPOCH);
        Generator flaky = p -> {
            if (p.startsWith("Largest")) {
                throw new IllegalStateException("rate limited");
            }
            return Generation.of("Paris is the capital of France");
        };
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> base(clock).metrics(TextMetrics.exactMatch()).build().evaluate("m", DATASET, flaky));
        assertTrue(e.getMessage().contains("'q2'") && e.getMessage().contains("rate limited"), e.getMessage());

        EvaluationResult r = base(clock).metrics(TextMetrics.exactMatch()).continueOnError(true).build()
                .evaluate("m", DATASET, flaky);
        assertEquals(1.0, r.aggregate("errors"));
        assertTrue(String.valueOf(r.examples().stringColumn("error").get(1)).contains("rate limited"));
        assertEquals("", r.examples().stringColumn("prediction").get(1));
        assertEquals(1.0 / 3, r.aggregate("exact_match"), 1e-12);
    }

    @Test
    void missingReferencesFailBeforeAnyGeneration() {
        AtomicInteger calls = new AtomicInteger();
        EvalDataset noRefs = EvalDataset.of(List.of(EvalExample.of("a", "p", "ref"), EvalExample.of("b", "p2")));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Evaluator.builder()
                .metrics(TextMetrics.bleu()).progress(ProgressListener.noop()).build()
                .evaluate("m", noRefs, p -> {
                    calls.incrementAndGet();
                    return Generation.of("x");
                }));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertEquals(0, calls.get());
        assertThrows(InvalidArgumentException.class, () -> Evaluator.builder().build().evaluate("bad name!", noRefs,
                Generator.ofText(p -> "x")));
        assertThrows(InvalidArgumentException.class,
                () -> Evaluator.builder().metrics(TextMetrics.bleu(), TextMetrics.bleu()));
        assertThrows(IllegalStateException.class, () -> Evaluator.builder().concurrency(2).concurrency(3));
        assertThrows(InvalidArgumentException.class, () -> EvalDataset.of(List.of(EvalExample.of("a", "p"),
                EvalExample.of("a", "q"))));
    }

    @Test
    void concurrentGenerationKeepsExampleOrder() {
        List<EvalExample> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(EvalExample.of("id" + i, "prompt " + i, "answer " + i));
        }
        EvaluationResult r = Evaluator.builder().concurrency(4).progress(ProgressListener.noop())
                .metrics(TextMetrics.exactMatch()).build()
                .evaluate("m", EvalDataset.of(many), Generator.ofText(p -> "answer " + p.substring(7)));
        assertEquals(1.0, r.aggregate("exact_match"));
        for (int i = 0; i < 40; i++) {
            assertEquals("id" + i, r.examples().stringColumn("id").get(i));
            assertEquals("answer " + i, r.examples().stringColumn("prediction").get(i));
        }
    }

    @Test
    void comparesTwoModelsSideBySide() {
        List<EvalExample> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(EvalExample.of("id" + i, "prompt " + i, "the answer to question " + i + " is " + (i * 7)));
        }
        EvalDataset ds = EvalDataset.of(many);
        Generator good = p -> Generation.of("the answer to question " + p.substring(7) + " is "
                + Integer.parseInt(p.substring(7)) * 7);
        Generator weak = p -> Generation.of(Integer.parseInt(p.substring(7)) % 3 == 0 ? "no idea"
                : "the answer to question " + p.substring(7) + " is " + Integer.parseInt(p.substring(7)) * 7);
        RecordingMetricSink sink = new RecordingMetricSink();
        Evaluator ev = Evaluator.builder().metrics(TextMetrics.exactMatch(), TextMetrics.chrf())
                .bootstrap(Bootstrap.of(500, 3, 0.95)).sink(sink).progress(ProgressListener.noop()).build();
        Comparison c = ev.compare(ds, "weak", weak, "good", good);

        assertEquals(2.0 / 3, c.baseline().aggregate("exact_match"), 1e-12);
        assertEquals(1.0, c.candidate().aggregate("exact_match"));
        assertEquals(1.0 / 3, c.test("exact_match").delta(), 1e-12);
        assertTrue(c.test("exact_match").significant(0.05), c::toString);
        Frame sbs = c.sideBySide();
        assertEquals("no idea", sbs.stringColumn("prediction_baseline").get(0));
        assertEquals(1.0, sbs.doubleColumn("exact_match_delta").getDouble(0));
        assertEquals(0.0, sbs.doubleColumn("exact_match_delta").getDouble(1));
        Frame sig = c.significance();
        assertEquals(List.of("exact_match", "chrf"), List.of(sig.stringColumn("metric").get(0),
                sig.stringColumn("metric").get(1)));
        assertTrue(sig.booleanColumn("significant").getBoolean(0));
        // Each model logged under its own name, the comparison under compare/.
        assertEquals(1.0, sink.last("good/exact_match"));
        assertEquals(2.0 / 3, sink.last("weak/exact_match"), 1e-12);
        assertEquals(c.test("chrf").pValue(), sink.last("compare/chrf/p_value"));
        Map<String, String> params = sink.params();
        assertEquals("good", params.get("good/eval/model"));

        // A model compared with itself differs nowhere.
        Comparison same = ev.compare(c.candidate(), c.candidate());
        assertEquals(1.0, same.test("chrf").pValue());
        assertThrows(InvalidArgumentException.class, () -> ev.compare(ds, "x", good, "x", good));
    }
}
