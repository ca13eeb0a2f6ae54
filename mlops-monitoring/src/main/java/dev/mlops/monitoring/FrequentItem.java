package dev.mlops.monitoring;

import java.util.Objects;

/**
 * A frequent value of a string or boolean column, with its estimated count. While a column has fewer distinct values
 * than three quarters of the frequent-items map, counts are exact and both bounds equal the estimate.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the value ({@code "true"} or {@code "false"} for booleans)
 * @param count the estimated count
 * @param lowerBound a lower bound on the true count
 * @param upperBound an upper bound on the true count
 */
public record FrequentItem(String value, long count, long lowerBound, long upperBound) {
    /**
     * Validates the item.
     *
     * @throws NullPointerException if the value is null
     */
    public FrequentItem {
        Objects.requireNonNull(value, "value");
    }
}
