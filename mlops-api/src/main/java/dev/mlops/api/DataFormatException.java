package dev.mlops.api;

/**
 * Thrown when a document (CSV, JSON lines, a descriptor) cannot be read; names the source, the line and the
 * column at fault.
 */
public class DataFormatException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String column;

    /**
     * Creates the exception.
     *
     * @param source where the document came from (a file name, or a description such as {@code "reader"})
     * @param line the 1-based line at fault, or {@code 0} when unknown
     * @param column the column at fault, or {@code null} when the whole line is at fault
     * @param problem what is wrong, naming the offending text
     */
    public DataFormatException(String source, long line, String column, String problem) {
        this(source, line, column, problem, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param source where the document came from (a file name, or a description such as {@code "reader"})
     * @param line the 1-based line at fault, or {@code 0} when unknown
     * @param column the column at fault, or {@code null} when the whole line is at fault
     * @param problem what is wrong, naming the offending text
     * @param cause the underlying parser failure, or {@code null}
     */
    public DataFormatException(String source, long line, String column, String problem, Throwable cause) {
        super(format(source, line, column, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    private static String format(String source, long line, String column, String problem) {
        StringBuilder sb = new StringBuilder(source == null ? "input" : source);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column != null) {
            sb.append(", column '").append(column).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }

    /**
     * Returns where the document came from.
     *
     * @return the source description
     */
    public String source() {
        return source;
    }

    /**
     * Returns the 1-based line at fault.
     *
     * @return the line, or {@code 0} when unknown
     */
    public long line() {
        return line;
    }

    /**
     * Returns the column at fault.
     *
     * @return the column name, or {@code null} when the whole line is at fault
     */
    public String column() {
        return column;
    }
}
