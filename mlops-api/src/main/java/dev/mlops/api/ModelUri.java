package dev.mlops.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A reference to a registered model version: {@code models:/<name>/<version>}, {@code models:/<name>@<alias>} or
 * {@code models:/<name>/latest}, as in MLflow.
 *
 * <p>Model names are 1 to {@value #MAX_NAME_LENGTH} characters without {@code / \ @ % # ?}, control characters or
 * surrounding spaces, and are not {@code .} or {@code ..}. Aliases are 1 to 255 letters, digits, {@code _} or
 * {@code -}; {@code latest} and version-like aliases ({@code v1}, {@code V23}) are reserved. Versions start at 1.
 * Immutable and thread-safe; {@link #toString()} gives the canonical text that {@link #parse(String)} reads back.
 */
public final class ModelUri {
    /** The scheme prefix. */
    public static final String PREFIX = "models:/";
    /** The longest model name accepted. */
    public static final int MAX_NAME_LENGTH = 256;

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v\\d+");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,18}");
    private static final String LATEST = "latest";

    private final String name;
    private final long version;
    private final String alias;

    private ModelUri(String name, long version, String alias) {
        this.name = name;
        this.version = version;
        this.alias = alias;
    }

    /**
     * Refers to a version by number.
     *
     * @param name the registered model's name
     * @param version the version, 1 or more
     * @return the URI
     * @throws InvalidArgumentException if the name or version is invalid
     */
    public static ModelUri ofVersion(String name, long version) {
        if (version < 1) {
            throw new InvalidArgumentException("model version must be 1 or more, but was " + version);
        }
        return new ModelUri(checkName(name), version, null);
    }

    /**
     * Refers to whichever version an alias points at.
     *
     * @param name the registered model's name
     * @param alias the alias
     * @return the URI
     * @throws InvalidArgumentException if the name or alias is invalid
     */
    public static ModelUri ofAlias(String name, String alias) {
        return new ModelUri(checkName(name), 0, checkAlias(alias));
    }

    /**
     * Refers to the highest version of a model.
     *
     * @param name the registered model's name
     * @return the URI
     * @throws InvalidArgumentException if the name is invalid
     */
    public static ModelUri latest(String name) {
        return new ModelUri(checkName(name), 0, null);
    }

    /**
     * Parses a model URI.
     *
     * @param text for instance {@code models:/churn/3} or {@code models:/churn@champion}
     * @return the URI
     * @throws InvalidArgumentException if the text is not a model URI, naming the text and what is wrong
     */
    public static ModelUri parse(String text) {
        if (text == null) {
            throw new InvalidArgumentException("model URI must not be null");
        }
        if (!text.startsWith(PREFIX)) {
            throw bad(text, "it must start with '" + PREFIX + "'");
        }
        String rest = text.substring(PREFIX.length());
        if (rest.startsWith("/")) {
            throw bad(text, "there must be exactly one '/' after 'models:'");
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String name = rest.substring(0, slash);
            String selector = rest.substring(slash + 1);
            if (selector.equals(LATEST)) {
                return latest(parseName(text, name));
            }
            if (VERSION.matcher(selector).matches()) {
                return ofVersion(parseName(text, name), Long.parseLong(selector));
            }
            if (selector.isEmpty()) {
                throw bad(text, "a version number, 'latest' or '@alias' must follow the name");
            }
            if (selector.chars().allMatch(Character::isLetter)) {
                throw bad(text, "stage names such as '" + selector + "' are not supported; use an alias: "
                        + PREFIX + name + "@" + selector.toLowerCase(java.util.Locale.ROOT));
            }
            throw bad(text, "'" + selector + "' is not a version number (1 or more) or 'latest'");
        }
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            throw bad(text, "a version ('/3'), an alias ('@champion') or '/latest' must follow the name");
        }
        String alias = rest.substring(at + 1);
        try {
            return ofAlias(parseName(text, rest.substring(0, at)), alias);
        } catch (InvalidArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static String parseName(String text, String name) {
        try {
            return checkName(name);
        } catch (InvalidArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static InvalidArgumentException bad(String text, String why) {
        return new InvalidArgumentException("malformed model URI '" + text.replaceAll("\\p{Cntrl}", "?") + "': " + why);
    }

    /**
     * Checks a registered model name.
     *
     * @param name the name
     * @return the name, unchanged
     * @throws InvalidArgumentException if the name is empty, too long or holds a forbidden character
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("model name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidArgumentException("model name is " + name.length() + " characters long, more than "
                    + MAX_NAME_LENGTH);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidArgumentException("model name must not be '" + name + "'");
        }
        if (!name.strip().equals(name)) {
            throw new InvalidArgumentException("model name '" + name + "' starts or ends with white space");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ("/\\@%#?".indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw new InvalidArgumentException("model name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' holds the forbidden character '" + (Character.isISOControl(c) ? "?" : String.valueOf(c))
                        + "' at index " + i);
            }
        }
        return name;
    }

    /**
     * Checks an alias.
     *
     * @param alias the alias
     * @return the alias, unchanged
     * @throws InvalidArgumentException if the alias is malformed or reserved
     */
    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new InvalidArgumentException("alias '" + alias
                    + "' must be 1 to 255 letters, digits, '_' or '-'");
        }
        if (RESERVED_ALIAS.matcher(alias).matches()) {
            throw new InvalidArgumentException("alias '" + alias + "' is reserved ('latest' and 'v<number>' are)");
        }
        return alias;
    }

    /**
     * Returns the registered model's name.
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
     * @return true for {@code models:/<name>/latest}
     */
    public boolean isLatest() {
        return version == 0 && alias == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUri m && m.name.equals(name) && m.version == version && Objects.equals(m.alias, alias);
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
