package dev.mlops.features.internal;

import dev.mlops.api.InvalidArgumentException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of the names that end up in SQL statements, Redis keys and file names: every name is checked against a
 * whitelist before it is used anywhere, and identifiers are still quoted where they are used.
 */
public final class Names {
    /** Definition names: entities, feature views, feature services, transforms, pipelines. */
    public static final Pattern DEFINITION = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** Column names: join keys, timestamp columns, features, derived and aggregated columns. */
    public static final Pattern COLUMN = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    /** The longest description, owner or tag value accepted. */
    public static final int MAX_TEXT = 5000;
    /** The longest owner accepted. */
    public static final int MAX_OWNER = 256;
    /** The longest tag key accepted. */
    public static final int MAX_TAG_KEY = 250;

    private Names() {
    }

    /**
     * Checks a definition name.
     *
     * @param what what the name names, for the message (for instance "feature view")
     * @param name the name
     * @return the name
     * @throws InvalidArgumentException if the name does not match {@link #DEFINITION}
     */
    public static String definition(String what, String name) {
        if (name == null || !DEFINITION.matcher(name).matches()) {
            throw new InvalidArgumentException(what + " name " + show(name) + " is not allowed: it must start with a "
                    + "lower-case letter, hold only lower-case letters, digits and '_', and be at most 63 characters");
        }
        return name;
    }

    /**
     * Checks a column name.
     *
     * @param what what the column is, for the message (for instance "feature of view 'x'")
     * @param name the name
     * @return the name
     * @throws InvalidArgumentException if the name does not match {@link #COLUMN}
     */
    public static String column(String what, String name) {
        if (name == null || !COLUMN.matcher(name).matches()) {
            throw new InvalidArgumentException(what + " name " + show(name) + " is not allowed: it must start with a "
                    + "letter, hold only letters, digits and '_', and be at most 63 characters");
        }
        return name;
    }

    /**
     * Checks an optional free text (description, owner).
     *
     * @param what the field, for the message
     * @param text the text, or {@code null}
     * @return the text
     * @throws InvalidArgumentException if the text is longer than {@link #MAX_TEXT} or holds a NUL character
     */
    public static String text(String what, String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidArgumentException(what + " is " + text.length() + " characters long, more than " + MAX_TEXT);
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidArgumentException(what + " holds a NUL character at index " + text.indexOf('\0'));
        }
        return text;
    }

    /**
     * Checks an optional owner.
     *
     * @param what whose owner, for the message
     * @param owner the owner, or {@code null}
     * @return the owner
     * @throws InvalidArgumentException if the owner is longer than {@link #MAX_OWNER} or holds a NUL character
     */
    public static String owner(String what, String owner) {
        if (owner != null && owner.length() > MAX_OWNER) {
            throw new InvalidArgumentException("owner of " + what + " is " + owner.length() + " characters long, more "
                    + "than " + MAX_OWNER);
        }
        return text("owner of " + what, owner);
    }

    /**
     * Checks tags and returns an immutable, key-sorted copy.
     *
     * @param what whose tags, for the message
     * @param tags the tags, or {@code null} for none
     * @return an unmodifiable sorted map
     * @throws InvalidArgumentException if a key is empty or too long, or a value is null or too long
     */
    public static Map<String, String> tags(String what, Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        java.util.TreeMap<String, String> copy = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isBlank() || k.length() > MAX_TAG_KEY || k.indexOf('\0') >= 0) {
                throw new InvalidArgumentException("tag key " + show(k) + " of " + what + " must be 1 to " + MAX_TAG_KEY
                        + " characters without NUL");
            }
            if (e.getValue() == null) {
                throw new InvalidArgumentException("tag '" + k + "' of " + what + " has a null value");
            }
            copy.put(k, text("tag '" + k + "' of " + what, e.getValue()));
        }
        return java.util.Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Tracks column names of one table and rejects two that differ only in case (the offline engine treats
     * identifiers case-insensitively).
     */
    public static final class ColumnSet {
        private final String table;
        private final Map<String, String> seen = new HashMap<>();

        /**
         * Creates an empty set.
         *
         * @param table what the columns belong to, for messages
         */
        public ColumnSet(String table) {
            this.table = table;
        }

        /**
         * Adds a column.
         *
         * @param role what the column is, for the message
         * @param name the column name
         * @throws InvalidArgumentException if the name (ignoring case) is already used, naming both uses
         */
        public void add(String role, String name) {
            String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), role + " '" + name + "'");
            if (previous != null) {
                throw new InvalidArgumentException(table + " uses the name '" + name + "' twice: as " + previous
                        + " and as " + role + " (names are compared ignoring case)");
            }
        }
    }

    /**
     * Renders a possibly hostile value for a message: quoted, control characters replaced, long values cut.
     *
     * @param value the value
     * @return a printable rendering
     */
    public static String show(String value) {
        if (value == null) {
            return "null";
        }
        String s = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
