package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.spi.ProgressListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed in the middle of a pipeline run leaves all of the run or none of it. */
class CrashTest {
    static final int ROWS = 400_000;

    @TempDir
    Path dir;

    static final java.time.Instant END = java.time.Instant.parse("2030-01-01T00:00:00Z");

    static Pipeline pipeline(FeatureStore store, Path parquet, int factor) {
        return store.pipeline("load").from(Source.parquet(parquet)).derive("ratio", "amount * " + factor)
                .into("amounts");
    }

    @Test
    void aRunHaltedMidWayIsAllOrNothing() throws Exception {
        Path parquet = dir.resolve("rows.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT range AS id, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, "
                    + "random() AS amount FROM range(" + ROWS + ")) TO '" + parquet + "' (FORMAT parquet)");
        }
        Path root = dir.resolve("store");
        try (FeatureStore store = FeatureStore.builder().root(root).progress(ProgressListener.noop()).build()) {
            store.apply(dev.mlops.features.Entity.builder("thing").joinKey("id", DataType.LONG).build());
            store.apply(FeatureView.builder("amounts").entity("thing").timestampColumn("ts")
                    .feature("amount", DataType.DOUBLE).feature("ratio", DataType.DOUBLE).build());
        }
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ForkedPipelineRun.class.getName(), root.toString(), parquet.toString(), Integer.toString(attempt),
                    Integer.toString(attempt)));
            Process fork = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("fork-" + attempt + ".out").toFile()).start();
            assertTrue(fork.waitFor(180, TimeUnit.SECONDS), "the forked run ended");
            try (FeatureStore store = FeatureStore.builder().root(root).progress(ProgressListener.noop()).build()) {
                Frame rows = store.offlineRows("amounts");
                assertTrue(rows.rowCount() == 0 || rows.rowCount() == ROWS, "a halted run left " + rows.rowCount()
                        + " rows (exit " + fork.exitValue() + ")");
                Set<Long> factors = new HashSet<>();
                for (int r = 0; r < rows.rowCount(); r += 997) {
                    double amount = rows.doubleColumn("amount").getDouble(r);
                    if (amount > 1e-3) {
                        factors.add(Math.round(rows.doubleColumn("ratio").getDouble(r) / amount));
                    }
                }
                assertTrue(factors.size() <= 1, "rows of two runs mixed: " + factors + " (exit " + fork.exitValue()
                        + ")");
                assertEquals(rows.rowCount() == ROWS, pipeline(store, parquet, 1).watermark().isPresent(),
                        "the watermark moved with the rows, and only with them");
            }
        }
        try (FeatureStore store = FeatureStore.builder().root(root).progress(ProgressListener.noop()).build()) {
            pipeline(store, parquet, 9).backfill(null, END);
            assertEquals(ROWS, store.offlineRows("amounts").rowCount(), "a rerun completes it without duplicates");
        }
    }
}
