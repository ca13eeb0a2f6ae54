package dev.mlops.llm.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.RecordingMetricSink;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every feedback store must have. Subclasses open the store on one backend; SQLite and PostgreSQL run
 * the same tests.
 */
abstract class FeedbackContractTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    ManualTimeSource clock;
    FeedbackStore store;
    private final List<FeedbackStore> opened = new ArrayList<>();

    /** Opens a fresh, empty store (a second call in one test opens another empty one). */
    abstract FeedbackStore.Builder storeBuilder(Path storeDir, String name);

    FeedbackStore open(String name, boolean requireKnown) {
        FeedbackStore s = storeBuilder(dir.resolve(name), name).clock(clock).requireKnownPredictions(requireKnown)
                .build();
        opened.add(s);
        return s;
    }

    @BeforeEach
    void openStore() {
        clock = new ManualTimeSource(T0);
        store = open("main", false);
        store.recordPrediction(Prediction.of("p1", "qa/1", "Capital of France?", "Lyon").withRequestId("r1")
                .withPromptVersion("prompts:/qa/2"));
        store.recordPrediction(Prediction.of("p2", "qa/2", "Capital of France?", "Paris").withRequestId("r1"));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(FeedbackStore::close);
    }

    @Test
    void predictionsAreRecordedOnceAndConflictsRejected() {
        Prediction p = store.getPrediction("p1");
        assertEquals("qa/1", p.modelVersion());
        assertEquals("r1", p.requestId());
        assertEquals("prompts:/qa/2", p.promptVersion());
        assertEquals(T0, p.createdAt());
        // Recording the same content again is a no-op; other content under the same id is a conflict.
        assertEquals(p, store.recordPrediction(Prediction.of("p1", "qa/1", "Capital of France?", "Lyon")
                .withRequestId("r1").withPromptVersion("prompts:/qa/2")));
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.recordPrediction(Prediction.of("p1", "qa/1", "Capital of France?", "Marseille")));
        assertTrue(e.getMessage().contains("'p1'"), e.getMessage());
        assertThrows(NotFoundException.class, () -> store.getPrediction("nope"));
        assertThrows(InvalidArgumentException.class, () -> Prediction.of(" ", "m", "p", "c"));
    }

    @Test
    void feedbackIsLinkedToThePredictionsModelAndPromptVersions() {
        clock.advance(Duration.ofMinutes(5));
        Feedback f = store.log(FeedbackEntry.stars("p1", 2, Source.human("alice")).withRationale("wrong city"));
        assertEquals(FeedbackKind.STARS, f.kind());
        assertEquals("qa/1", f.modelVersion());
        assertEquals("prompts:/qa/2", f.promptVersion());
        assertEquals("r1", f.requestId());
        assertEquals(2.0, f.rating());
        assertEquals(new Source(SourceType.HUMAN, "alice"), f.source());
        assertEquals("wrong city", f.rationale());
        assertEquals(T0.plus(Duration.ofMinutes(5)), f.createdAt());
        assertTrue(f.valid());
        assertNull(f.overrides());
        assertEquals(f, store.get(f.id()));

        Feedback judged = store.log(FeedbackEntry.pairwise("p1", "p2", Preference.B, Source.llmJudge("gpt-judge"))
                .at(T0.minusSeconds(60)));
        assertEquals("qa/2", judged.otherModelVersion());
        assertEquals(T0.minusSeconds(60), judged.createdAt());
        Feedback code = store.log(FeedbackEntry.thumbs("p2", true, Source.code("unit-check")));
        assertEquals(SourceType.CODE, code.source().type());
        assertEquals(List.of(judged, f), store.forPrediction("p1", false));
        assertThrows(NotFoundException.class, () -> store.get("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void badInputStoresNothing() {
        InvalidArgumentException range = assertThrows(InvalidArgumentException.class,
                () -> store.log(FeedbackEntry.stars("p1", 6, Source.human("a"))));
        assertTrue(range.getMessage().contains("1 to 5") && range.getMessage().contains("6"), range.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> store.log(FeedbackEntry.pairwise("p1", "p1", Preference.A, Source.human("a"))));
        assertThrows(InvalidArgumentException.class, () -> store.log(FeedbackEntry.comment("p1", " ", Source.human("a"))));
        // An unrecorded prediction needs its model version.
        InvalidArgumentException noModel = assertThrows(InvalidArgumentException.class,
                () -> store.log(FeedbackEntry.thumbs("ghost", true, Source.human("a"))));
        assertTrue(noModel.getMessage().contains("'ghost'"), noModel.getMessage());
        // A model version that contradicts the recorded prediction.
        ConflictException clash = assertThrows(ConflictException.class,
                () -> store.log(FeedbackEntry.thumbs("p1", true, Source.human("a")).withModelVersion("qa/9")));
        assertTrue(clash.getMessage().contains("qa/9") && clash.getMessage().contains("qa/1"), clash.getMessage());
        assertEquals(List.of(), store.forPrediction("p1", true));
        assertEquals(List.of(), store.forPrediction("ghost", true));
        // Without the linking requirement, an unrecorded prediction with its model version is accepted.
        Feedback loose = store.log(FeedbackEntry.thumbs("ghost", true, Source.human("a")).withModelVersion("qa/3"));
        assertEquals("qa/3", loose.modelVersion());
    }

    @Test
    void unknownPredictionIsRejectedWhenLinkingIsRequired() {
        FeedbackStore strict = open("strict", true);
        strict.recordPrediction(Prediction.of("p1", "qa/1", "q", "a"));
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> strict.log(FeedbackEntry.thumbs("ghost", true, Source.human("a")).withModelVersion("qa/1")));
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
        assertThrows(NotFoundException.class,
                () -> strict.log(FeedbackEntry.pairwise("p1", "ghost", Preference.A, Source.human("a"))));
        assertEquals(List.of(), strict.forPrediction("p1", true));
        assertTrue(strict.requiresKnownPredictions());
    }

    @Test
    void overridesKeepTheChain() {
        Feedback first = store.log(FeedbackEntry.thumbs("p1", true, Source.llmJudge("judge-v1")));
        clock.advance(Duration.ofHours(1));
        Feedback second = store.override(first.id(), FeedbackEntry.thumbs("p1", false, Source.human("alice"))
                .withRationale("Lyon is not the capital"));
        assertEquals(first.id(), second.overrides());
        assertFalse(store.get(first.id()).valid());
        assertTrue(store.get(second.id()).valid());
        clock.advance(Duration.ofHours(1));
        Feedback third = store.override(second.id(), FeedbackEntry.thumbs("p1", false, Source.human("bob")));

        List<Feedback> chain = store.history(second.id());
        assertEquals(List.of(first.id(), second.id(), third.id()), chain.stream().map(Feedback::id).toList());
        assertEquals(List.of(third.id()), store.forPrediction("p1", false).stream().map(Feedback::id).toList());
        assertEquals(3, store.forPrediction("p1", true).size());
        // Only the latest of a chain can be overridden, by the same kind on the same prediction.
        ConflictException stale = assertThrows(ConflictException.class,
                () -> store.override(first.id(), FeedbackEntry.thumbs("p1", true, Source.human("c"))));
        assertTrue(stale.getMessage().contains(first.id()), stale.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> store.override(third.id(), FeedbackEntry.stars("p1", 3, Source.human("c"))));
        assertThrows(InvalidArgumentException.class,
                () -> store.override(third.id(), FeedbackEntry.thumbs("p2", true, Source.human("c"))));
        assertThrows(NotFoundException.class,
                () -> store.override("0123456789abcdef0123456789abcdef", FeedbackEntry.thumbs("p1", true,
                        Source.human("c"))));
        assertEquals(3, store.history(first.id()).size());
    }

    @Test
    void summariesPerModelVersion() {
        store.recordPrediction(Prediction.of("p3", "qa/2", "Largest planet?", "Jupiter"));
        store.log(FeedbackEntry.stars("p1", 2, Source.human("a")));
        store.log(FeedbackEntry.stars("p1", 3, Source.human("b")));
        Feedback five = store.log(FeedbackEntry.stars("p2", 4, Source.human("a")));
        store.override(five.id(), FeedbackEntry.stars("p2", 5, Source.human("a")));
        store.log(FeedbackEntry.thumbs("p2", true, Source.human("a")));
        store.log(FeedbackEntry.thumbs("p3", false, Source.human("a")));
        store.log(FeedbackEntry.thumbs("p3", true, Source.human("b")));
        store.log(FeedbackEntry.thumbs("p3", true, Source.human("c")));
        // p1 (qa/1) vs p2 (qa/2): qa/2 wins twice, one tie.
        store.log(FeedbackEntry.pairwise("p1", "p2", Preference.B, Source.human("a")));
        store.log(FeedbackEntry.pairwise("p2", "p1", Preference.A, Source.human("b")));
        store.log(FeedbackEntry.pairwise("p1", "p2", Preference.TIE, Source.human("c")));
        // Same-version pairs do not count toward win rates.
        store.log(FeedbackEntry.pairwise("p2", "p3", Preference.A, Source.human("c")));
        store.log(FeedbackEntry.correction("p1", "Paris", Source.human("a")));
        store.log(FeedbackEntry.comment("p1", "confidently wrong", Source.human("a")));

        FeedbackSummary v1 = store.summary("qa/1");
        assertEquals(2, v1.starRatings());
        assertEquals(2.5, v1.meanStars(), 1e-12);
        assertEquals(3, v1.comparisons());
        assertEquals(0, v1.wins());
        assertEquals(2, v1.losses());
        assertEquals(1, v1.ties());
        assertEquals(0.5 / 3, v1.winRate(), 1e-12);
        assertEquals(1, v1.corrections());
        assertEquals(1, v1.comments());
        assertTrue(Double.isNaN(v1.thumbsUpRate()));

        FeedbackSummary v2 = store.summary("qa/2");
        // The overridden 4 no longer counts: only the 5.
        assertEquals(1, v2.starRatings());
        assertEquals(5.0, v2.meanStars(), 1e-12);
        assertEquals(4, v2.thumbRatings());
        assertEquals(0.75, v2.thumbsUpRate(), 1e-12);
        assertEquals(2, v2.wins());
        assertEquals(2.5 / 3, v2.winRate(), 1e-12);

        FeedbackSummary none = store.summary("qa/9");
        assertEquals(0, none.starRatings());
        assertTrue(Double.isNaN(none.winRate()));

        Frame frame = store.summaryFrame(Instant.EPOCH);
        assertEquals(List.of("qa/1", "qa/2"), List.of(frame.stringColumn("model_version").get(0),
                frame.stringColumn("model_version").get(1)));
        assertTrue(frame.doubleColumn("thumbs_up_rate").isNull(0));
        assertEquals(0.75, frame.doubleColumn("thumbs_up_rate").getDouble(1), 1e-12);

        RecordingMetricSink sink = new RecordingMetricSink();
        store.logSummary("qa/2", Instant.EPOCH, sink, 7);
        assertEquals(0.75, sink.last("feedback/thumbs_up_rate"), 1e-12);
        assertEquals(7, sink.history("feedback/win_rate").get(0).step());
        // A time window: nothing was logged after the clock's current time plus a minute.
        assertEquals(0, store.summary("qa/2", T0.plusSeconds(60)).thumbRatings());
    }

    @Test
    void exportsPreferenceAndSupervisedDatasets() throws Exception {
        store.recordPrediction(Prediction.of("p3", "qa/2", "Largest planet?", "Saturn"));
        store.recordPrediction(Prediction.of("p4", "qa/2", "Smallest planet?", "Mercury"));
        store.recordPrediction(Prediction.of("p5", "qa/2", "Hottest planet?", "Mercury"));
        store.log(FeedbackEntry.pairwise("p1", "p2", Preference.B, Source.human("a")));
        clock.advance(Duration.ofSeconds(1));
        store.log(FeedbackEntry.pairwise("p1", "p2", Preference.TIE, Source.human("b")));
        clock.advance(Duration.ofSeconds(1));
        store.log(FeedbackEntry.correction("p3", "Jupiter", Source.human("a")));
        clock.advance(Duration.ofSeconds(1));
        store.log(FeedbackEntry.stars("p4", 5, Source.human("a")));
        store.log(FeedbackEntry.thumbs("p5", true, Source.human("a")));
        store.log(FeedbackEntry.thumbs("p5", false, Source.human("b")));

        StringWriter prefs = new StringWriter();
        assertEquals(2, store.exportPreferences(prefs));
        assertEquals("{\"prompt\":\"Capital of France?\",\"chosen\":\"Paris\",\"rejected\":\"Lyon\"}\n"
                + "{\"prompt\":\"Largest planet?\",\"chosen\":\"Jupiter\",\"rejected\":\"Saturn\"}\n", prefs.toString());

        StringWriter sft = new StringWriter();
        // p3 by its correction, p4 by its five stars; p5 has a thumbs down, so it is left out.
        assertEquals(2, store.exportSupervised(sft, SftFormat.PROMPT_COMPLETION, 4));
        assertEquals("{\"prompt\":\"Largest planet?\",\"completion\":\"Jupiter\"}\n"
                + "{\"prompt\":\"Smallest planet?\",\"completion\":\"Mercury\"}\n", sft.toString());
        Path chat = dir.resolve("out/chat.jsonl");
        assertEquals(2, store.exportSupervised(chat, SftFormat.CHAT, 4));
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":\"Largest planet?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Jupiter\"}]}", Files.readAllLines(chat).get(0));
        assertThrows(InvalidArgumentException.class, () -> store.exportSupervised(sft, SftFormat.CHAT, 6));
    }

    @Test
    void dumpAndImportRoundTrip() {
        Feedback first = store.log(FeedbackEntry.thumbs("p1", true, Source.llmJudge("judge")));
        clock.advance(Duration.ofMinutes(1));
        Feedback second = store.override(first.id(), FeedbackEntry.thumbs("p1", false, Source.human("alice"))
                .withRationale("wrong"));
        store.log(FeedbackEntry.pairwise("p1", "p2", Preference.B, Source.human("bob")));
        StringWriter dump = new StringWriter();
        assertEquals(5, store.exportJsonl(dump));

        FeedbackStore copy = open("copy", true);
        ImportSummary summary = copy.importJsonl(new StringReader(dump.toString()), "dump.jsonl");
        assertEquals(new ImportSummary(2, 3), summary);
        assertEquals(store.forPrediction("p1", true), copy.forPrediction("p1", true));
        assertEquals(store.history(second.id()), copy.history(second.id()));
        assertFalse(copy.get(first.id()).valid());
        assertEquals(store.summary("qa/2"), copy.summary("qa/2"));
        // Importing the same dump again clashes on the feedback ids and stores nothing more.
        assertThrows(ConflictException.class, () -> copy.importJsonl(new StringReader(dump.toString()), "dump"));
        assertEquals(3, copy.forPrediction("p1", true).size());
    }

    @Test
    void malformedImportStoresNothing() {
        String good = "{\"record\":\"prediction\",\"prediction_id\":\"n1\",\"model_version\":\"qa/5\","
                + "\"prompt\":\"q\",\"completion\":\"a\"}\n"
                + "{\"record\":\"feedback\",\"kind\":\"STARS\",\"prediction_id\":\"n1\",\"rating\":4,"
                + "\"source_type\":\"HUMAN\",\"source_id\":\"a\"}\n";
        assertBadLine(good + "{\"record\":\"feedback\", oops\n", 3, null, "not valid JSON");
        assertBadLine(good + "{\"record\":\"feedback\",\"kind\":\"STARS\",\"prediction_id\":\"n1\",\"rating\":7,"
                + "\"source_type\":\"HUMAN\",\"source_id\":\"a\"}\n", 3, null, "1 to 5");
        assertBadLine(good + "{\"record\":\"feedback\",\"kind\":\"STARS\",\"prediction_id\":\"n1\",\"rating\":4,"
                + "\"source_type\":\"ROBOT\",\"source_id\":\"a\"}\n", 3, "source_type", "ROBOT");
        assertBadLine(good + "{\"record\":\"feedback\",\"kind\":\"THUMBS\",\"prediction_id\":\"n1\",\"rating\":1,"
                + "\"source_type\":\"HUMAN\",\"source_id\":\"a\",\"colour\":\"red\"}\n", 3, "colour", "unknown key");
        assertBadLine("\n" + good + "[1, 2]\n", 4, null, "expected a JSON object");
        assertBadLine(good + "{\"record\":\"feedback\",\"kind\":\"THUMBS\",\"prediction_id\":\"n1\",\"rating\":1,"
                + "\"source_type\":\"HUMAN\",\"source_id\":\"a\",\"overrides\":\"0123456789abcdef0123456789abcdef\"}\n",
                3, "overrides", "neither stored nor in the file");
        assertBadLine(good + "{\"record\":\"prediction\",\"prediction_id\":\"n1\",\"model_version\":\"qa/5\","
                + "\"prompt\":\"q\",\"completion\":\"a\"}\n", 3, "prediction_id", "twice");
        // Linking: with recorded predictions required, a feedback line on an unknown prediction is rejected.
        FeedbackStore strict = open("strict-import", true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> strict.importJsonl(new StringReader(
                good + "{\"record\":\"feedback\",\"kind\":\"THUMBS\",\"prediction_id\":\"ghost\",\"rating\":1,"
                + "\"model_version\":\"qa/5\",\"source_type\":\"HUMAN\",\"source_id\":\"a\"}\n"), "in.jsonl"));
        assertEquals(3, e.line());
        assertTrue(strict.findPrediction("n1").isEmpty(), "nothing from a rejected import is stored");
        // The good lines alone import.
        assertEquals(new ImportSummary(1, 1), store.importJsonl(new StringReader(good), "good.jsonl"));
        assertEquals(4.0, store.summary("qa/5").meanStars());
    }

    private void assertBadLine(String jsonl, long line, String column, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> store.importJsonl(new StringReader(jsonl), "in.jsonl"));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(problem) && e.getMessage().startsWith("in.jsonl, line " + line),
                e.getMessage());
        assertTrue(store.findPrediction("n1").isEmpty(), "nothing from a rejected import is stored");
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        store.log(FeedbackEntry.stars(i % 2 == 0 ? "p1" : "p2", 1 + (i + thread) % 5,
                                Source.human("user" + thread)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(60, store.summary("qa/1").starRatings() + store.summary("qa/2").starRatings());
    }
}
