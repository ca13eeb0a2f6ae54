/**
 * Implementation detail: the GPT-2 network as DJL blocks, the key/value cache, LoRA projections, weight exchange with
 * Hugging Face names, and the AdamW optimizer. Nothing here is API; users must not import these types.
 */
package dev.mlops.llm.internal.nn;
