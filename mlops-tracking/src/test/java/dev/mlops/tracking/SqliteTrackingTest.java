package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.UnavailableException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract on the embedded SQLite store, plus what only an embedded store has. */
class SqliteTrackingTest extends TrackingContractTest {
    @Override
    Tracking openStore(Path storeDir) {
        return Tracking.builder().root(storeDir).user("tester").build();
    }

    @Override
    Tracking openSameStore(Path storeDir) {
        return openStore(storeDir);
    }

    @Test
    void storeIsMigratedOnceAndReopens() throws Exception {
        Path store = dir.resolve("store");
        tracking.experiment("kept");
        tracking.close();
        tracking = openStore(store);
        assertEquals("kept", tracking.getExperiment("kept").name());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.resolve("tracking.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM mlops_tracking_schema_history "
                        + "WHERE version IS NOT NULL")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertEquals(1, rs.getInt(2));
        }
    }

    @Test
    void tamperedArtifactFailsItsDigestCheck() throws Exception {
        try (Run run = tracking.experiment("e").startRun("r")) {
            ArtifactInfo info = run.logText("original", "data.txt");
            Path blob;
            try (Stream<Path> files = Files.walk(dir.resolve("store/artifacts/blobs"))) {
                blob = files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(info.sha256().substring(2)))
                        .findFirst().orElseThrow();
            }
            Files.writeString(blob, "tampered");
            IntegrityException e = assertThrows(IntegrityException.class, () -> {
                try (InputStream in = tracking.openArtifact(run.id(), "data.txt")) {
                    in.readAllBytes();
                }
            });
            assertTrue(e.getMessage().contains("data.txt"), e.getMessage());
            assertThrows(IntegrityException.class, () -> tracking.downloadArtifacts(run.id(), "data.txt",
                    dir.resolve("out")));
            assertTrue(!Files.exists(dir.resolve("out/data.txt")), "a file that fails its check is not left behind");
        }
    }

    @Test
    void failPolicyRejectsWhenTheWriterCannotKeepUp() throws Exception {
        Path store = dir.resolve("slow");
        try (Tracking small = Tracking.builder().root(store).queueCapacity(4).backpressure(BackpressurePolicy.FAIL)
                .user("tester").build()) {
            Run run = small.experiment("e").startRun("r");
            // Hold SQLite's write lock from another connection, so the writer waits and the queue fills.
            try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + store.resolve("tracking.db"));
                    Statement s = blocker.createStatement()) {
                s.execute("PRAGMA busy_timeout = 60000");
                s.execute("BEGIN IMMEDIATE");
                UnavailableException e = assertThrows(UnavailableException.class, () -> {
                    for (int i = 0; i < 1000; i++) {
                        run.logMetric("m", i, i);
                    }
                });
                assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
                s.execute("ROLLBACK");
            }
            small.flush();
            run.close();
        }
    }
}
