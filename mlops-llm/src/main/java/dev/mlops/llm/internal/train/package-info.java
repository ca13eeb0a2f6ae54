/**
 * Implementation detail of fine-tuning: token encoding with loss masks, batch plans with padding or packing, the AdamW
 * optimizer, loss scaling and checkpoint files. Nothing here is API; users must not import these types.
 */
package dev.mlops.llm.internal.train;
