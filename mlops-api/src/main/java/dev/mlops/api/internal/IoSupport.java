package dev.mlops.api.internal;

import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** File helpers shared by the codecs: strict UTF-8 reading and atomic replacement on write. */
public final class IoSupport {
    private IoSupport() {
    }

    /**
     * Opens a file as strict UTF-8 text: malformed bytes fail the read instead of turning into replacement
     * characters. A leading byte-order mark is left to the caller.
     */
    public static Reader openReader(Path path) {
        try {
            return new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + path, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a file through a temporary sibling that replaces the target only once everything was written, so a
     * crash mid-write never leaves a truncated file under the target's name.
     */
    public static void writeAtomically(Path path, Consumer<Writer> body) {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8),
                    1 << 16)) {
                body.accept(w);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | UncheckedIOException e) {
            throw new UnavailableException("cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // The temporary file is hidden and harmless; the original failure is what the caller needs.
                }
            }
        }
    }

    /** Strips a leading UTF-8 byte-order mark from the first header cell. */
    public static String stripBom(String s) {
        return s != null && !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
