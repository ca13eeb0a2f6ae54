package dev.mlops.registry;

import dev.mlops.api.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * One message of a chat prompt.
 *
 * @param role who speaks: 1 to 64 letters, digits, {@code _} or {@code -}, for instance {@code system}, {@code user},
 *     {@code assistant}
 * @param content the text, which may hold {@code {{variable}}} placeholders in a template
 */
public record ChatMessage(String role, String content) {
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Validates the message.
     *
     * @throws InvalidArgumentException if the role is malformed or the content is null
     */
    public ChatMessage {
        if (role == null || !ROLE.matcher(role).matches()) {
            throw new InvalidArgumentException("chat message role '" + role
                    + "' must be 1 to 64 letters, digits, '_' or '-'");
        }
        if (content == null) {
            throw new InvalidArgumentException("chat message content must not be null (role '" + role + "')");
        }
    }
}
