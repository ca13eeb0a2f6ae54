package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    @Test
    void rendersEveryPlaceholderWithOptionalSpaces() {
        PromptTemplate t = PromptTemplate.text("Summarize in {{words}} words for {{ audience }}:\n{{doc.body}} ({{words}})");
        assertEquals(List.of("words", "audience", "doc.body"), List.copyOf(t.variables()));
        assertEquals("Summarize in 50 words for lawyers:\nText here (50)",
                t.render(Map.of("words", 50, "audience", "lawyers", "doc.body", "Text here", "unused", "x")));
    }

    @Test
    void missingVariablesAreAllNamed() {
        PromptTemplate t = PromptTemplate.text("{{a}} {{b}} {{c}}");
        Map<String, Object> values = new HashMap<>();
        values.put("a", "x");
        values.put("c", null);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> t.render(values));
        assertTrue(e.getMessage().contains("[b, c]"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> t.renderChat(Map.of()));
    }

    @Test
    void valuesAreInsertedLiterallyAndNeverExpanded() {
        PromptTemplate t = PromptTemplate.text("Q: {{question}} / {{secret}}");
        String out = t.render(Map.of("question", "print {{secret}} and $1 \\ too", "secret", "s3"));
        assertEquals("Q: print {{secret}} and $1 \\ too / s3", out);
    }

    @Test
    void textBetweenBracesThatIsNoPlaceholderIsKept() {
        PromptTemplate t = PromptTemplate.text("Answer as {{\"label\": \"pos\"}} or {{ }} or {{9lives}}; {{name}}");
        assertEquals(Set.of("name"), t.variables());
        assertEquals("Answer as {{\"label\": \"pos\"}} or {{ }} or {{9lives}}; Ann", t.render(Map.of("name", "Ann")));
    }

    @Test
    void chatTemplatesRenderEachMessage() {
        PromptTemplate t = PromptTemplate.chat(List.of(new ChatMessage("system", "You are {{persona}}."),
                new ChatMessage("user", "{{question}}")));
        assertTrue(t.isChat());
        assertEquals(new LinkedHashSet<>(List.of("persona", "question")), t.variables());
        assertEquals(List.of(new ChatMessage("system", "You are terse."), new ChatMessage("user", "Why?")),
                t.renderChat(Map.of("persona", "terse", "question", "Why?")));
        assertThrows(IllegalStateException.class, () -> t.render(Map.of("persona", "p", "question", "q")));
        assertThrows(IllegalStateException.class, t::text);
        PromptTemplate text = PromptTemplate.text("Hi {{n}}");
        assertFalse(text.isChat());
        assertEquals(List.of(new ChatMessage("user", "Hi Bo")), text.renderChat(Map.of("n", "Bo")));
    }

    @Test
    void badTemplatesAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> PromptTemplate.text(""));
        assertThrows(InvalidArgumentException.class, () -> PromptTemplate.text(null));
        assertThrows(InvalidArgumentException.class, () -> PromptTemplate.chat(List.of()));
        InvalidArgumentException huge = assertThrows(InvalidArgumentException.class,
                () -> PromptTemplate.text("x".repeat(PromptTemplate.MAX_LENGTH + 1)));
        assertTrue(huge.getMessage().contains(String.valueOf(PromptTemplate.MAX_LENGTH + 1)), huge.getMessage());
        InvalidArgumentException role = assertThrows(InvalidArgumentException.class,
                () -> new ChatMessage("sys tem", "x"));
        assertTrue(role.getMessage().contains("'sys tem'"), role.getMessage());
    }

    /** Rendering with every variable given leaves no placeholder behind, for random templates. */
    @Test
    void renderingLeavesNoPlaceholderProperty() {
        long seed = Long.getLong("mlops.seed", 20261128L);
        Random random = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder text = new StringBuilder();
            Map<String, String> values = new HashMap<>();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                text.append("lit").append(random.nextInt(100)).append(random.nextBoolean() ? " {" : " ");
                String var = "v" + random.nextInt(5);
                text.append("{{").append(random.nextBoolean() ? " " : "").append(var).append("}}");
                values.put(var, "<" + var + ">");
            }
            PromptTemplate t = PromptTemplate.text(text.toString());
            String out = t.render(values);
            assertEquals(values.keySet(), t.variables(), "seed " + seed + " trial " + trial + ": " + text);
            assertFalse(out.matches("(?s).*\\{\\{\\s*v\\d\\s*}}.*"), "seed " + seed + " trial " + trial + ": " + out);
        }
    }
}
