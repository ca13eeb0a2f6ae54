package dev.mlops.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A reference to a prompt template version: {@code prompts:/<name>/<version>}, {@code prompts:/<name>@<alias>} or
 * {@code prompts:/<name>/latest}, as in MLflow's prompt registry.
 *
 * <p>Prompt names and aliases follow the rules of model names and aliases ({@link ModelUri#checkName},
 * {@link ModelUri#checkAlias}). Immutable and thread-safe; {@link #toString()} gives the canonical text that
 * {@link #parse(String)} reads back.
 */
public final class PromptUri {
    /** The scheme prefix. */
    public static final String PREFIX = "prompts:/";

    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,18}");
    private static final String LATEST = "latest";

    private final String name;
    private final long version;
    private final String alias;

    private PromptUri(String name, long version, String alias) {
        this.name = name;
        this.version = version;
        this.alias = alias;
    }

    /**
     * Refers to a version by number.
     *
     * @param name the prompt's name
     * @param version the version, 1 or more
     * @return the URI
     * @throws InvalidArgumentException if the name or version is invalid
     */
    public static PromptUri ofVersion(String name, long version) {
        if (version < 1) {
            throw new InvalidArgumentException("prompt version must be 1 or more, but was " + version);
        }
        return new PromptUri(checkName(name), version, null);
    }

    /**
     * Refers to whichever version an alias points at.
     *
     * @param name the prompt's name
     * @param alias the alias
     * @return the URI
     * @throws InvalidArgumentException if the name or alias is invalid
     */
    public static PromptUri ofAlias(String name, String alias) {
        return new PromptUri(checkName(name), 0, ModelUri.checkAlias(alias));
    }

    /**
     * Refers to the highest version of a prompt.
     *
     * @param name the prompt's name
     * @return the URI
     * @throws InvalidArgumentException if the name is invalid
     */
    public static PromptUri latest(String name) {
        return new PromptUri(checkName(name), 0, null);
    }

    /**
     * Parses a prompt URI.
     *
     * @param text for instance {@code prompts:/summarize/3} or {@code prompts:/summarize@production}
     * @return the URI
     * @throws InvalidArgumentException if the text is not a prompt URI, naming the text and what is wrong
     */
    public static PromptUri parse(String text) {
        if (text == null) {
            throw new InvalidArgumentException("prompt URI must not be null");
        }
        if (!text.startsWith(PREFIX)) {
            throw bad(text, "it must start with '" + PREFIX + "'");
        }
        String rest = text.substring(PREFIX.length());
        if (rest.startsWith("/")) {
            throw bad(text, "there must be exactly one '/' after 'prompts:'");
        }
        try {
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                String name = rest.substring(0, slash);
                String selector = rest.substring(slash + 1);
                if (selector.equals(LATEST)) {
                    return latest(name);
                }
                if (VERSION.matcher(selector).matches()) {
                    return ofVersion(name, Long.parseLong(selector));
                }
                throw new InvalidArgumentException("'" + selector + "' is not a version number (1 or more) or 'latest'");
            }
            int at = rest.lastIndexOf('@');
            if (at < 0) {
                throw new InvalidArgumentException("a version ('/3'), an alias ('@production') or '/latest' must follow "
                        + "the name");
            }
            return ofAlias(rest.substring(0, at), rest.substring(at + 1));
        } catch (InvalidArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static String checkName(String name) {
        try {
            return ModelUri.checkName(name);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(e.getMessage().replaceFirst("^model name", "prompt name"));
        }
    }

    private static InvalidArgumentException bad(String text, String why) {
        return new InvalidArgumentException("malformed prompt URI '" + text.replaceAll("\\p{Cntrl}", "?") + "': "
                + why);
    }

    /**
     * Returns the prompt's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the version number, for a version URI.
     *
     * @return the version, or empty for alias and latest URIs
     */
    public OptionalLong version() {
        return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
    }

    /**
     * Returns the alias, for an alias URI.
     *
     * @return the alias, or empty for version and latest URIs
     */
    public Optional<String> alias() {
        return Optional.ofNullable(alias);
    }

    /**
     * Tells whether this URI refers to the highest version.
     *
     * @return true for {@code prompts:/<name>/latest}
     */
    public boolean isLatest() {
        return version == 0 && alias == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptUri p && p.name.equals(name) && p.version == version
                && Objects.equals(p.alias, alias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, alias);
    }

    @Override
    public String toString() {
        if (alias != null) {
            return PREFIX + name + "@" + alias;
        }
        return PREFIX + name + "/" + (version > 0 ? Long.toString(version) : LATEST);
    }
}
