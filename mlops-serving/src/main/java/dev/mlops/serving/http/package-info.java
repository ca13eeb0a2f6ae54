/**
 * REST endpoints for a predictor: MLflow's scoring protocol and KServe's Open Inference Protocol v2, on an embedded
 * Jetty server, with JSON errors, overload signalling and graceful shutdown.
 */
package dev.mlops.serving.http;
