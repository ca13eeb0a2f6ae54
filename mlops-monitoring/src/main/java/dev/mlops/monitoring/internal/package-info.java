/**
 * Implementation detail of {@code mlops-monitoring}: the statistics kernels, sketch-backed accumulators, the JSON
 * codec for profiles, and the HTML and SVG rendering of reports. Not part of the API; users must not import these
 * classes, which may change in any release.
 */
package dev.mlops.monitoring.internal;
