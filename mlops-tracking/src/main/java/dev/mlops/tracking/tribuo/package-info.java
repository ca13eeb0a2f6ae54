/**
 * Tribuo integration: turning frames into Tribuo datasets, and training, evaluating and logging Tribuo models into
 * tracked runs (trainer provenance as params, dataset provenance as an input, evaluation metrics, the model as a
 * protobuf artifact).
 */
package dev.mlops.tracking.tribuo;
