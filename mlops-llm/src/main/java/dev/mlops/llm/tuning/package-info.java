/**
 * Ready-made hyperparameter-tuning problems for LLM fine-tuning, written against the tuning contracts of
 * {@code dev.mlops.api.tuning} so that any study runner (the tracking module's {@code Study}, for instance) runs them:
 * {@link dev.mlops.llm.tuning.FineTuneTuning} searches LoRA fine-tuning settings for the trade-off between quality
 * and cost, measured as a {@link dev.mlops.llm.tuning.TrainingCost}.
 */
package dev.mlops.llm.tuning;
