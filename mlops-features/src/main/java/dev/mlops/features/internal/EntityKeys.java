package dev.mlops.features.internal;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import java.util.List;

/**
 * The text form of an entity key in the online stores: each join key value in turn, a long as {@code l<digits>;}
 * and a string as {@code s<length>:<text>}, so distinct keys never share a form.
 */
public final class EntityKeys {
    /** The longest string join key value accepted. */
    public static final int MAX_STRING_KEY = 4096;

    private EntityKeys() {
    }

    /**
     * Encodes one entity's key.
     *
     * @param keys the join keys
     * @param values one value per join key
     * @param where where the values came from, for messages (called only when a value is bad)
     * @return the encoded key
     * @throws InvalidArgumentException if a value is null, has the wrong type or is too long
     */
    public static String encode(List<Field> keys, Object[] values, java.util.function.Supplier<String> where) {
        if (keys.size() == 1) {
            return part(keys.get(0), values[0], where);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sb.append(part(keys.get(i), values[i], where));
        }
        return sb.toString();
    }

    /**
     * Encodes a single long key.
     *
     * @param value the value
     * @return the encoded key
     */
    public static String ofLong(long value) {
        return "l" + value + ";";
    }

    /**
     * Encodes a single string key.
     *
     * @param value the value
     * @return the encoded key
     */
    public static String ofString(String value) {
        return "s" + value.length() + ":" + value;
    }

    private static String part(Field key, Object v, java.util.function.Supplier<String> where) {
        if (v == null) {
            throw new InvalidArgumentException(where.get() + " has no value for join key '" + key.name() + "'");
        }
        if (key.type() == DataType.LONG) {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ofLong(((Number) v).longValue());
            }
        } else if (v instanceof String s) {
            if (s.length() > MAX_STRING_KEY) {
                throw new InvalidArgumentException(where.get() + " has a value of " + s.length() + " characters for join key '"
                        + key.name() + "', more than " + MAX_STRING_KEY);
            }
            return ofString(s);
        }
        throw new InvalidArgumentException(where.get() + " has " + v.getClass().getSimpleName() + " value '" + v
                + "' for join key '" + key.name() + "', which is " + key.type().jsonName());
    }
}
