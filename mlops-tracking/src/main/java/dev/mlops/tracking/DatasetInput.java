package dev.mlops.tracking;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.tracking.internal.Limits;
import java.util.Objects;

/**
 * A dataset a run used, for lineage: its name, content digest and schema, where it came from, and in what role
 * (context) the run used it.
 *
 * @param name the dataset's name, for instance {@code "breast_cancer"}
 * @param digest the content digest, for instance {@link Frame#digest()}
 * @param schema the dataset's schema, or {@code null} when unknown
 * @param sourceType the kind of source, for instance {@code "local"}, {@code "jdbc"}, {@code "code"}
 * @param source where the data came from, for instance a path or a query
 * @param context the role in the run, for instance {@code "training"} or {@code "evaluation"}
 */
public record DatasetInput(String name, String digest, Schema schema, String sourceType, String source, String context) {
    /**
     * Validates the input.
     *
     * @throws InvalidArgumentException if a part is missing or too long
     */
    public DatasetInput {
        Limits.checkName("dataset", name, Limits.MAX_DATASET_NAME_LENGTH);
        if (digest == null || digest.isBlank() || digest.length() > 64) {
            throw new InvalidArgumentException("dataset '" + name + "' needs a digest of 1 to 64 characters, not '"
                    + digest + "'");
        }
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(source, "source");
        if (source.length() > Limits.MAX_DATASET_SOURCE_LENGTH) {
            throw new InvalidArgumentException("source of dataset '" + name + "' is longer than "
                    + Limits.MAX_DATASET_SOURCE_LENGTH + " characters");
        }
        Limits.checkName("dataset context", context, Limits.MAX_RUN_NAME_LENGTH);
    }

    /**
     * Describes a frame used for training, with its digest and schema; the source is {@code "code"}.
     *
     * @param frame the data
     * @param name the dataset's name
     * @return the input, with context {@code "training"}
     */
    public static DatasetInput of(Frame frame, String name) {
        return new DatasetInput(name, frame.digest(), frame.schema(), "code", "", "training");
    }

    /**
     * Returns this input with another source.
     *
     * @param newSourceType the kind of source
     * @param newSource where the data came from
     * @return the changed input
     */
    public DatasetInput withSource(String newSourceType, String newSource) {
        return new DatasetInput(name, digest, schema, newSourceType, newSource, context);
    }

    /**
     * Returns this input in another role.
     *
     * @param newContext for instance {@code "evaluation"}
     * @return the changed input
     */
    public DatasetInput withContext(String newContext) {
        return new DatasetInput(name, digest, schema, sourceType, source, newContext);
    }
}
