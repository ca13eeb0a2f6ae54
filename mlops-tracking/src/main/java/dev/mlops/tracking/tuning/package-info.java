/**
 * Hyperparameter search: {@link dev.mlops.tracking.tuning.Study} runs an objective over a
 * {@link dev.mlops.api.tuning.SearchSpace} with a {@link dev.mlops.tracking.tuning.Sampler} (random, grid, TPE) and
 * a {@link dev.mlops.tracking.tuning.Pruner} (median, successive halving), in parallel, under a budget of trials,
 * time and cost; a tracked study is an experiment whose trials are child runs, and it resumes when reopened.
 * {@link dev.mlops.tracking.tuning.AutoMl} searches over Tribuo trainers with cross-validation.
 */
package dev.mlops.tracking.tuning;
