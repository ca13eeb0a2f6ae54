package dev.mlops.monitoring.drift;

import dev.mlops.api.NotFoundException;
import dev.mlops.monitoring.internal.DriftReportRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The drift of a dataset: a result per column, and the dataset verdict, which is the share of drifted feature
 * columns against a threshold (Evidently's rule, default 0.5). Columns without enough data for a verdict count
 * neither as drifted nor as tested.
 *
 * <p>Immutable and thread-safe.
 *
 * @param columns the per-column results, in column order
 * @param driftedFeatures the number of feature columns that drifted
 * @param testedFeatures the number of feature columns with a verdict
 * @param driftShare {@code driftedFeatures / testedFeatures}, NaN when none was tested
 * @param shareThreshold the share at or above which the dataset drifted
 * @param verdict {@link Verdict#DRIFT} when the share reaches the threshold, {@link Verdict#INSUFFICIENT_DATA} when
 *     no feature column was tested
 * @param referenceRows rows in the reference
 * @param currentRows rows in the current data
 */
public record DriftReport(List<ColumnDrift> columns, int driftedFeatures, int testedFeatures, double driftShare,
        double shareThreshold, Verdict verdict, long referenceRows, long currentRows) {
    /**
     * Validates the report and copies the list.
     *
     * @throws NullPointerException if a part is null
     */
    public DriftReport {
        columns = List.copyOf(columns);
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * Tells whether the dataset drifted.
     *
     * @return true when the verdict is {@link Verdict#DRIFT}
     */
    public boolean datasetDrift() {
        return verdict == Verdict.DRIFT;
    }

    /**
     * Returns one column's result.
     *
     * @param name the column name
     * @return the result
     * @throws NotFoundException if no column of that name was tested, listing those that were
     */
    public ColumnDrift column(String name) {
        return columns.stream().filter(c -> c.column().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no drift result for column '" + name + "'; results are for "
                        + columns.stream().map(ColumnDrift::column).toList()));
    }

    /**
     * Returns the columns that drifted, of any role.
     *
     * @return the drifted columns
     */
    public List<ColumnDrift> drifted() {
        return columns.stream().filter(ColumnDrift::drifted).toList();
    }

    /**
     * Renders the report as one self-contained HTML page (no script, no network): the dataset verdict, a table of
     * every column's test, statistic, threshold and verdict, and per column the reference and current distributions
     * overlaid in an inline SVG chart.
     *
     * @param title the page title
     * @return the HTML text
     */
    public String toHtml(String title) {
        return DriftReportRenderer.render(title, this);
    }

    /**
     * Writes the HTML report to a file, atomically.
     *
     * @param file the file
     * @param title the page title
     * @throws dev.mlops.api.UnavailableException if the file cannot be written
     */
    public void writeHtml(Path file, String title) {
        DriftReportRenderer.write(file, toHtml(title));
    }
}
