package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmEvaluationExampleTest {
    @TempDir
    Path dir;

    @Test
    void comparesLogsCapturesFeedbackAndExports() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LlmEvaluationExample.Outcome o = LlmEvaluationExample.run(dir,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        // The candidate answers better on every metric, and the token F1 gain is significant.
        assertTrue(o.comparison().tests().stream().allMatch(t -> t.delta() > 0), o.comparison()::toString);
        assertTrue(o.comparison().test("token_f1").pValue() < 0.05, o.comparison()::toString);
        assertEquals(12, o.comparison().sideBySide().rowCount());
        assertEquals("prompts:/qa-answer/1", o.prompt().uri().toString());
        assertTrue(out.contains("Prompt prompts:/qa-answer/1 (one-sentence answers), variables [question]"), out);
        // Both models' aggregates and the comparison went into the tracked run.
        assertTrue(o.run().metrics().containsKey("candidate/bleu"), o.run().metrics().toString());
        assertTrue(o.run().metrics().containsKey("baseline/rougeL"), o.run().metrics().toString());
        assertTrue(o.run().metrics().containsKey("compare/token_f1/p_value"), o.run().metrics().toString());
        assertEquals(o.comparison().candidate().aggregate("cost/total"), o.run().metrics().get("candidate/cost/total"),
                1e-12);
        // Feedback: stars 5 and 3, one win and one tie, one correction.
        assertEquals(4.0, o.feedback().meanStars(), 1e-12);
        assertEquals(0.75, o.feedback().winRate(), 1e-12);
        assertEquals(1, o.feedback().corrections());
        // One pairwise winner plus one correction; SFT: the corrected answer, the 5-star one and the thumbs-up one.
        assertEquals(2, o.preferencePairs());
        assertEquals(3, o.sftExamples());
        List<String> sft = Files.readAllLines(dir.resolve("exports/sft.jsonl"));
        assertEquals(3, sft.size());
        assertTrue(sft.stream().anyMatch(l -> l.contains("299,792,458")), sft.toString());
        assertTrue(out.contains("Significance"), out);
        assertTrue(out.contains("Exported 2 preference pairs and 3 supervised examples"), out);
    }
}
