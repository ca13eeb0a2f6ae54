/**
 * Small service interfaces through which modules cooperate without depending on each other: a {@link
 * dev.mlops.api.spi.MetricSink} that runs implement and training, monitoring and evaluation code log into, a {@link
 * dev.mlops.api.spi.ProgressListener} for long work, and a {@link dev.mlops.api.spi.TimeSource} that tests can
 * control.
 */
package dev.mlops.api.spi;
