package dev.mlops.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated relative path, such as an artifact path inside a run or a file inside a model package, that can be
 * resolved under a root directory without ever leaving it.
 *
 * <p>Segments are separated by {@code /}. Rejected: absolute paths, backslashes, empty, {@code .} and {@code ..}
 * segments, control characters, percent signs (so that no encoded separator or dot survives a later decoding), and
 * {@code : # ?} (drive prefixes such as {@code C:}, URI schemes, fragments and queries). The empty path is the root
 * itself. Immutable and thread-safe.
 *
 * @param segments the path's segments, none empty
 */
public record RelativePath(List<String> segments) {
    /** The longest path accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    /** The empty path: the root itself. */
    public static final RelativePath ROOT = new RelativePath(List.of());

    /**
     * Validates the segments.
     *
     * @throws InvalidArgumentException if a segment is empty, {@code .}, {@code ..}, or holds a forbidden character
     */
    public RelativePath {
        segments = List.copyOf(segments);
        int length = 0;
        for (String s : segments) {
            checkSegment(s, String.join("/", segments));
            length += s.length() + 1;
        }
        if (length > MAX_LENGTH + 1) {
            throw new InvalidArgumentException("path is longer than " + MAX_LENGTH + " characters");
        }
    }

    /**
     * Parses a path; one trailing {@code /} is allowed and dropped.
     *
     * @param path the text, for instance {@code "plots/roc.png"}
     * @return the path
     * @throws InvalidArgumentException if the path is absolute, escapes its root or holds a forbidden character,
     *     naming the path
     */
    public static RelativePath of(String path) {
        if (path == null) {
            throw new InvalidArgumentException("path must not be null");
        }
        if (path.isEmpty()) {
            return ROOT;
        }
        if (path.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("path is " + path.length() + " characters long, more than " + MAX_LENGTH);
        }
        if (path.startsWith("/")) {
            throw new InvalidArgumentException("path '" + printable(path) + "' is absolute; a relative path is required");
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= trimmed.length(); i++) {
            if (i == trimmed.length() || trimmed.charAt(i) == '/') {
                String segment = trimmed.substring(start, i);
                checkSegment(segment, path);
                parts.add(segment);
                start = i + 1;
            }
        }
        return new RelativePath(parts);
    }

    private static void checkSegment(String segment, String path) {
        if (segment.isEmpty()) {
            throw new InvalidArgumentException("path '" + printable(path) + "' has an empty segment");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new InvalidArgumentException("path '" + printable(path) + "' has a '" + segment
                    + "' segment; paths must stay inside their root");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\' || c == '%' || c == '/' || c == ':' || c == '#' || c == '?' || Character.isISOControl(c)) {
                String what = switch (c) {
                    case '\\' -> "a backslash";
                    case '%' -> "a percent sign (encoded characters are not allowed)";
                    case '/' -> "a slash inside a segment";
                    case ':', '#', '?' -> "'" + c + "', which URIs give a meaning";
                    default -> "a control character";
                };
                throw new InvalidArgumentException("path '" + printable(path) + "' holds " + what);
            }
        }
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * Tells whether this is the root path.
     *
     * @return true when there are no segments
     */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /**
     * Returns the last segment.
     *
     * @return the file name, or the empty string for the root
     */
    public String fileName() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    /**
     * Appends a path to this one.
     *
     * @param other a relative path
     * @return the joined path
     */
    public RelativePath resolve(RelativePath other) {
        List<String> joined = new ArrayList<>(segments);
        joined.addAll(other.segments);
        return new RelativePath(joined);
    }

    /**
     * Resolves this path under a root directory and checks that the result stays inside it, also when a directory
     * on the way is a symbolic link that points elsewhere.
     *
     * @param root the root directory
     * @return the absolute, normalized location
     * @throws InvalidArgumentException if the location would leave the root
     * @throws UncheckedIOException if the file system cannot be inspected
     */
    public Path resolveUnder(Path root) {
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base;
        for (String s : segments) {
            resolved = resolved.resolve(s);
        }
        resolved = resolved.normalize();
        if (!resolved.startsWith(base)) {
            throw new InvalidArgumentException("path '" + this + "' leaves its root " + root);
        }
        try {
            Path realBase = Files.exists(base) ? base.toRealPath() : base;
            // Walk up to the deepest part that exists; its real location must still be inside the root.
            Path existing = resolved;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && existing.startsWith(base)) {
                if (!Files.exists(existing)) {
                    throw new InvalidArgumentException("path '" + this + "' leads through a dangling link under " + root);
                }
                Path real = existing.toRealPath();
                if (!real.startsWith(realBase)) {
                    throw new InvalidArgumentException("path '" + this + "' leads through a link out of its root " + root);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resolved;
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
