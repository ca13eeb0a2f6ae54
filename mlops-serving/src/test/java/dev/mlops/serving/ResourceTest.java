package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.registry.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and closing predictors again and again does not grow native memory or threads. */
class ResourceTest {
    @TempDir
    Path dir;

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static void cycle(ModelPackage pkg, int times) {
        for (int i = 0; i < times; i++) {
            try (Predictor p = Predictor.builder().modelPackage(pkg).batching(Batching.defaults()).poolSize(2).build()) {
                for (int k = 0; k < 20; k++) {
                    p.predict(Fixtures.row(k, -k, 1));
                }
            }
        }
    }

    @Test
    void repeatedLoadAndCloseKeepsThreadsAndMemoryFlat() throws Exception {
        ModelPackage onnx = Fixtures.logisticPackage(dir.resolve("onnx"), 1);
        ModelPackage torch = Fixtures.torchScriptPackage(dir.resolve("torch"));
        cycle(onnx, 10);
        cycle(torch, 10);
        System.gc();
        Thread.sleep(200);
        int threadsBefore = Thread.activeCount();
        long rssBefore = rssKiB();
        cycle(onnx, 60);
        cycle(torch, 60);
        System.gc();
        Thread.sleep(500);
        int threadsAfter = Thread.activeCount();
        long rssAfter = rssKiB();
        assertTrue(threadsAfter <= threadsBefore + 2, "threads grew from " + threadsBefore + " to " + threadsAfter);
        assertTrue(rssAfter - rssBefore < 64 * 1024, "resident memory grew by " + (rssAfter - rssBefore) / 1024
                + " MiB over 120 load/close cycles");
    }
}
