package dev.mlops.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.feedback.FeedbackEntry;
import dev.mlops.llm.feedback.FeedbackStore;
import dev.mlops.llm.feedback.Prediction;
import dev.mlops.llm.feedback.SftFormat;
import dev.mlops.llm.feedback.Source;
import dev.mlops.llm.model.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Datasets: the feedback export's JSON lines read back, de-duplication, and seeded splits without leakage. */
class SftDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsBothShapesTheFeedbackStoreExports() {
        try (FeedbackStore store = FeedbackStore.open(dir.resolve("fb"))) {
            store.recordPrediction(Prediction.of("p1", "qa/1", "Capital of France?", "Lyon"));
            store.recordPrediction(Prediction.of("p2", "qa/1", "2 + 2?", "4"));
            store.log(FeedbackEntry.correction("p1", "Paris", Source.human("ann")));
            store.log(FeedbackEntry.thumbs("p2", true, Source.human("bob")));
            store.exportSupervised(dir.resolve("pc.jsonl"), SftFormat.PROMPT_COMPLETION, 4);
            store.exportSupervised(dir.resolve("chat.jsonl"), SftFormat.CHAT, 4);
        }
        SftDataset pc = SftDataset.readJsonl(dir.resolve("pc.jsonl"));
        SftDataset chat = SftDataset.readJsonl(dir.resolve("chat.jsonl"));
        assertEquals(2, pc.size());
        assertEquals(2, chat.size());
        assertTrue(pc.examples().contains(SftExample.of("Capital of France?", "Paris")), pc.examples().toString());
        assertTrue(chat.examples().contains(SftExample.chat(List.of(ChatMessage.user("2 + 2?"),
                ChatMessage.assistant("4")))), chat.examples().toString());
        assertEquals("pc.jsonl", pc.name());
        for (SftDataset d : List.of(pc, chat)) {
            Path copy = dir.resolve("copy-" + d.name());
            d.writeJsonl(copy);
            assertEquals(d.examples(), SftDataset.readJsonl(copy).examples());
            assertEquals(d.digest(), SftDataset.readJsonl(copy).digest());
        }
        assertEquals(List.of("Paris", "4"), pc.examples().stream().map(SftExample::reference).sorted(
                java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void malformedLinesAreRefusedWithTheirLineNumber() throws IOException {
        assertLine("{\"prompt\": \"a\"}", 2, "completion");
        assertLine("[1, 2]", 2, "JSON object");
        assertLine("{\"prompt\": 1, \"completion\": \"x\"}", 2, "prompt");
        assertLine("{\"messages\": []}", 2, "non-empty array");
        assertLine("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 2, "end with an assistant");
        assertLine("{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}", 2, "robot");
        assertLine("{not json", 2, "not valid JSON");
    }

    private void assertLine(String bad, long line, String expected) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"prompt\": \"ok\", \"completion\": \"fine\", \"extra\": 1}\n" + bad + "\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SftDataset.readJsonl(f));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(String.valueOf(line)),
                e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> splitsAreDisjointSeededAndCoverTheDeduplicatedData() {
        return IntStream.range(0, 200).mapToObj(i -> DynamicTest.dynamicTest("seed " + (900 + i), () -> {
            Random r = new Random(900 + i);
            List<SftExample> list = new ArrayList<>();
            int n = r.nextInt(40);
            for (int k = 0; k < n; k++) {
                list.add(SftExample.of("p" + r.nextInt(15), "c" + r.nextInt(2)));
            }
            SftDataset d = SftDataset.of("d", list);
            double fraction = r.nextInt(10) / 10.0;
            SftDataset.Split s = d.split(fraction, i);
            Set<SftExample> unique = new HashSet<>(list);
            Set<SftExample> train = new HashSet<>(s.train().examples());
            Set<SftExample> val = new HashSet<>(s.validation().examples());
            assertEquals(s.train().size(), train.size(), "no duplicates in train");
            assertEquals(s.validation().size(), val.size(), "no duplicates in validation");
            assertTrue(train.stream().noneMatch(val::contains), "no example on both sides");
            Set<SftExample> union = new HashSet<>(train);
            union.addAll(val);
            assertEquals(unique, union);
            long expected = Math.round(unique.size() * fraction);
            if (fraction > 0 && expected == 0 && unique.size() >= 2) {
                expected = 1;
            }
            assertEquals(expected, val.size());
            SftDataset.Split again = d.split(fraction, i);
            assertEquals(s.train().examples(), again.train().examples(), "the same seed gives the same split");
            assertEquals(s.validation().examples(), again.validation().examples());
        }));
    }

    @Test
    void deduplicationKeepsTheFirstOfEachAndSplitsNameTheirParts() {
        SftDataset d = SftDataset.of("d", List.of(SftExample.of("a", "b"), SftExample.of("c", "d"),
                SftExample.of("a", "b")));
        assertEquals(List.of(SftExample.of("a", "b"), SftExample.of("c", "d")), d.deduplicate().examples());
        SftDataset.Split s = d.split(0.5, 1);
        assertEquals("d#train", s.train().name());
        assertEquals("d#validation", s.validation().name());
        assertNotEquals(s.train().digest(), s.validation().digest());
        assertEquals(64, d.digest().length());
        assertEquals("training", d.ref("training").context());
        assertThrows(InvalidArgumentException.class, () -> d.split(1.0, 1));
        assertThrows(InvalidArgumentException.class, () -> SftExample.of("a", null));
        assertEquals(3, d.toEvalDataset().examples().size());
    }
}
