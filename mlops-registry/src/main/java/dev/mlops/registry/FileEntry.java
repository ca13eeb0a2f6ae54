package dev.mlops.registry;

/**
 * The recorded digest and size of one file of a package.
 *
 * @param sha256 the SHA-256 in lower-case hex
 * @param size the size in bytes
 */
public record FileEntry(String sha256, long size) {
}
