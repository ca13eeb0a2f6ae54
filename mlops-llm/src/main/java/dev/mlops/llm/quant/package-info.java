/**
 * Post-training 8-bit weight quantization of GPT-2 models: symmetric per-output-channel integers for the linear
 * layers ({@link dev.mlops.llm.quant.Int8Matrix}), quantizing a loaded model in place, saving and loading quantized
 * model directories, memory footprints, and the comparison of a quantized model's predictions with its 32-bit
 * original ({@link dev.mlops.llm.quant.Int8Quantization}).
 */
package dev.mlops.llm.quant;
