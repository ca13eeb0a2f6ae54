package dev.mlops.llm.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.model.ChatMessage;
import dev.mlops.llm.model.PromptFormat;
import java.io.IOException;
import java.util.List;

/**
 * One supervised fine-tuning example: a prompt with its completion, or a conversation ending with the assistant's
 * reply. These are the two line shapes the feedback store's {@code exportSupervised} writes.
 *
 * @param prompt the prompt, or null for a conversation
 * @param completion the completion, or null for a conversation
 * @param messages the conversation, empty for a prompt/completion pair
 */
public record SftExample(String prompt, String completion, List<ChatMessage> messages) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the example.
     *
     * @throws InvalidArgumentException if it is neither a complete pair nor a conversation ending with an assistant
     *     message
     */
    public SftExample {
        messages = messages == null ? List.of() : List.copyOf(messages);
        if (messages.isEmpty()) {
            if (prompt == null || completion == null) {
                throw new InvalidArgumentException("an example needs a prompt and a completion, or messages");
            }
        } else {
            if (prompt != null || completion != null) {
                throw new InvalidArgumentException("an example has either prompt/completion or messages, not both");
            }
            if (!messages.get(messages.size() - 1).role().equals("assistant")) {
                throw new InvalidArgumentException("a conversation must end with an assistant message, but ends with "
                        + "a " + messages.get(messages.size() - 1).role() + " message");
            }
        }
    }

    /**
     * Creates a prompt/completion pair.
     *
     * @param prompt the prompt
     * @param completion the completion
     * @return the example
     */
    public static SftExample of(String prompt, String completion) {
        return new SftExample(prompt, completion, List.of());
    }

    /**
     * Creates a conversation example.
     *
     * @param messages the messages, ending with an assistant message
     * @return the example
     */
    public static SftExample chat(List<ChatMessage> messages) {
        return new SftExample(null, null, messages);
    }

    /**
     * Tells whether this is a conversation.
     *
     * @return true for messages
     */
    public boolean isChat() {
        return !messages.isEmpty();
    }

    /**
     * Renders the example through a format.
     *
     * @param format the prompt format
     * @return segments, trained or not
     */
    public List<PromptFormat.Segment> render(PromptFormat format) {
        return isChat() ? format.render(messages) : format.render(prompt, completion);
    }

    /**
     * Returns the prompt a generator gets for this example: the prompt, or the user message before the final
     * assistant reply.
     *
     * @return the prompt text
     */
    public String promptText() {
        if (!isChat()) {
            return prompt;
        }
        return messages.size() >= 2 ? messages.get(messages.size() - 2).content() : "";
    }

    /**
     * Returns the expected output: the completion, or the final assistant message.
     *
     * @return the reference text
     */
    public String reference() {
        return isChat() ? messages.get(messages.size() - 1).content() : completion;
    }

    /**
     * Returns the example as one JSON line, in the shape the feedback export writes.
     *
     * @return the JSON text without a newline
     */
    public String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        if (isChat()) {
            ArrayNode a = o.putArray("messages");
            for (ChatMessage m : messages) {
                a.addObject().put("role", m.role()).put("content", m.content());
            }
        } else {
            o.put("prompt", prompt);
            o.put("completion", completion);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an example as JSON", e);
        }
    }
}
