package dev.mlops.api;

import java.util.Objects;

/**
 * One key of a {@link Frame#sort(SortKey...)}: a column and a direction. Nulls sort last in either direction;
 * NaN sorts above positive infinity.
 *
 * @param column the column name
 * @param ascending true for ascending order
 */
public record SortKey(String column, boolean ascending) {
    /**
     * Validates the key.
     *
     * @throws NullPointerException if the column is null
     */
    public SortKey {
        Objects.requireNonNull(column, "column");
    }

    /**
     * Sorts a column in ascending order.
     *
     * @param column the column name
     * @return the key
     */
    public static SortKey asc(String column) {
        return new SortKey(column, true);
    }

    /**
     * Sorts a column in descending order.
     *
     * @param column the column name
     * @return the key
     */
    public static SortKey desc(String column) {
        return new SortKey(column, false);
    }
}
