/**
 * The feature store: entities, feature views, feature services, transformation pipelines, point-in-time-correct training sets and the online store.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.features;
