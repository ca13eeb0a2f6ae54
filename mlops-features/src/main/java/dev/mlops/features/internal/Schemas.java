package dev.mlops.features.internal;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks that what a source produces fits what a definition expects, naming both in every message. */
public final class Schemas {
    private Schemas() {
    }

    /**
     * Returns whether a column of one type can fill a field of another: the same type, or a long (or decimal)
     * column for a double field.
     *
     * @param want the field's type
     * @param have the column's type, or null for a type without counterpart
     * @return true if the column fits
     */
    public static boolean fits(DataType want, DataType have) {
        return have == want || (want == DataType.DOUBLE && have == DataType.LONG);
    }

    /**
     * Checks the columns a source produces against the fields a definition needs.
     *
     * @param producer what produces the columns, for instance {@code "pipeline 'p'"}
     * @param consumer what needs them, for instance {@code "feature view 'v'"}
     * @param have the produced columns
     * @param need the needed fields, each with its role (for instance "feature", "join key")
     * @return the produced column name for each needed field, matched ignoring case, in the order of {@code need}
     * @throws InvalidArgumentException if a field is missing or has an unfitting type, naming both sides
     */
    public static Map<Field, String> check(String producer, String consumer, List<OfflineStore.SqlColumn> have,
            Map<Field, String> need) {
        Map<String, OfflineStore.SqlColumn> byName = new LinkedHashMap<>();
        for (OfflineStore.SqlColumn c : have) {
            byName.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c);
        }
        Map<Field, String> matched = new LinkedHashMap<>();
        for (Map.Entry<Field, String> e : need.entrySet()) {
            Field f = e.getKey();
            OfflineStore.SqlColumn c = byName.get(f.name().toLowerCase(Locale.ROOT));
            if (c == null) {
                throw new InvalidArgumentException(producer + " has no column '" + f.name() + "', the " + e.getValue()
                        + " of " + consumer + "; its columns are " + have.stream()
                                .map(OfflineStore.SqlColumn::name).filter(n -> !n.startsWith("__mlops")).toList());
            }
            if (!fits(f.type(), c.dataType())) {
                throw new InvalidArgumentException(producer + " column '" + c.name() + "' is " + c.sqlType()
                        + " but the " + e.getValue() + " '" + f.name() + "' of " + consumer + " is "
                        + f.type().jsonName());
            }
            matched.put(f, c.name());
        }
        return matched;
    }
}
