/**
 * Language models on DJL's PyTorch engine: a GPT-2 style decoder ({@link dev.mlops.llm.model.Gpt2Model}) created
 * with seeded weights or loaded from Hugging Face's {@code config.json} and {@code model.safetensors}, the
 * safetensors format itself ({@link dev.mlops.llm.model.Safetensors}), tokenizers from a local
 * {@code tokenizer.json} ({@link dev.mlops.llm.model.TextTokenizer}), prompt templates for completion and chat data
 * ({@link dev.mlops.llm.model.PromptFormat}), and text generation with a key/value cache
 * ({@link dev.mlops.llm.model.TextGenerator}) that plugs into the evaluation harness. Nothing is downloaded: native
 * libraries come from Maven jars and weights from local files.
 */
package dev.mlops.llm.model;
