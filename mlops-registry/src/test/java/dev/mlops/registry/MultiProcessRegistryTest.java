package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs registering versions of one model at once get distinct version numbers. */
class MultiProcessRegistryTest {
    @TempDir
    Path dir;

    @Test
    void twoJvmsRegisteringTheSameModelGetDistinctVersions() throws Exception {
        int each = 6;
        List<String> forkedPackages = new ArrayList<>();
        List<ModelPackage> mine = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            forkedPackages.add(ModelPackage.builder().tribuo(Models.logistic(100 + i)).build(dir.resolve("f" + i))
                    .directory().toString());
            mine.add(ModelPackage.builder().tribuo(Models.logistic(200 + i)).build(dir.resolve("m" + i)));
        }
        Path db = dir.resolve("registry.db");
        Path packages = dir.resolve("packages");
        try (Registry registry = Registry.builder().jdbcUrl("jdbc:sqlite:" + db).packageRoot(packages).build()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ForkedRegistrar.class.getName(), db.toString(), packages.toString(), "shared"));
            command.addAll(forkedPackages);
            Process fork = new ProcessBuilder(command).redirectError(dir.resolve("fork.err").toFile()).start();
            Set<Long> versions = new HashSet<>();
            for (ModelPackage p : mine) {
                versions.add(registry.register("shared", p).version());
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(fork.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("VERSION ")) {
                        assertTrue(versions.add(Long.parseLong(line.substring(8))), "duplicate version " + line);
                    }
                }
            }
            assertTrue(fork.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, fork.exitValue());
            assertEquals(2 * each, versions.size());
            assertEquals(2L * each, registry.getModel("shared").latestVersion());
            assertEquals(2 * each, registry.versions("shared").size());
        }
    }
}
