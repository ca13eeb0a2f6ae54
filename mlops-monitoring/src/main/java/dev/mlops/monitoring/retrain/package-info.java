/**
 * Automated retraining: on an alert, a {@link dev.mlops.monitoring.retrain.RetrainingPolicy} calls the host's
 * {@link dev.mlops.monitoring.retrain.Retrainer}, scores the candidate against the champion on recent labelled data
 * with the host's {@link dev.mlops.monitoring.retrain.ModelScorer}, and promotes it (or asks for approval) through
 * {@link dev.mlops.api.spi.ModelPromoter}, which the registry implements. Every step is recorded with its reason.
 */
package dev.mlops.monitoring.retrain;
