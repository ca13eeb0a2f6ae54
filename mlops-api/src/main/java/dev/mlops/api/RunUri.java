package dev.mlops.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to an artifact of a tracked run: {@code runs:/<run-id>/<path>}, as in MLflow. The path may be empty,
 * meaning the run's artifact root.
 *
 * <p>Run ids are 1 to 64 letters, digits, {@code _} or {@code -}, starting with a letter or digit. The path follows
 * the rules of {@link RelativePath}. Immutable and thread-safe; {@link #toString()} gives the canonical text that
 * {@link #parse(String)} reads back.
 *
 * @param runId the run's id
 * @param path the artifact path inside the run
 */
public record RunUri(String runId, RelativePath path) {
    /** The scheme prefix. */
    public static final String PREFIX = "runs:/";

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /**
     * Validates the parts.
     *
     * @throws InvalidArgumentException if the run id is malformed
     */
    public RunUri {
        checkRunId(runId);
        Objects.requireNonNull(path, "path");
    }

    /**
     * Creates a URI from a run id and a path.
     *
     * @param runId the run's id
     * @param path the artifact path, possibly empty
     * @return the URI
     * @throws InvalidArgumentException if the run id or the path is malformed
     */
    public static RunUri of(String runId, String path) {
        return new RunUri(runId, RelativePath.of(path));
    }

    /**
     * Parses a run URI.
     *
     * @param text for instance {@code runs:/0a1b2c/model}
     * @return the URI
     * @throws InvalidArgumentException if the text is not a run URI, naming the text and what is wrong
     */
    public static RunUri parse(String text) {
        if (text == null) {
            throw new InvalidArgumentException("run URI must not be null");
        }
        if (!text.startsWith(PREFIX)) {
            throw bad(text, "it must start with '" + PREFIX + "'");
        }
        String rest = text.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        try {
            return new RunUri(id, RelativePath.of(path));
        } catch (InvalidArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    /**
     * Checks a run id.
     *
     * @param runId the id
     * @return the id, unchanged
     * @throws InvalidArgumentException if the id is malformed
     */
    public static String checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new InvalidArgumentException("run id '" + (runId == null ? "null" : runId.replaceAll("\\p{Cntrl}", "?"))
                    + "' must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return runId;
    }

    private static InvalidArgumentException bad(String text, String why) {
        return new InvalidArgumentException("malformed run URI '" + text.replaceAll("\\p{Cntrl}", "?") + "': " + why);
    }

    @Override
    public String toString() {
        return path.isRoot() ? PREFIX + runId : PREFIX + runId + "/" + path;
    }
}
