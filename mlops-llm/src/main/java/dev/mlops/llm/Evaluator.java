package dev.mlops.llm;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.llm.metrics.Bootstrap;
import dev.mlops.llm.metrics.ConfidenceInterval;
import dev.mlops.llm.metrics.CorpusMetric;
import dev.mlops.llm.metrics.PairedBootstrapResult;
import dev.mlops.llm.metrics.Perplexity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation harness: runs a generator over a dataset, measures latency, counts tokens, estimates cost, scores
 * every example with the configured metrics, aggregates, and logs the aggregates through a {@link MetricSink} (a
 * tracked run implements it). Two models can be compared side by side with a paired bootstrap test per metric.
 *
 * <pre>{@code
 * Evaluator evaluator = Evaluator.builder()
 *         .metrics(TextMetrics.bleu(), TextMetrics.rouge(RougeType.ROUGE_L), TextMetrics.exactMatch())
 *         .pricing(Pricing.perMillionTokens(0.15, 0.60))
 *         .sink(run)                                   // any MetricSink, for instance a tracking Run
 *         .build();
 * EvaluationResult result = evaluator.evaluate("small-v2", dataset, prompt -> Generation.of(callModel(prompt)));
 * Comparison cmp = evaluator.compare(dataset, "small-v1", v1, "small-v2", v2);
 * }</pre>
 *
 * <p>A failed generation stops the evaluation with an {@link UnavailableException} naming the example, unless
 * {@link Builder#continueOnError(boolean)} is set: then the error is recorded and the example scores as an empty
 * prediction, so that failures count against the model and comparisons stay paired. Immutable and thread-safe; each
 * evaluation with concurrency above 1 uses a thread pool of its own, shut down before the call returns.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");

    private final List<CorpusMetric> metrics;
    private final Pricing pricing;
    private final MetricSink sink;
    private final ProgressListener progress;
    private final TimeSource clock;
    private final int concurrency;
    private final ToLongFunction<String> tokenCounter;
    private final boolean continueOnError;
    private final Bootstrap bootstrap;
    private final boolean intervals;

    private Evaluator(Builder b) {
        this.metrics = List.copyOf(b.metrics);
        this.pricing = b.pricing;
        this.sink = b.sink;
        this.progress = b.progress;
        this.clock = b.clock;
        this.concurrency = b.concurrency;
        this.tokenCounter = b.tokenCounter;
        this.continueOnError = b.continueOnError;
        this.bootstrap = b.bootstrap;
        this.intervals = b.intervals;
    }

    /**
     * Starts configuring an evaluator.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default token estimate: one token per four characters (code points), rounded up, the usual rule of thumb
     * for English with BPE tokenizers. Plug in the model's own tokenizer with {@link Builder#tokenCounter} for exact
     * counts.
     *
     * @param text the text
     * @return the estimated token count
     */
    public static long estimateTokens(String text) {
        long cps = text.codePointCount(0, text.length());
        return (cps + 3) / 4;
    }

    /**
     * Evaluates one model, logging its aggregates to the configured sink (metric keys as listed in
     * {@link EvaluationResult#aggregates()}; parameters {@code eval/model}, {@code eval/examples},
     * {@code eval/metrics} and {@code <metric>/signature}).
     *
     * @param model the model's name: 1 to 100 letters, digits, {@code _ . -}
     * @param dataset the examples
     * @param generator the model
     * @return the result
     * @throws InvalidArgumentException if the model name is not acceptable or metrics are configured and an example
     *     has no reference (checked before the generator is called)
     * @throws UnavailableException if a generation fails and errors are not tolerated
     */
    public EvaluationResult evaluate(String model, EvalDataset dataset, Generator generator) {
        return evaluate(model, dataset, generator, sink);
    }

    /**
     * Evaluates two models on the same dataset and compares them. Each model's aggregates are logged under its name
     * ({@code <model>/bleu}, ...) and the comparison under {@code compare/<metric>/delta} and
     * {@code compare/<metric>/p_value}.
     *
     * @param dataset the examples
     * @param baselineName the baseline's name
     * @param baseline the baseline model
     * @param candidateName the candidate's name, different from the baseline's
     * @param candidate the candidate model
     * @return the comparison
     * @throws InvalidArgumentException if a name is not acceptable or the names are equal
     * @throws UnavailableException if a generation fails and errors are not tolerated
     */
    public Comparison compare(EvalDataset dataset, String baselineName, Generator baseline, String candidateName,
            Generator candidate) {
        checkModel(baselineName);
        checkModel(candidateName);
        if (baselineName.equals(candidateName)) {
            throw new InvalidArgumentException("the two models need different names, but both are '" + baselineName
                    + "'");
        }
        EvaluationResult a = evaluate(baselineName, dataset, baseline, new PrefixedSink(sink, baselineName + "/"));
        EvaluationResult b = evaluate(candidateName, dataset, candidate, new PrefixedSink(sink, candidateName + "/"));
        return compare(a, b);
    }

    /**
     * Compares two evaluations of the same dataset with this evaluator's metrics, and logs
     * {@code compare/<metric>/delta} and {@code compare/<metric>/p_value}.
     *
     * @param baseline the baseline's evaluation
     * @param candidate the candidate's evaluation
     * @return the comparison
     * @throws InvalidArgumentException if the two evaluations do not cover the same example ids in the same order, or
     *     lack one of this evaluator's metrics
     */
    public Comparison compare(EvaluationResult baseline, EvaluationResult candidate) {
        if (!baseline.ids().equals(candidate.ids())) {
            throw new InvalidArgumentException("evaluations of '" + baseline.model() + "' and '" + candidate.model()
                    + "' cover different examples; a paired comparison needs the same ids in the same order");
        }
        Frame ea = baseline.examples();
        Frame eb = candidate.examples();
        int n = ea.rowCount();
        Frame.Builder fb = Frame.builder()
                .column("id", ea.column("id"))
                .column("prompt", ea.column("prompt"))
                .column("reference", ea.column("reference"))
                .column("prediction_baseline", ea.column("prediction"))
                .column("prediction_candidate", eb.column("prediction"))
                .column("latency_ms_baseline", ea.column("latency_ms"))
                .column("latency_ms_candidate", eb.column("latency_ms"));
        List<PairedBootstrapResult> tests = new ArrayList<>();
        Frame.RowBuilder sig = Frame.rowBuilder(Schema.of(Field.of("metric", DataType.STRING),
                Field.of("baseline", DataType.DOUBLE), Field.of("candidate", DataType.DOUBLE),
                Field.of("delta", DataType.DOUBLE), Field.of("delta_low", DataType.DOUBLE),
                Field.of("delta_high", DataType.DOUBLE), Field.of("p_value", DataType.DOUBLE),
                Field.of("candidate_win_rate", DataType.DOUBLE), Field.of("significant", DataType.BOOLEAN)));
        for (CorpusMetric m : metrics) {
            double[][] sa = baseline.statistics(m.name());
            double[][] sb = candidate.statistics(m.name());
            if (sa == null || sb == null) {
                throw new InvalidArgumentException("metric '" + m.name() + "' is missing from the evaluation of '"
                        + (sa == null ? baseline.model() : candidate.model()) + "'");
            }
            double[] a = ea.doubleColumn(m.name()).toArray(Double.NaN);
            double[] b = eb.doubleColumn(m.name()).toArray(Double.NaN);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = b[i] - a[i];
            }
            fb.doubles(m.name() + "_baseline", a).doubles(m.name() + "_candidate", b).doubles(m.name() + "_delta", d);
            PairedBootstrapResult t = bootstrap.pairedTest(m, sa, sb);
            tests.add(t);
            sig.row(m.name(), t.baseline(), t.candidate(), t.delta(), t.deltaLow(), t.deltaHigh(), t.pValue(),
                    t.candidateWinRate(), t.significant(0.05));
            sink.logMetric("compare/" + m.name() + "/delta", t.delta());
            sink.logMetric("compare/" + m.name() + "/p_value", t.pValue());
        }
        return new Comparison(baseline, candidate, fb.build(), sig.build(), tests);
    }

    private EvaluationResult evaluate(String model, EvalDataset dataset, Generator generator, MetricSink out) {
        checkModel(model);
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(generator, "generator");
        List<EvalExample> examples = dataset.examples();
        if (!metrics.isEmpty()) {
            for (EvalExample e : examples) {
                if (e.references().stream().allMatch(String::isEmpty)) {
                    throw new InvalidArgumentException("example '" + e.id() + "' has no non-empty reference; the "
                            + "metrics " + metricNames() + " need one");
                }
            }
        }
        Outcome[] outcomes = generateAll(model, examples, generator);
        return assemble(model, examples, outcomes, out);
    }

    private record Outcome(Generation generation, String error, double latencyMs) {
    }

    private Outcome[] generateAll(String model, List<EvalExample> examples, Generator generator) {
        Outcome[] outcomes = new Outcome[examples.size()];
        try (Progress p = Progress.start(progress, "evaluate " + model, examples.size(), clock)) {
            if (concurrency == 1) {
                for (int i = 0; i < outcomes.length; i++) {
                    outcomes[i] = generateOne(model, examples.get(i), generator);
                    p.advance(1);
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, outcomes.length),
                        threads(model));
                try {
                    List<Future<Outcome>> futures = new ArrayList<>(outcomes.length);
                    for (EvalExample e : examples) {
                        futures.add(pool.submit(() -> {
                            Outcome o = generateOne(model, e, generator);
                            p.advance(1);
                            return o;
                        }));
                    }
                    for (int i = 0; i < outcomes.length; i++) {
                        outcomes[i] = futures.get(i).get();
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new UnavailableException("interrupted while evaluating '" + model + "'", ie);
                } catch (ExecutionException ee) {
                    Throwable cause = ee.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new UnavailableException("evaluating '" + model + "' failed: " + cause, cause);
                } finally {
                    pool.shutdownNow();
                }
            }
            p.finish();
        }
        return outcomes;
    }

    private Outcome generateOne(String model, EvalExample e, Generator generator) {
        long start = clock.nanoTime();
        Generation g;
        String error = null;
        try {
            g = generator.generate(e.prompt());
            if (g == null) {
                throw new IllegalStateException("the generator returned null");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while generating example '" + e.id() + "'", ie);
        } catch (Exception ex) {
            if (!continueOnError) {
                throw new UnavailableException("generator '" + model + "' failed on example '" + e.id() + "': "
                        + ex, ex);
            }
            LOG.warn("generator '{}' failed on example '{}'; it scores as an empty prediction", model, e.id(), ex);
            g = Generation.of("");
            error = String.valueOf(ex);
        }
        double latencyMs = (clock.nanoTime() - start) / 1e6;
        return new Outcome(g, error, latencyMs);
    }

    private EvaluationResult assemble(String model, List<EvalExample> examples, Outcome[] outcomes, MetricSink out) {
        int n = examples.size();
        List<Field> fields = new ArrayList<>(List.of(Field.of("id", DataType.STRING),
                Field.of("prompt", DataType.STRING), Field.of("reference", DataType.STRING),
                Field.of("prediction", DataType.STRING), Field.of("error", DataType.STRING),
                Field.of("latency_ms", DataType.DOUBLE), Field.of("prompt_tokens", DataType.LONG),
                Field.of("completion_tokens", DataType.LONG), Field.of("tokens_estimated", DataType.BOOLEAN),
                Field.of("cost", DataType.DOUBLE)));
        for (CorpusMetric m : metrics) {
            fields.add(Field.of(m.name(), DataType.DOUBLE));
        }
        boolean anyLogProbs = Arrays.stream(outcomes).anyMatch(o -> !o.generation().tokenLogProbs().isEmpty());
        if (anyLogProbs) {
            fields.add(Field.of("perplexity", DataType.DOUBLE));
        }
        Frame.RowBuilder rows = Frame.rowBuilder(Schema.of(fields));
        Map<String, double[][]> stats = new LinkedHashMap<>();
        for (CorpusMetric m : metrics) {
            stats.put(m.name(), new double[n][]);
        }
        double[] latencies = new double[n];
        long promptTotal = 0;
        long completionTotal = 0;
        double costTotal = 0;
        int errors = 0;
        List<double[]> logProbs = new ArrayList<>();
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EvalExample e = examples.get(i);
            Outcome o = outcomes[i];
            Generation g = o.generation();
            ids.add(e.id());
            boolean estimated = g.promptTokens() < 0 || g.completionTokens() < 0;
            long promptTokens = g.promptTokens() >= 0 ? g.promptTokens() : tokenCounter.applyAsLong(e.prompt());
            long completionTokens = g.completionTokens() >= 0 ? g.completionTokens()
                    : tokenCounter.applyAsLong(g.text());
            Double cost = pricing == null ? null : pricing.cost(promptTokens, completionTokens);
            List<Object> row = new ArrayList<>(fields.size());
            row.addAll(Arrays.asList(e.id(), e.prompt(), e.references().isEmpty() ? null : e.references().get(0),
                    g.text(), o.error(), o.latencyMs(), promptTokens, completionTokens, estimated, cost));
            List<String> refs = e.references().stream().filter(r -> !r.isEmpty()).toList();
            for (CorpusMetric m : metrics) {
                stats.get(m.name())[i] = m.statistics(g.text(), refs);
                row.add(m.segmentScore(g.text(), refs));
            }
            if (anyLogProbs) {
                if (g.tokenLogProbs().isEmpty()) {
                    row.add(null);
                } else {
                    double[] lp = g.tokenLogProbs().stream().mapToDouble(Double::doubleValue).toArray();
                    logProbs.add(lp);
                    row.add(Perplexity.of(lp));
                }
            }
            rows.row(row.toArray());
            latencies[i] = o.latencyMs();
            promptTotal += promptTokens;
            completionTotal += completionTokens;
            costTotal += cost == null ? 0 : cost;
            errors += o.error() == null ? 0 : 1;
        }
        Map<String, Double> aggregates = new LinkedHashMap<>();
        Map<String, ConfidenceInterval> cis = new LinkedHashMap<>();
        for (CorpusMetric m : metrics) {
            double[][] s = stats.get(m.name());
            aggregates.put(m.name(), m.score(Bootstrap.sum(s)));
            if (intervals) {
                cis.put(m.name(), bootstrap.interval(m, s));
            }
        }
        if (!logProbs.isEmpty()) {
            aggregates.put("perplexity", Perplexity.corpus(logProbs));
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        aggregates.put("latency_ms/mean", Arrays.stream(latencies).average().orElse(Double.NaN));
        aggregates.put("latency_ms/p50", percentile(sorted, 0.50));
        aggregates.put("latency_ms/p95", percentile(sorted, 0.95));
        aggregates.put("latency_ms/max", sorted[sorted.length - 1]);
        aggregates.put("tokens/prompt", (double) promptTotal);
        aggregates.put("tokens/completion", (double) completionTotal);
        if (pricing != null) {
            aggregates.put("cost/total", costTotal);
        }
        aggregates.put("examples", (double) n);
        aggregates.put("errors", (double) errors);

        Frame.RowBuilder summary = Frame.rowBuilder(Schema.of(Field.of("name", DataType.STRING),
                Field.of("value", DataType.DOUBLE), Field.of("ci_low", DataType.DOUBLE),
                Field.of("ci_high", DataType.DOUBLE)));
        aggregates.forEach((k, v) -> {
            ConfidenceInterval ci = cis.get(k);
            summary.row(k, v, ci == null ? null : ci.low(), ci == null ? null : ci.high());
        });
        log(model, n, aggregates, out);
        LOG.info("evaluated '{}' on {} examples: {}", model, n, aggregates);
        return new EvaluationResult(model, rows.build(), summary.build(), aggregates, cis, stats, ids);
    }

    private void log(String model, int n, Map<String, Double> aggregates, MetricSink out) {
        out.logParam("eval/model", model);
        out.logParam("eval/examples", String.valueOf(n));
        out.logParam("eval/metrics", metricNames());
        if (pricing != null) {
            out.logParam("eval/pricing", pricing.inputPerToken() + " / " + pricing.outputPerToken() + " "
                    + pricing.currency() + " per prompt / completion token");
        }
        for (CorpusMetric m : metrics) {
            if (!m.signature().isEmpty()) {
                out.logParam(m.name() + "/signature", m.signature());
            }
        }
        out.logMetrics(aggregates, 0);
    }

    private String metricNames() {
        return metrics.stream().map(CorpusMetric::name).collect(Collectors.joining(","));
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static void checkModel(String model) {
        if (model == null || !MODEL_NAME.matcher(model).matches()) {
            throw new InvalidArgumentException("model name '" + model + "' must be 1 to 100 letters, digits, '_', "
                    + "'.' or '-'");
        }
    }

    private static ThreadFactory threads(String model) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mlops-llm-eval-" + model + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Prefixes every key, so that two models can log into one run. */
    private record PrefixedSink(MetricSink delegate, String prefix) implements MetricSink {
        @Override
        public void logParam(String key, String value) {
            delegate.logParam(prefix + key, value);
        }

        @Override
        public void logMetric(String key, double value, long step) {
            delegate.logMetric(prefix + key, value, step);
        }

        @Override
        public void setTag(String key, String value) {
            delegate.setTag(prefix + key, value);
        }
    }

    /**
     * Configures an {@link Evaluator}. Each option may be set once; not thread-safe.
     */
    public static final class Builder {
        private List<CorpusMetric> metrics = List.of();
        private Pricing pricing;
        private MetricSink sink = MetricSink.noop();
        private ProgressListener progress = ProgressListener.logging();
        private TimeSource clock = TimeSource.system();
        private int concurrency = 1;
        private ToLongFunction<String> tokenCounter = Evaluator::estimateTokens;
        private boolean continueOnError;
        private Bootstrap bootstrap = Bootstrap.defaults();
        private boolean intervals = true;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            Objects.requireNonNull(value, option);
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Sets the metrics; the default is none (latency, tokens and cost only).
         *
         * @param values metrics with distinct names
         * @return this builder
         * @throws InvalidArgumentException if two metrics share a name
         */
        public Builder metrics(CorpusMetric... values) {
            once("metrics", values);
            Set<String> names = new HashSet<>();
            for (CorpusMetric m : values) {
                if (!names.add(Objects.requireNonNull(m, "metric").name())) {
                    throw new InvalidArgumentException("two metrics are named '" + m.name() + "'");
                }
                if (Set.of("id", "prompt", "reference", "prediction", "error", "latency_ms", "prompt_tokens",
                        "completion_tokens", "tokens_estimated", "cost", "perplexity").contains(m.name())) {
                    throw new InvalidArgumentException("metric name '" + m.name() + "' is taken by a result column");
                }
            }
            this.metrics = List.of(values);
            return this;
        }

        /**
         * Sets the token prices for cost estimates; without it there is no cost.
         *
         * @param value the pricing
         * @return this builder
         */
        public Builder pricing(Pricing value) {
            once("pricing", value);
            this.pricing = value;
            return this;
        }

        /**
         * Sets where aggregates are logged, for instance a tracked run; the default discards them.
         *
         * @param value the sink
         * @return this builder
         */
        public Builder sink(MetricSink value) {
            once("sink", value);
            this.sink = value;
            return this;
        }

        /**
         * Sets the progress listener; the default logs through SLF4J.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder progress(ProgressListener value) {
            once("progress", value);
            this.progress = value;
            return this;
        }

        /**
         * Sets the clock that measures latency; the default is the system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(TimeSource value) {
            once("clock", value);
            this.clock = value;
            return this;
        }

        /**
         * Sets how many generations run at once; the default is 1. Latency is measured per call either way.
         *
         * @param value 1 to 256
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder concurrency(int value) {
            once("concurrency", value);
            if (value < 1 || value > 256) {
                throw new InvalidArgumentException("concurrency must be 1 to 256, but was " + value);
            }
            this.concurrency = value;
            return this;
        }

        /**
         * Sets how tokens are counted when the generator does not report them; the default is
         * {@link Evaluator#estimateTokens(String)}.
         *
         * @param value a thread-safe counter, for instance the model's own tokenizer
         * @return this builder
         */
        public Builder tokenCounter(ToLongFunction<String> value) {
            once("tokenCounter", value);
            this.tokenCounter = value;
            return this;
        }

        /**
         * Records generator failures and scores them as empty predictions instead of stopping; the default stops.
         *
         * @param value true to continue on errors
         * @return this builder
         */
        public Builder continueOnError(boolean value) {
            once("continueOnError", value);
            this.continueOnError = value;
            return this;
        }

        /**
         * Sets the resampling for confidence intervals and paired tests; the default is
         * {@link Bootstrap#defaults()}.
         *
         * @param value the resampler
         * @return this builder
         */
        public Builder bootstrap(Bootstrap value) {
            once("bootstrap", value);
            this.bootstrap = value;
            return this;
        }

        /**
         * Turns per-metric confidence intervals on or off; the default is on.
         *
         * @param value true to compute intervals
         * @return this builder
         */
        public Builder confidenceIntervals(boolean value) {
            once("confidenceIntervals", value);
            this.intervals = value;
            return this;
        }

        /**
         * Builds the evaluator.
         *
         * @return the evaluator
         */
        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
