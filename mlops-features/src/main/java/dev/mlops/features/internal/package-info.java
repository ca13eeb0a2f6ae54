/**
 * Implementation details of the feature store: SQL for the definition tables and the offline engine, name checks,
 * key encodings. Not part of the API; these types may change in any release.
 */
package dev.mlops.features.internal;
