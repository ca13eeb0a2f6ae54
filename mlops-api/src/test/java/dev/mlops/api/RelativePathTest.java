package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelativePathTest {
    @TempDir
    Path dir;

    @Test
    void parsesSegments() {
        assertEquals(List.of("a", "b c", "d.txt"), RelativePath.of("a/b c/d.txt").segments());
        assertEquals(RelativePath.of("a/b"), RelativePath.of("a/b/"));
        assertTrue(RelativePath.of("").isRoot());
        assertEquals("a/b/c", RelativePath.of("a").resolve(RelativePath.of("b/c")).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "..", ".", "a\\..\\b",
        "%2e%2e/x", "%252e%252e/x", "a%2Fb", "C:/Windows", "c:x", "a/\u0000b", "a\nb", "file:/etc/passwd",
        "x#fragment", "x?query=1", "..\\..\\x"})
    void rejectsHostilePaths(String path) {
        assertThrows(InvalidArgumentException.class, () -> RelativePath.of(path));
    }

    @Test
    void rejectsHugePaths() {
        assertThrows(InvalidArgumentException.class, () -> RelativePath.of("a/".repeat(600)));
    }

    @Test
    void resolvesInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path p = RelativePath.of("x/y.bin").resolveUnder(root);
        assertEquals(root.toAbsolutePath().resolve("x/y.bin"), p);
    }

    @Test
    void rejectsALinkThatLeavesTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> RelativePath.of("escape/secret.txt").resolveUnder(root));
        assertTrue(e.getMessage().contains("link"), e.getMessage());
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));
        assertThrows(InvalidArgumentException.class, () -> RelativePath.of("dangling").resolveUnder(root));
    }

    @Test
    void acceptsALinkThatStaysInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertEquals(root.toAbsolutePath().resolve("alias/f"), RelativePath.of("alias/f").resolveUnder(root));
    }
}
