/**
 * Monitoring: data profiles, drift tests, performance windows, alerts, retraining policies and HTML reports.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.monitoring;
