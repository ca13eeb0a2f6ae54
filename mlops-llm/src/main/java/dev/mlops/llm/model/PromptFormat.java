package dev.mlops.llm.model;

import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How prompts and completions become model text, the same way in fine-tuning and in generation. Two kinds:
 *
 * <ul>
 *   <li>a completion template such as {@code "Question: {prompt}\nAnswer:"}, after which the completion follows
 *       directly ({@link #plain()} is {@code "{prompt}"});</li>
 *   <li>a chat format that frames each message with a role prefix and a turn end ({@link #chat()} uses
 *       {@code <|user|>\n ... \n}), the assistant's prefix opening the reply.</li>
 * </ul>
 *
 * <p>{@link #render} splits an example into segments marked trained or not: only completion or assistant text (and
 * the turn end after it) is trained, so the loss never counts prompt tokens. Immutable and thread-safe.
 */
public final class PromptFormat {
    /** The placeholder a completion template must hold once. */
    public static final String PLACEHOLDER = "{prompt}";

    /**
     * A piece of rendered text.
     *
     * @param text the text
     * @param trained whether its tokens count in the loss
     */
    public record Segment(String text, boolean trained) {
        /** Validates the segment. */
        public Segment {
            Objects.requireNonNull(text, "text");
        }
    }

    private final String template;
    private final String systemPrefix;
    private final String userPrefix;
    private final String assistantPrefix;
    private final String turnEnd;

    private PromptFormat(String template, String systemPrefix, String userPrefix, String assistantPrefix,
            String turnEnd) {
        this.template = template;
        this.systemPrefix = systemPrefix;
        this.userPrefix = userPrefix;
        this.assistantPrefix = assistantPrefix;
        this.turnEnd = turnEnd;
    }

    /**
     * Returns the format that uses the prompt as it is.
     *
     * @return the format
     */
    public static PromptFormat plain() {
        return template(PLACEHOLDER);
    }

    /**
     * Returns a completion template.
     *
     * @param template text holding {@value #PLACEHOLDER} exactly once
     * @return the format
     * @throws InvalidArgumentException if the placeholder is missing or repeated
     */
    public static PromptFormat template(String template) {
        Objects.requireNonNull(template, "template");
        int first = template.indexOf(PLACEHOLDER);
        if (first < 0 || template.indexOf(PLACEHOLDER, first + 1) >= 0) {
            throw new InvalidArgumentException("a prompt template must hold " + PLACEHOLDER + " exactly once, but "
                    + "was '" + template + "'");
        }
        return new PromptFormat(template, null, null, null, null);
    }

    /**
     * Returns the default chat format: {@code <|system|>\n}, {@code <|user|>\n} and {@code <|assistant|>\n}
     * prefixes, each turn ending with a newline.
     *
     * @return the format
     */
    public static PromptFormat chat() {
        return chat("<|system|>\n", "<|user|>\n", "<|assistant|>\n", "\n");
    }

    /**
     * Returns a chat format.
     *
     * @param systemPrefix text before a system message
     * @param userPrefix text before a user message
     * @param assistantPrefix text before an assistant message; a chat prompt ends with it
     * @param turnEnd text after every message
     * @return the format
     */
    public static PromptFormat chat(String systemPrefix, String userPrefix, String assistantPrefix, String turnEnd) {
        return new PromptFormat(null, Objects.requireNonNull(systemPrefix, "systemPrefix"),
                Objects.requireNonNull(userPrefix, "userPrefix"),
                Objects.requireNonNull(assistantPrefix, "assistantPrefix"), Objects.requireNonNull(turnEnd, "turnEnd"));
    }

    /**
     * Tells whether this is a chat format.
     *
     * @return true for chat formats
     */
    public boolean isChat() {
        return template == null;
    }

    /**
     * Returns the text that ends a turn in a chat format.
     *
     * @return the turn end, or the empty string for completion templates
     */
    public String turnEnd() {
        return isChat() ? turnEnd : "";
    }

    /**
     * Renders a prompt for generation: the filled template, or a user turn followed by the assistant prefix.
     *
     * @param prompt the prompt
     * @return the model input text
     */
    public String prompt(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (!isChat()) {
            return template.replace(PLACEHOLDER, prompt);
        }
        return userPrefix + prompt + turnEnd + assistantPrefix;
    }

    /**
     * Renders a conversation for generation of the assistant's next reply.
     *
     * @param history the messages so far, not ending with an assistant message
     * @return the model input text
     * @throws InvalidArgumentException if the history is empty, or a completion template gets anything but one user
     *     message
     */
    public String prompt(List<ChatMessage> history) {
        if (history.isEmpty()) {
            throw new InvalidArgumentException("a conversation needs at least one message");
        }
        if (!isChat()) {
            if (history.size() != 1 || !history.get(0).role().equals("user")) {
                throw new InvalidArgumentException("a completion template takes one user message; use a chat format "
                        + "for conversations");
            }
            return prompt(history.get(0).content());
        }
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : history) {
            sb.append(prefix(m.role())).append(m.content()).append(turnEnd);
        }
        return sb.append(assistantPrefix).toString();
    }

    /**
     * Renders a prompt/completion pair for training.
     *
     * @param prompt the prompt
     * @param completion the completion
     * @return segments: the prompt untrained, the completion (and, for chat, the turn end) trained
     */
    public List<Segment> render(String prompt, String completion) {
        Objects.requireNonNull(completion, "completion");
        List<Segment> out = new ArrayList<>();
        out.add(new Segment(prompt(prompt), false));
        out.add(new Segment(completion, true));
        if (isChat() && !turnEnd.isEmpty()) {
            out.add(new Segment(turnEnd, true));
        }
        return out;
    }

    /**
     * Renders a conversation for training: every assistant message (and its turn end) is trained, everything else
     * is not.
     *
     * @param messages the conversation, ending with an assistant message
     * @return the segments
     * @throws InvalidArgumentException if the conversation does not end with an assistant message, or a completion
     *     template gets anything but one user and one assistant message
     */
    public List<Segment> render(List<ChatMessage> messages) {
        if (messages.isEmpty() || !messages.get(messages.size() - 1).role().equals("assistant")) {
            throw new InvalidArgumentException("a training conversation must end with an assistant message");
        }
        if (!isChat()) {
            if (messages.size() != 2 || !messages.get(0).role().equals("user")) {
                throw new InvalidArgumentException("a completion template takes one user and one assistant message, "
                        + "but the conversation has " + messages.size() + " messages; use a chat format");
            }
            return render(messages.get(0).content(), messages.get(1).content());
        }
        List<Segment> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (ChatMessage m : messages) {
            if (m.role().equals("assistant")) {
                pending.append(assistantPrefix);
                out.add(new Segment(pending.toString(), false));
                pending.setLength(0);
                out.add(new Segment(m.content(), true));
                if (!turnEnd.isEmpty()) {
                    out.add(new Segment(turnEnd, true));
                }
            } else {
                pending.append(prefix(m.role())).append(m.content()).append(turnEnd);
            }
        }
        return out;
    }

    private String prefix(String role) {
        return switch (role) {
            case "system" -> systemPrefix;
            case "user" -> userPrefix;
            default -> assistantPrefix;
        };
    }

    /**
     * Describes the format, for parameters logged with a run.
     *
     * @return the template, or the chat markers
     */
    public String describe() {
        return isChat() ? "chat(" + String.join("|", systemPrefix, userPrefix, assistantPrefix, turnEnd)
                .replace("\n", "\\n") + ")" : "template(" + template.replace("\n", "\\n") + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptFormat f && Objects.equals(f.template, template)
                && Objects.equals(f.systemPrefix, systemPrefix) && Objects.equals(f.userPrefix, userPrefix)
                && Objects.equals(f.assistantPrefix, assistantPrefix) && Objects.equals(f.turnEnd, turnEnd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(template, systemPrefix, userPrefix, assistantPrefix, turnEnd);
    }

    @Override
    public String toString() {
        return "PromptFormat[" + describe() + "]";
    }
}
