package dev.mlops.tracking;

import java.util.Objects;

/**
 * A file or directory among a run's artifacts.
 *
 * @param path the path inside the run's artifacts, {@code /}-separated
 * @param directory true for a directory
 * @param size the file size in bytes, or the total of the files below a directory
 * @param sha256 the file's SHA-256 in lower-case hex, or {@code null} for a directory
 */
public record ArtifactInfo(String path, boolean directory, long size, String sha256) {
    /**
     * Validates the record.
     *
     * @throws NullPointerException if the path is null
     */
    public ArtifactInfo {
        Objects.requireNonNull(path, "path");
    }
}
