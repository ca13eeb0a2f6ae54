/**
 * Monitoring of a live model: windows over an inference log ({@link dev.mlops.monitoring.stream.Monitor}), delayed
 * labels joined by prediction id, performance per window ({@link dev.mlops.monitoring.stream.PerformanceMetrics}),
 * and alert rules ({@link dev.mlops.monitoring.stream.AlertRule}) whose alerts go to listeners.
 */
package dev.mlops.monitoring.stream;
