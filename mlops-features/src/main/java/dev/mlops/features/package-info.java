/**
 * The feature store: entities, feature views, feature services and on-demand transforms with versioned, searchable
 * definitions; pipelines that compute features into an embedded offline store; point-in-time-correct training sets;
 * and materialization into an online store (in-process or Redis) that checks every value's TTL on read.
 *
 * <p>{@link dev.mlops.features.FeatureStore} is the entry point. Types in {@code dev.mlops.features.internal} are
 * implementation details that may change in any release; do not import them.
 */
package dev.mlops.features;
