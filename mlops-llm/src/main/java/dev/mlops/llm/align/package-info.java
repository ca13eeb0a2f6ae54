/**
 * Aligning and compressing fine-tuned models: direct preference optimization on the (prompt, chosen, rejected) pairs
 * that feedback capture exports ({@link dev.mlops.llm.align.PreferenceDataset}, {@link dev.mlops.llm.align.DpoTrainer}
 * with a frozen {@link dev.mlops.llm.align.DpoReference}), and knowledge distillation of a teacher into a smaller
 * student of the same family ({@link dev.mlops.llm.align.Distiller}, with a
 * {@link dev.mlops.llm.align.DistillationReport} of size, speed and quality). Both reuse the supervised fine-tuning
 * loop's optimizer, schedule, clipping, accumulation, progress and metric sink, and work with LoRA adapters.
 */
package dev.mlops.llm.align;
