/**
 * In-process serving: a thread-safe {@link dev.mlops.serving.Predictor} over a model package or a registry alias,
 * running the Tribuo, ONNX Runtime or TorchScript (DJL PyTorch) flavor on CPU or GPU, with signature checks,
 * dynamic micro-batching, an opt-in prediction cache, hot swap by alias with rollback, canary and shadow routing, an
 * inference log hook and Micrometer meters. REST endpoints live in {@code dev.mlops.serving.http}.
 */
package dev.mlops.serving;
