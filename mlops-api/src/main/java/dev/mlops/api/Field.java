package dev.mlops.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A named, typed column of a {@link Schema}.
 *
 * @param name the column name: not empty, at most {@value #MAX_NAME_LENGTH} characters, no control characters
 * @param type the column type
 * @param nullable whether the column may hold nulls
 */
public record Field(String name, DataType type, boolean nullable) {
    /** The longest column name accepted. */
    public static final int MAX_NAME_LENGTH = 1024;

    /**
     * Validates the field.
     *
     * @throws InvalidArgumentException if the name is empty, too long or holds control characters
     */
    @JsonCreator
    public Field(@JsonProperty("name") String name, @JsonProperty("type") DataType type,
            @JsonProperty("nullable") boolean nullable) {
        this.name = checkName(name);
        this.type = Objects.requireNonNull(type, () -> "type of column '" + name + "'");
        this.nullable = nullable;
    }

    /**
     * Creates a nullable field.
     *
     * @param name the column name
     * @param type the column type
     * @return the field
     */
    public static Field of(String name, DataType type) {
        return new Field(name, type, true);
    }

    /**
     * Creates a field that must not hold nulls.
     *
     * @param name the column name
     * @param type the column type
     * @return the field
     */
    public static Field required(String name, DataType type) {
        return new Field(name, type, false);
    }

    /**
     * Returns this field under another name.
     *
     * @param newName the new name
     * @return a field with the same type and nullability
     */
    public Field withName(String newName) {
        return new Field(newName, type, nullable);
    }

    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("column name must not be empty, but was " + (name == null ? "null" : "''"));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidArgumentException("column name is " + name.length() + " characters long, more than "
                    + MAX_NAME_LENGTH + ": '" + name.substring(0, 40) + "...'");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidArgumentException("column name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' holds a control character at index " + i);
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return name + ":" + type.jsonName() + (nullable ? "" : " not null");
    }
}
