package dev.mlops.api.spi;

import java.util.Objects;

/**
 * A reference to a dataset by content, for lineage: which data a run or model version used.
 *
 * @param name the dataset's name
 * @param digest its content digest (for instance {@link dev.mlops.api.Frame#digest()})
 * @param context the role it played, for instance {@code "training"} or {@code "evaluation"}
 */
public record DatasetRef(String name, String digest, String context) {
    /**
     * Validates the reference.
     *
     * @throws NullPointerException if a part is null
     */
    public DatasetRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(context, "context");
    }
}
