/**
 * LLM operations: an evaluation harness that runs a generator over a dataset, measures latency, tokens and cost,
 * scores the outputs with text metrics and logs the aggregates through a metric sink
 * ({@link dev.mlops.llm.Evaluator}), with side-by-side comparison and significance tests
 * ({@link dev.mlops.llm.Comparison}).
 *
 * <p>The metrics live in {@link dev.mlops.llm.metrics} and human-feedback capture in {@link dev.mlops.llm.feedback}.
 * Types in {@code dev.mlops.llm.internal} are implementation detail and must not be imported.
 */
package dev.mlops.llm;
