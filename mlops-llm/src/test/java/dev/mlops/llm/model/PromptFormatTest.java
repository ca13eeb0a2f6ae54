package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.model.PromptFormat.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prompt templates and chat formats render the same text for training and for generation. */
class PromptFormatTest {
    @Test
    void completionTemplatesTrainOnlyTheCompletion() {
        PromptFormat f = PromptFormat.template("Q: {prompt}\nA:");
        assertEquals("Q: capital?\nA:", f.prompt("capital?"));
        assertEquals(List.of(new Segment("Q: capital?\nA:", false), new Segment(" Paris", true)),
                f.render("capital?", " Paris"));
        assertEquals(f.render("x", "y"), f.render(List.of(ChatMessage.user("x"), ChatMessage.assistant("y"))));
        assertThrows(InvalidArgumentException.class, () -> PromptFormat.template("no placeholder"));
        assertThrows(InvalidArgumentException.class, () -> PromptFormat.template("{prompt}{prompt}"));
        assertThrows(InvalidArgumentException.class, () -> f.render(List.of(ChatMessage.system("s"),
                ChatMessage.user("x"), ChatMessage.assistant("y"))));
        assertEquals("abc", PromptFormat.plain().prompt("abc"));
    }

    @Test
    void chatFormatsTrainEveryAssistantTurnAndItsEnd() {
        PromptFormat f = PromptFormat.chat();
        List<ChatMessage> talk = List.of(ChatMessage.system("be brief"), ChatMessage.user("hi"),
                ChatMessage.assistant("hello"), ChatMessage.user("bye"), ChatMessage.assistant("ciao"));
        assertEquals(List.of(
                new Segment("<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n", false),
                new Segment("hello", true), new Segment("\n", true),
                new Segment("<|user|>\nbye\n<|assistant|>\n", false),
                new Segment("ciao", true), new Segment("\n", true)), f.render(talk));
        assertEquals("<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n", f.prompt(talk.subList(0, 2)));
        assertEquals("<|user|>\nhi\n<|assistant|>\n", f.prompt("hi"));
        StringBuilder joined = new StringBuilder();
        f.render(talk.subList(0, 3)).forEach(s -> joined.append(s.text()));
        assertEquals(f.prompt(talk.subList(0, 2)) + "hello\n", joined.toString(),
                "training text continues the generation prompt");
        assertThrows(InvalidArgumentException.class, () -> f.render(talk.subList(0, 2)));
        assertThrows(InvalidArgumentException.class, () -> f.prompt(List.of()));
        assertEquals(PromptFormat.chat(), PromptFormat.chat("<|system|>\n", "<|user|>\n", "<|assistant|>\n", "\n"));
    }
}
