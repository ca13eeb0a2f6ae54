package dev.mlops.llm.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The contract on the embedded SQLite store, plus what only an embedded store has. */
class SqliteFeedbackTest extends FeedbackContractTest {
    @Override
    FeedbackStore.Builder storeBuilder(Path storeDir, String name) {
        return FeedbackStore.builder().root(storeDir);
    }

    @Test
    void storeIsMigratedOnceAndReopens() throws Exception {
        store.log(FeedbackEntry.thumbs("p1", true, Source.human("a")));
        store.close();
        try (FeedbackStore again = FeedbackStore.open(dir.resolve("main"))) {
            assertEquals(1, again.forPrediction("p1", true).size());
        }
        assertTrue(Files.exists(dir.resolve("main/feedback.db")));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("main/feedback.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM mlops_llm_schema_history "
                        + "WHERE version IS NOT NULL")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertEquals(1, rs.getInt(2));
        }
    }
}
