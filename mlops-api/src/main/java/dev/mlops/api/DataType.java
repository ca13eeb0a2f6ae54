package dev.mlops.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * The type of a {@link Frame} column. Each type has one column class and one canonical text form.
 */
public enum DataType {
    /** 64-bit IEEE 754 floating point; NaN and the infinities are values, not nulls. */
    DOUBLE,
    /** 64-bit signed integer. */
    LONG,
    /** true or false. */
    BOOLEAN,
    /** Unicode text. */
    STRING,
    /** An instant on the UTC time line with microsecond precision. */
    TIMESTAMP;

    /**
     * Returns the lower-case name used in JSON documents and messages.
     *
     * @return for instance {@code "double"}
     */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a type name, ignoring case.
     *
     * @param name a type name such as {@code "double"}
     * @return the type
     * @throws InvalidArgumentException if the name is not a type, naming it and the valid names
     */
    @JsonCreator
    public static DataType parse(String name) {
        if (name != null) {
            for (DataType t : values()) {
                if (t.name().equalsIgnoreCase(name.trim())) {
                    return t;
                }
            }
        }
        throw new InvalidArgumentException("unknown data type '" + name + "'; expected one of "
                + Arrays.toString(Arrays.stream(values()).map(DataType::jsonName).toArray()));
    }

    /**
     * Tells whether the type is numeric (DOUBLE or LONG).
     *
     * @return true for DOUBLE and LONG
     */
    public boolean isNumeric() {
        return this == DOUBLE || this == LONG;
    }
}
