package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A per-entity aggregation over a trailing time window, evaluated at every row: for a row of entity {@code k} at
 * time {@code t}, the aggregate over the rows of {@code k} with times in {@code (t - window, t]}.
 *
 * <pre>{@code
 * pipeline.aggregate("patient_id",
 *         Aggregation.mean("mean_radius", Duration.ofDays(30)),            // named mean_radius_mean_30d
 *         Aggregation.count(Duration.ofDays(365)).as("visits_1y"));
 * }</pre>
 *
 * <p>Nulls are ignored, as in SQL; {@link #count(Duration)} counts rows. Sums and means are doubles, counts longs,
 * minimum and maximum keep the column's type. Immutable.
 *
 * @param function what to compute
 * @param column the column aggregated, or null for a row count
 * @param window the trailing window, at least one microsecond
 * @param alias the output column
 */
public record Aggregation(Function function, String column, Duration window, String alias) {
    /** The aggregate functions. */
    public enum Function {
        /** The number of rows, or of non-null values of a column. */
        COUNT,
        /** The sum, as a double. */
        SUM,
        /** The arithmetic mean, as a double. */
        MEAN,
        /** The minimum. */
        MIN,
        /** The maximum. */
        MAX
    }

    /**
     * Validates the aggregation.
     *
     * @throws InvalidArgumentException if the window is shorter than a microsecond, the alias is not allowed, or a
     *     function other than count has no column
     */
    public Aggregation {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.toNanos() < 1000) {
            throw new InvalidArgumentException("aggregation window must be at least one microsecond, but was " + window);
        }
        if (column == null && function != Function.COUNT) {
            throw new InvalidArgumentException(function + " needs a column");
        }
        if (column != null && column.isBlank()) {
            throw new InvalidArgumentException("aggregated column name must not be blank");
        }
        Names.column("aggregation output", alias);
    }

    /**
     * Counts the rows in the window; named {@code count_<window>}.
     *
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation count(Duration window) {
        return new Aggregation(Function.COUNT, null, window, "count_" + label(window));
    }

    /**
     * Counts the non-null values of a column; named {@code <column>_count_<window>}.
     *
     * @param column the column
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation count(String column, Duration window) {
        return of(Function.COUNT, column, window);
    }

    /**
     * Sums a column; named {@code <column>_sum_<window>}.
     *
     * @param column the column
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation sum(String column, Duration window) {
        return of(Function.SUM, column, window);
    }

    /**
     * Averages a column; named {@code <column>_mean_<window>}.
     *
     * @param column the column
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation mean(String column, Duration window) {
        return of(Function.MEAN, column, window);
    }

    /**
     * Takes a column's minimum; named {@code <column>_min_<window>}.
     *
     * @param column the column
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation min(String column, Duration window) {
        return of(Function.MIN, column, window);
    }

    /**
     * Takes a column's maximum; named {@code <column>_max_<window>}.
     *
     * @param column the column
     * @param window the window
     * @return the aggregation
     */
    public static Aggregation max(String column, Duration window) {
        return of(Function.MAX, column, window);
    }

    private static Aggregation of(Function f, String column, Duration window) {
        Objects.requireNonNull(column, "column");
        return new Aggregation(f, column, window, column + "_" + f.name().toLowerCase(Locale.ROOT) + "_"
                + label(Objects.requireNonNull(window, "window")));
    }

    /**
     * Renames the output column.
     *
     * @param name the output column
     * @return the renamed aggregation
     */
    public Aggregation as(String name) {
        return new Aggregation(function, column, window, name);
    }

    /**
     * Returns the window in microseconds.
     *
     * @return the window
     */
    public long windowMicros() {
        try {
            return Math.addExact(Math.multiplyExact(window.getSeconds(), 1_000_000L), window.getNano() / 1000);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static String label(Duration w) {
        long s = w.getSeconds();
        if (w.getNano() != 0) {
            return (s * 1_000_000L + w.getNano() / 1000) + "us";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
