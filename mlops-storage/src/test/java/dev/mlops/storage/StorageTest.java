package dev.mlops.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    @TempDir
    Path dir;

    @Test
    void blobsAreContentAddressedAndStoredOnce() throws Exception {
        BlobStore store = new BlobStore(dir);
        byte[] content = "hello blobs".getBytes(StandardCharsets.UTF_8);
        BlobStore.Blob a = store.put(new ByteArrayInputStream(content));
        BlobStore.Blob b = store.put(new ByteArrayInputStream(content));
        assertEquals(a, b);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), a.sha256());
        assertEquals(content.length, a.size());
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "the same content is stored once");
        }
        try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, files.count(), "no temporary file stays behind");
        }
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(dir.resolve("blobs")));
        try (InputStream in = store.open(a.sha256(), a.size(), "greeting")) {
            assertEquals("hello blobs", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void changedBlobFailsItsCheckAndBadDigestsAreRefused() throws Exception {
        BlobStore store = new BlobStore(dir);
        BlobStore.Blob blob = store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        Path file = store.blobPath(blob.sha256());
        Files.write(file, new byte[] {1, 2, 4});
        IntegrityException e = assertThrows(IntegrityException.class, () -> {
            try (InputStream in = store.open(blob.sha256(), blob.size(), "weights.bin")) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
        assertThrows(IntegrityException.class, () -> store.open("../../etc/passwd", 1, "x"));
        Files.delete(file);
        assertThrows(IntegrityException.class, () -> store.open(blob.sha256(), blob.size(), "gone"));
    }

    @Test
    void databaseRejectsUnknownUrlsAndBadSchemaNames() {
        assertThrows(InvalidArgumentException.class, () -> Database.open("jdbc:mysql://x/y", null, false, 2, null,
                "db", "history"));
        assertThrows(InvalidArgumentException.class, () -> Database.open("jdbc:postgresql://127.0.0.1/test",
                "bad; drop", false, 2, null, "db", "history"));
        assertThrows(InvalidArgumentException.class, () -> Database.open("jdbc:sqlite:" + dir.resolve("x.db"),
                "schema", false, 2, null, "db", "history"), "schemas need PostgreSQL");
    }
}
