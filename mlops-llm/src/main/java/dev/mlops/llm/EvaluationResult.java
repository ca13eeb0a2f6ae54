package dev.mlops.llm;

import dev.mlops.api.Frame;
import dev.mlops.api.NotFoundException;
import dev.mlops.llm.metrics.ConfidenceInterval;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of evaluating one model on a dataset: a frame with one row per example, a summary frame, and the
 * aggregates that were logged. Immutable and thread-safe.
 *
 * <p>The examples frame has the columns {@code id}, {@code prompt}, {@code reference} (the first reference),
 * {@code prediction}, {@code error} (null unless the generator failed), {@code latency_ms}, {@code prompt_tokens},
 * {@code completion_tokens}, {@code tokens_estimated}, {@code cost} (null without pricing), one column per metric
 * with the example's own score, and {@code perplexity} when the generator reported log-probabilities.
 *
 * <p>The summary frame has the columns {@code name}, {@code value}, {@code ci_low} and {@code ci_high} (null when no
 * interval was computed), one row per aggregate.
 */
public final class EvaluationResult {
    private final String model;
    private final Frame examples;
    private final Frame summary;
    private final Map<String, Double> aggregates;
    private final Map<String, ConfidenceInterval> intervals;
    private final Map<String, double[][]> statistics;
    private final List<String> ids;

    EvaluationResult(String model, Frame examples, Frame summary, Map<String, Double> aggregates,
            Map<String, ConfidenceInterval> intervals, Map<String, double[][]> statistics, List<String> ids) {
        this.model = model;
        this.examples = examples;
        this.summary = summary;
        this.aggregates = Collections.unmodifiableMap(new LinkedHashMap<>(aggregates));
        this.intervals = Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
        this.statistics = statistics;
        this.ids = List.copyOf(ids);
    }

    /**
     * Returns the name of the evaluated model.
     *
     * @return the model name
     */
    public String model() {
        return model;
    }

    /**
     * Returns one row per example.
     *
     * @return the examples frame
     */
    public Frame examples() {
        return examples;
    }

    /**
     * Returns one row per aggregate, with confidence intervals where computed.
     *
     * @return the summary frame
     */
    public Frame summary() {
        return summary;
    }

    /**
     * Returns every aggregate by name: each metric's corpus score, {@code latency_ms/mean}, {@code latency_ms/p50},
     * {@code latency_ms/p95}, {@code latency_ms/max}, {@code tokens/prompt}, {@code tokens/completion},
     * {@code cost/total} (with pricing), {@code examples}, {@code errors} and {@code perplexity} (with
     * log-probabilities).
     *
     * @return the aggregates in logging order
     */
    public Map<String, Double> aggregates() {
        return aggregates;
    }

    /**
     * Returns one aggregate.
     *
     * @param name the aggregate's name, for instance {@code bleu}
     * @return its value
     * @throws NotFoundException if there is no such aggregate, listing those there are
     */
    public double aggregate(String name) {
        Double v = aggregates.get(name);
        if (v == null) {
            throw new NotFoundException("aggregate '" + name + "' was not computed; aggregates are "
                    + aggregates.keySet());
        }
        return v;
    }

    /**
     * Returns a metric's bootstrap confidence interval, when the evaluator computes intervals.
     *
     * @param metric the metric's name
     * @return the interval, or empty
     */
    public Optional<ConfidenceInterval> interval(String metric) {
        return Optional.ofNullable(intervals.get(metric));
    }

    /** The per-example statistics of a metric, for paired tests; not copied, callers must not modify them. */
    double[][] statistics(String metric) {
        return statistics.get(metric);
    }

    /** The example ids in order. */
    List<String> ids() {
        return ids;
    }

    @Override
    public String toString() {
        return "EvaluationResult[" + model + ", " + aggregates + "]";
    }
}
