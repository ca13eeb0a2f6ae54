package dev.mlops.api;

import java.util.Optional;

/**
 * How a {@link Frame} is read from or written to CSV (RFC 4180 with a header row).
 *
 * <p>An empty unquoted field is null and a quoted empty field ({@code ""}) is the empty string, so strings round-trip
 * exactly. Without a schema, column types are inferred from every value: long, then double (which accepts
 * {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code inf} in any case), then boolean ({@code true}/{@code false}
 * in any case), then timestamp (ISO-8601 date, date-time or instant; without an offset it is read as UTC), else
 * string. A column with no values is a string column.
 *
 * <p>Immutable and thread-safe; each {@code with} method returns a new instance.
 */
public final class CsvOptions {
    private static final CsvOptions DEFAULTS = new CsvOptions(',', null, null);

    private final char delimiter;
    private final Schema schema;
    private final String sourceName;

    private CsvOptions(char delimiter, Schema schema, String sourceName) {
        this.delimiter = delimiter;
        this.schema = schema;
        this.sourceName = sourceName;
    }

    /**
     * Returns the defaults: comma-separated, types inferred.
     *
     * @return the default options
     */
    public static CsvOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the field delimiter.
     *
     * @param newDelimiter the delimiter, for instance {@code ';'} or {@code '\t'}
     * @return options with the delimiter
     * @throws InvalidArgumentException if the delimiter is a quote, a line break or a letter or digit
     */
    public CsvOptions withDelimiter(char newDelimiter) {
        if (newDelimiter == '"' || newDelimiter == '\n' || newDelimiter == '\r' || Character.isLetterOrDigit(newDelimiter)) {
            throw new InvalidArgumentException("CSV delimiter must not be a quote, line break, letter or digit, but was '"
                    + newDelimiter + "'");
        }
        return new CsvOptions(newDelimiter, schema, sourceName);
    }

    /**
     * Reads with an explicit schema instead of inferring types. The header must name every field of the schema, in
     * any order, and no other column.
     *
     * @param newSchema the schema
     * @return options with the schema
     */
    public CsvOptions withSchema(Schema newSchema) {
        return new CsvOptions(delimiter, java.util.Objects.requireNonNull(newSchema, "schema"), sourceName);
    }

    /**
     * Sets the name that error messages give the input (file names are used automatically).
     *
     * @param name a short description of the input
     * @return options with the name
     */
    public CsvOptions withSourceName(String name) {
        return new CsvOptions(delimiter, schema, name);
    }

    /**
     * Returns the field delimiter.
     *
     * @return the delimiter
     */
    public char delimiter() {
        return delimiter;
    }

    /**
     * Returns the explicit schema, if one was set.
     *
     * @return the schema, or empty when types are inferred
     */
    public Optional<Schema> schema() {
        return Optional.ofNullable(schema);
    }

    /**
     * Returns the name error messages give the input.
     *
     * @return the source name, or empty for the default
     */
    public Optional<String> sourceName() {
        return Optional.ofNullable(sourceName);
    }
}
