/**
 * Text-generation metrics with the exact definitions of their reference implementations: BLEU and chrF as sacreBLEU
 * computes them ({@link dev.mlops.llm.metrics.Bleu}, {@link dev.mlops.llm.metrics.Chrf}), ROUGE as Google's
 * rouge-score computes it ({@link dev.mlops.llm.metrics.Rouge}), SQuAD exact match and token F1
 * ({@link dev.mlops.llm.metrics.AnswerMatch}), perplexity ({@link dev.mlops.llm.metrics.Perplexity}), and seeded
 * bootstrap intervals and paired tests for any corpus metric ({@link dev.mlops.llm.metrics.Bootstrap}).
 */
package dev.mlops.llm.metrics;
