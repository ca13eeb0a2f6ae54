package dev.mlops.features;

import dev.mlops.api.spi.ProgressEvent;
import java.nio.file.Path;
import java.util.Random;

/** Rewrites a view with a pipeline in a JVM of its own and halts that JVM at a random moment of the run. */
final class ForkedPipelineRun {
    private ForkedPipelineRun() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        Path parquet = Path.of(args[1]);
        long delayMillis = new Random(Long.parseLong(args[2])).nextInt(700);
        int factor = Integer.parseInt(args[3]);
        try (FeatureStore store = FeatureStore.builder().root(root).progress(event -> {
            if (event.phase() == ProgressEvent.Phase.STARTED && event.task().startsWith("pipeline")) {
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(3);
                });
                killer.setDaemon(true);
                killer.start();
            }
        }).build()) {
            CrashTest.pipeline(store, parquet, factor).backfill(null, CrashTest.END);
            System.out.println("DONE");
        }
    }
}
