package dev.mlops.api.spi;

import dev.mlops.api.RunUri;
import java.util.List;

/**
 * Answers which datasets a run used. The tracking store implements it; the registry asks it when a model version
 * is registered from a run, so that lineage reaches from a version to its data without the registry depending on
 * tracking. Implementations are thread-safe.
 */
@FunctionalInterface
public interface LineageSource {
    /**
     * Lists the datasets a run used.
     *
     * @param run a run URI (its path is ignored)
     * @return the run's dataset inputs; empty if it recorded none
     * @throws dev.mlops.api.NotFoundException if the run does not exist
     */
    List<DatasetRef> datasetsOf(RunUri run);
}
