/**
 * Values of drift detection: the tests ({@link dev.mlops.monitoring.drift.DriftMethod}), the binning of
 * histogram-based measures ({@link dev.mlops.monitoring.drift.Binning}), and the results per column
 * ({@link dev.mlops.monitoring.drift.ColumnDrift}) and per dataset ({@link dev.mlops.monitoring.drift.DriftReport}).
 * The detector itself is {@link dev.mlops.monitoring.DriftDetector}.
 */
package dev.mlops.monitoring.drift;
