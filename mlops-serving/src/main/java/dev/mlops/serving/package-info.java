/**
 * In-process serving: predictors over Tribuo, ONNX Runtime and PyTorch, micro-batching, hot swap by alias and REST endpoints.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.serving;
