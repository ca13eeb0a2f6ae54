package dev.mlops.registry;

import dev.mlops.api.RunUri;
import dev.mlops.api.spi.DatasetRef;
import java.util.List;

/**
 * Where a version came from: its source run and the datasets it was trained and evaluated on.
 *
 * @param model the registered model
 * @param version the version
 * @param source the run artifact it was registered from, or {@code null}
 * @param datasets the datasets, from the package and from the source run
 */
public record Lineage(String model, long version, RunUri source, List<DatasetRef> datasets) {
    /** Copies the list. */
    public Lineage {
        datasets = List.copyOf(datasets);
    }
}
