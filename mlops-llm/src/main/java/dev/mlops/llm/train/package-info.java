/**
 * Supervised fine-tuning: JSON-lines datasets of prompt/completion pairs or chat messages with de-duplication and a
 * seeded split ({@link dev.mlops.llm.train.SftDataset}), and the training loop ({@link dev.mlops.llm.train.SftTrainer})
 * with AdamW, warm-up and cosine decay, accumulation, clipping, mixed precision on GPUs, early stopping, exact
 * checkpoint resume, progress reporting and metrics through a {@code MetricSink}.
 */
package dev.mlops.llm.train;
