/**
 * The contracts of hyperparameter search: a {@link dev.mlops.api.tuning.SearchSpace} of parameter
 * {@link dev.mlops.api.tuning.Distribution}s, the {@link dev.mlops.api.tuning.Trial} an objective receives, and the
 * {@link dev.mlops.api.tuning.Objective} itself. Studies that run them live in {@code mlops-tracking}; any module can
 * offer objectives without depending on it.
 */
package dev.mlops.api.tuning;
