/**
 * Monitoring: data profiles for exploratory analysis, drift detection, live monitors over inference logs with
 * delayed labels, alerts, retraining policies and self-contained HTML reports.
 *
 * <p>The front door is {@link dev.mlops.monitoring.Monitoring}. Profiles ({@link dev.mlops.monitoring.DatasetProfile})
 * are built by a {@link dev.mlops.monitoring.Profiler}; drift is measured by a
 * {@link dev.mlops.monitoring.DriftDetector}, whose results live in {@link dev.mlops.monitoring.drift}; live
 * monitoring and alerts are in {@link dev.mlops.monitoring.stream}, retraining in
 * {@link dev.mlops.monitoring.retrain}. Classes in {@code dev.mlops.monitoring.internal} are not part of the API.
 */
package dev.mlops.monitoring;
