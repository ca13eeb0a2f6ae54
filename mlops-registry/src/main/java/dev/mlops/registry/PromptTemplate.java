package dev.mlops.registry;

import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: plain text or a list of chat messages, with {@code {{variable}}} placeholders.
 *
 * <p>A placeholder is {@code {{name}}}, with optional spaces inside the braces, where the name is a letter or
 * {@code _} followed by letters, digits, {@code _} or {@code .}. Other text between double braces (a JSON example,
 * say) is not a placeholder and is kept as written. {@link #render(Map)} replaces every placeholder in one pass, so
 * values that themselves hold {@code {{...}}} are inserted literally and never expanded; a variable that is not given
 * (or is given as {@code null}) is an error naming every missing variable. Variables given but not used are ignored,
 * so one context map can serve several templates. Immutable and thread-safe.
 */
public final class PromptTemplate {
    /** The most characters a template may hold, over all messages. */
    public static final int MAX_LENGTH = 1_000_000;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");

    private final String text;
    private final List<ChatMessage> messages;
    private final Set<String> variables;

    private PromptTemplate(String text, List<ChatMessage> messages) {
        this.text = text;
        this.messages = messages;
        Set<String> vars = new LinkedHashSet<>();
        if (text != null) {
            collect(text, vars);
        } else {
            messages.forEach(m -> collect(m.content(), vars));
        }
        this.variables = Collections.unmodifiableSet(vars);
    }

    /**
     * Makes a text template.
     *
     * @param text the template text
     * @return the template
     * @throws InvalidArgumentException if the text is null, empty or longer than {@value #MAX_LENGTH} characters
     */
    public static PromptTemplate text(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidArgumentException("prompt template text must not be empty");
        }
        checkLength(text.length());
        return new PromptTemplate(text, null);
    }

    /**
     * Makes a chat template.
     *
     * @param messages the messages, in order
     * @return the template
     * @throws InvalidArgumentException if there are no messages or they are longer than {@value #MAX_LENGTH}
     *     characters in all
     */
    public static PromptTemplate chat(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidArgumentException("a chat prompt template needs at least one message");
        }
        List<ChatMessage> copy = List.copyOf(messages);
        checkLength(copy.stream().mapToLong(m -> m.content().length()).sum());
        return new PromptTemplate(null, copy);
    }

    private static void checkLength(long length) {
        if (length > MAX_LENGTH) {
            throw new InvalidArgumentException("prompt template is " + length + " characters long, more than "
                    + MAX_LENGTH);
        }
    }

    private static void collect(String s, Set<String> into) {
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /**
     * Tells whether this is a chat template.
     *
     * @return true for a list of messages, false for text
     */
    public boolean isChat() {
        return messages != null;
    }

    /**
     * Returns the text of a text template.
     *
     * @return the text
     * @throws IllegalStateException for a chat template
     */
    public String text() {
        if (text == null) {
            throw new IllegalStateException("this is a chat template; use messages()");
        }
        return text;
    }

    /**
     * Returns the messages of a chat template, or the text of a text template as one {@code user} message.
     *
     * @return the messages
     */
    public List<ChatMessage> messages() {
        return messages != null ? messages : List.of(new ChatMessage("user", text));
    }

    /**
     * Returns the variables the template uses, in order of first appearance.
     *
     * @return the variable names
     */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Renders a text template.
     *
     * @param values the variables' values; each is turned into text with {@link String#valueOf(Object)}
     * @return the text with every placeholder replaced
     * @throws InvalidArgumentException naming every variable the template uses that {@code values} lacks
     * @throws IllegalStateException for a chat template (use {@link #renderChat(Map)})
     */
    public String render(Map<String, ?> values) {
        if (text == null) {
            throw new IllegalStateException("this is a chat template; use renderChat(values)");
        }
        checkGiven(values);
        return substitute(text, values);
    }

    /**
     * Renders the template as chat messages (a text template gives one {@code user} message).
     *
     * @param values the variables' values
     * @return the messages with every placeholder replaced
     * @throws InvalidArgumentException naming every variable the template uses that {@code values} lacks
     */
    public List<ChatMessage> renderChat(Map<String, ?> values) {
        checkGiven(values);
        List<ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : messages()) {
            out.add(new ChatMessage(m.role(), substitute(m.content(), values)));
        }
        return List.copyOf(out);
    }

    private void checkGiven(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        List<String> missing = new ArrayList<>();
        for (String v : variables) {
            if (values.get(v) == null) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidArgumentException("prompt template needs " + (missing.size() == 1 ? "variable " : "variables ")
                    + missing + " but " + (missing.size() == 1 ? "it was" : "they were") + " not given; given: "
                    + values.keySet());
        }
    }

    private static String substitute(String s, Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder(s.length() + 64);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(values.get(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTemplate p && Objects.equals(p.text, text) && Objects.equals(p.messages, messages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, messages);
    }

    @Override
    public String toString() {
        String shown = text != null ? text : messages.toString();
        return "PromptTemplate[" + (shown.length() > 80 ? shown.substring(0, 77) + "..." : shown) + "]";
    }
}
