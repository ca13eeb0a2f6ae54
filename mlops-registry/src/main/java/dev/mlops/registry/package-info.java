/**
 * The model registry: registered models, immutable versions, aliases, lineage and governance, and the model package format.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.registry;
