/**
 * Experiment tracking: experiments, runs, parameters, metrics, artifacts, dataset inputs and run search.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.tracking;
