package dev.mlops.llm.model;

import dev.mlops.api.InvalidArgumentException;
import java.util.Set;

/**
 * One message of a conversation, as chat fine-tuning data and chat prompts hold them.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {
    /** The roles a message may have. */
    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    /**
     * Validates the message.
     *
     * @throws InvalidArgumentException if the role is unknown or the content null
     */
    public ChatMessage {
        if (role == null || !ROLES.contains(role)) {
            throw new InvalidArgumentException("role must be one of " + ROLES + ", but was '" + role + "'");
        }
        if (content == null) {
            throw new InvalidArgumentException("the content of a " + role + " message must not be null");
        }
    }

    /**
     * Creates a system message.
     *
     * @param content the text
     * @return the message
     */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /**
     * Creates a user message.
     *
     * @param content the text
     * @return the message
     */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /**
     * Creates an assistant message.
     *
     * @param content the text
     * @return the message
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
