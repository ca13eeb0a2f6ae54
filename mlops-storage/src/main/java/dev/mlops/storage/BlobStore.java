package dev.mlops.storage;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Content-addressed file storage: every file is stored once under its SHA-256 ({@code blobs/ab/cdef...}), written
 * through a private temporary file, synced, and moved into place atomically. User-supplied artifact paths never
 * become file-system paths here, so they cannot escape the store. Thread-safe and safe across processes.
 */
public final class BlobStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final Path blobs;
    private final Path tmp;

    /**
     * Opens (and creates) a store under a directory.
     *
     * @param root the store's directory
     */
    public BlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.tmp = this.root.resolve("tmp");
        try {
            createPrivateDirectories(blobs);
            createPrivateDirectories(tmp);
        } catch (IOException e) {
            throw new UnavailableException("cannot create the artifact store under " + root + ": " + e.getMessage(), e);
        }
    }

    /** A stored blob: its digest and size. */
    public record Blob(String sha256, long size) {
    }

    /**
     * Stores a stream's bytes.
     *
     * @param in the content; read to the end, not closed
     * @return the blob's digest and size
     * @throws UnavailableException if the store cannot be written
     */
    public Blob put(InputStream in) {
        Path temp = null;
        try {
            // On POSIX systems a temporary file is created readable by its owner only (0600).
            temp = Files.createTempFile(tmp, "upload-", ".part");
            MessageDigest sha = sha256();
            long size;
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE);
                    DigestInputStream din = new DigestInputStream(in, sha)) {
                size = din.transferTo(out);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path target = blobPath(hex);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.delete(temp); // the same content is stored already
            } else {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(temp); // another writer stored the same content first
                }
            }
            temp = null;
            return new Blob(hex, size);
        } catch (IOException e) {
            throw new UnavailableException("cannot store an artifact under " + root + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    // a private temporary file in tmp/; harmless if it stays
                }
            }
        }
    }

    /**
     * Stores a file.
     *
     * @param file a regular file
     * @return the blob's digest and size
     * @throws NotFoundException if the file does not exist
     */
    public Blob putFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a blob for reading; the stream checks the digest when it reaches the end and throws
     * {@link IntegrityException} if the content changed.
     *
     * @param sha256 the digest
     * @param expectedSize the recorded size
     * @param label how errors name the file
     * @return a verifying stream the caller closes
     */
    public InputStream open(String sha256, long expectedSize, String label) {
        Path p = blobPath(sha256);
        try {
            return new VerifyingStream(Files.newInputStream(p), sha256, expectedSize, label);
        } catch (NoSuchFileException e) {
            throw new IntegrityException("artifact '" + label + "' is missing from the store (blob " + sha256 + ")", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read artifact '" + label + "': " + e.getMessage(), e);
        }
    }

    /**
     * Copies a blob to a file, verifying its digest; the file appears only once complete.
     *
     * @param sha256 the digest
     * @param size the recorded size
     * @param label how errors name the file
     * @param target the destination file
     */
    public void copyTo(String sha256, long size, String label, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path part = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".part");
            try {
                try (InputStream in = open(sha256, size, label); OutputStream out = Files.newOutputStream(part)) {
                    in.transferTo(out);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                part = null;
            } finally {
                if (part != null) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns where a blob lives.
     *
     * @param sha256 the digest
     * @return the blob's file
     * @throws IntegrityException if the text is not a SHA-256 digest
     */
    public Path blobPath(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IntegrityException("'" + sha256 + "' is not a SHA-256 digest");
        }
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the platform's default permissions apply
        }
    }

    /** Hashes what is read and compares digest and size at the end of the stream. */
    private static final class VerifyingStream extends FilterInputStream {
        private final MessageDigest sha = sha256();
        private final String expected;
        private final long expectedSize;
        private final String label;
        private long read;
        private boolean checked;

        VerifyingStream(InputStream in, String expected, long expectedSize, String label) {
            super(in);
            this.expected = expected;
            this.expectedSize = expectedSize;
            this.label = label;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                check();
            } else {
                sha.update((byte) b);
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                check();
            } else {
                sha.update(buf, off, n);
                read += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() {
            if (checked) {
                return;
            }
            checked = true;
            String actual = HexFormat.of().formatHex(sha.digest());
            if (read != expectedSize || !actual.equals(expected)) {
                throw new IntegrityException("artifact '" + label + "' was changed in the store: expected " + expectedSize
                        + " bytes with SHA-256 " + expected + " but read " + read + " bytes with SHA-256 " + actual);
            }
        }
    }
}
