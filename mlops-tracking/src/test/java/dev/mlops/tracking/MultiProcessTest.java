package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.spi.MetricPoint;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs on one embedded store: concurrent writers, a simultaneous first start, and a kill mid-write. */
class MultiProcessTest {
    @TempDir
    Path dir;

    /** Starts ForkedLogger in a new JVM: mode, then the store root, then the mode's other arguments. */
    private Process fork(Path root, String mode, String... rest) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ForkedLogger.class.getName(), mode,
                root.toString()));
        command.addAll(List.of(rest));
        return new ProcessBuilder(command).redirectError(dir.resolve("fork-" + System.nanoTime() + ".err").toFile())
                .start();
    }

    private static String waitForRunId(BufferedReader out) throws IOException {
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("RUN "), "the forked JVM printed: " + line);
        return line.substring(4);
    }

    @Test
    void twoJvmsWritingAtOnceLoseNothing() throws Exception {
        Path root = dir.resolve("shared");
        int count = 20_000;
        try (Tracking tracking = Tracking.builder().root(root).user("parent").build()) {
            Experiment exp = tracking.experiment("shared");
            Process other = fork(root, "log", "shared", "forked", Integer.toString(count));
            String otherId;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8))) {
                otherId = waitForRunId(out);
                try (Run mine = exp.startRun("parent")) {
                    for (int i = 0; i < count; i++) {
                        mine.logMetric("m", i, i);
                        if (i % 1000 == 999) {
                            tracking.flush();
                        }
                    }
                    mine.close();
                    assertTrue(other.waitFor(120, TimeUnit.SECONDS), "the forked JVM finished");
                    assertEquals(0, other.exitValue());
                    assertEquals(count, tracking.metricHistory(mine.id(), "m").size());
                }
            }
            List<MetricPoint> theirs = tracking.metricHistory(otherId, "m");
            assertEquals(count, theirs.size());
            assertEquals(count - 1.0, theirs.get(count - 1).value());
            assertEquals(RunStatus.FINISHED, tracking.getRun(otherId).status());
            assertEquals(2, exp.searchRuns("", "", 10).size());
        }
    }

    @Test
    void twoJvmsOpeningANewStoreTogetherBothSucceed() throws Exception {
        Path root = dir.resolve("fresh");
        Process a = fork(root, "log", "race", "a", "3000");
        Process b = fork(root, "log", "race", "b", "3000");
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), "first JVM");
        assertEquals(0, b.exitValue(), "second JVM");
        try (Tracking tracking = Tracking.open(root)) {
            List<RunInfo> runs = tracking.getExperiment("race").searchRuns("", "run_name", 10);
            assertEquals(List.of("a", "b"), runs.stream().map(RunInfo::name).toList());
            for (RunInfo r : runs) {
                assertEquals(3000, tracking.metricHistory(r.runId(), "m").size());
            }
        }
    }

    @Test
    void everythingFlushedSurvivesAKillAndTheStoreOpensWithoutRepair() throws Exception {
        Path root = dir.resolve("crash");
        Process p = fork(root, "crash", "crash", "victim");
        long flushed = 0;
        String runId;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            runId = waitForRunId(out);
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("FLUSHED ")) {
                    flushed = Long.parseLong(line.substring(8));
                    if (flushed >= 10_000) {
                        break;
                    }
                }
            }
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush, no close
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(flushed >= 10_000, "the victim flushed " + flushed);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("tracking.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
        try (Tracking tracking = Tracking.open(root)) {
            List<MetricPoint> points = tracking.metricHistory(runId, "m");
            assertTrue(points.size() >= flushed, "kept " + points.size() + " of " + flushed + " flushed values");
            for (int i = 0; i < flushed; i++) {
                assertEquals(i, points.get(i).step(), "step " + i + " is present and in order");
            }
            assertEquals(RunStatus.RUNNING, tracking.getRun(runId).status());
            try (Run after = tracking.resumeRun(runId)) {
                after.logMetric("after", 1.0, 0);
                after.end(RunStatus.KILLED);
            }
            assertEquals(RunStatus.KILLED, tracking.getRun(runId).status());
        }
        assertTrue(new File(root.toFile(), "tracking.db").length() > 0);
    }
}
