package dev.mlops.llm.align;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.InvalidArgumentException;
import java.io.IOException;

/**
 * One preference judgement: a prompt, the completion people preferred and the one they rejected. This is the line
 * shape the feedback store's {@code exportPreferences} writes: {@code {"prompt", "chosen", "rejected"}}.
 *
 * @param prompt the prompt
 * @param chosen the preferred completion
 * @param rejected the other completion, different from the chosen one
 */
public record PreferencePair(String prompt, String chosen, String rejected) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the pair.
     *
     * @throws InvalidArgumentException if a part is null, or the chosen completion equals the rejected one (such a
     *     pair carries no preference), naming the value
     */
    public PreferencePair {
        if (prompt == null || chosen == null || rejected == null) {
            throw new InvalidArgumentException("a preference pair needs a prompt, a chosen and a rejected completion, "
                    + "but got prompt=" + prompt + ", chosen=" + chosen + ", rejected=" + rejected);
        }
        if (chosen.equals(rejected)) {
            throw new InvalidArgumentException("the chosen completion equals the rejected one ('" + abbreviate(chosen)
                    + "') for prompt '" + abbreviate(prompt) + "'; such a pair carries no preference");
        }
    }

    /**
     * Creates a pair.
     *
     * @param prompt the prompt
     * @param chosen the preferred completion
     * @param rejected the other completion
     * @return the pair
     * @throws InvalidArgumentException as the constructor does
     */
    public static PreferencePair of(String prompt, String chosen, String rejected) {
        return new PreferencePair(prompt, chosen, rejected);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /**
     * Returns the pair as one JSON line, in the shape the feedback export writes.
     *
     * @return the JSON text without a newline
     */
    public String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt", prompt);
        o.put("chosen", chosen);
        o.put("rejected", rejected);
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a preference pair as JSON", e);
        }
    }
}
