/**
 * Low-rank adaptation (LoRA) of a {@link dev.mlops.llm.model.Gpt2Model}: adapters on chosen linear layers with rank,
 * alpha and dropout ({@link dev.mlops.llm.lora.LoraConfig}), frozen base weights, merge and unmerge, saving and
 * loading adapters that name the digest of their base ({@link dev.mlops.llm.lora.LoraAdapter}), and model-package
 * directories that a host registers with the registry ({@link dev.mlops.llm.lora.LlmPackage}).
 */
package dev.mlops.llm.lora;
