package dev.mlops.monitoring;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.monitoring.internal.ColumnSketch;
import dev.mlops.monitoring.internal.Comoments;
import dev.mlops.monitoring.internal.ProfileCodec;
import dev.mlops.monitoring.internal.ProfileReport;
import dev.mlops.monitoring.internal.SketchConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The profile of a dataset: one {@link ColumnProfile} per column and, for up to 50 numeric columns, their pairwise
 * Pearson correlations. Built by {@link Profiler#profile(dev.mlops.api.Frame)} or row by row with a
 * {@link ProfileRecorder}; two profiles of shards of one dataset {@link #merge merge} into the profile of their union;
 * a profile round-trips through JSON ({@link #toJson()}, {@link #fromJson(String)}), so drift can be measured
 * against it long after the raw reference rows are gone (see {@link DriftDetector}).
 *
 * <p>{@link #toHtml()} renders the exploratory report: one self-contained HTML file with per-column tables and
 * plots.
 *
 * <p>Immutable and thread-safe.
 */
public final class DatasetProfile {
    private final long rowCount;
    private final List<ColumnProfile> columns;
    private final Map<String, ColumnProfile> byName;
    private final Comoments correlations;
    private final SketchConfig config;

    DatasetProfile(long rowCount, List<ColumnSketch> sketches, Comoments correlations, SketchConfig config) {
        this.rowCount = rowCount;
        List<ColumnProfile> list = new ArrayList<>(sketches.size());
        Map<String, ColumnProfile> map = new LinkedHashMap<>();
        for (ColumnSketch s : sketches) {
            ColumnProfile p = new ColumnProfile(s);
            if (map.putIfAbsent(s.name(), p) != null) {
                throw new InvalidArgumentException("column '" + s.name() + "' appears twice in a profile");
            }
            list.add(p);
        }
        this.columns = List.copyOf(list);
        this.byName = map;
        this.correlations = correlations == null ? null : correlations.copy();
        this.config = config;
    }

    /**
     * Returns the number of rows profiled.
     *
     * @return the row count
     */
    public long rowCount() {
        return rowCount;
    }

    /**
     * Returns the column profiles in column order.
     *
     * @return the columns
     */
    public List<ColumnProfile> columns() {
        return columns;
    }

    /**
     * Returns the column names in order.
     *
     * @return the names
     */
    public List<String> columnNames() {
        return columns.stream().map(ColumnProfile::name).toList();
    }

    /**
     * Returns one column's profile.
     *
     * @param name the column name
     * @return the profile
     * @throws NotFoundException if the profile has no such column, listing the columns it has
     */
    public ColumnProfile column(String name) {
        ColumnProfile p = byName.get(name);
        if (p == null) {
            throw new NotFoundException("the profile has no column '" + name + "'; it has " + columnNames());
        }
        return p;
    }

    /**
     * Tells whether the profile has a column.
     *
     * @param name the column name
     * @return true if present
     */
    public boolean hasColumn(String name) {
        return byName.containsKey(name);
    }

    /**
     * Returns the numeric columns whose correlations were recorded.
     *
     * @return the column names, empty when correlations were off or there were too many numeric columns
     */
    public List<String> correlationColumns() {
        return correlations == null ? List.of() : correlations.columns();
    }

    /**
     * Returns the Pearson correlation of two numeric columns over the rows where both are valid.
     *
     * @param a one column
     * @param b another
     * @return r in [-1, 1]; NaN when undefined (fewer than two such rows, or a constant column)
     * @throws NotFoundException if correlations were not recorded for a column
     */
    public double correlation(String a, String b) {
        List<String> names = correlationColumns();
        int i = names.indexOf(a);
        int j = names.indexOf(b);
        if (i < 0 || j < 0) {
            throw new NotFoundException("no correlations were recorded for column '" + (i < 0 ? a : b)
                    + "'; they were for " + names);
        }
        return correlations.correlation(i, j);
    }

    /**
     * Returns the profile of the union of the rows behind this profile and another: counts add up, moments and
     * correlations combine exactly, sketches merge.
     *
     * @param other a profile of the same columns (names and types, in any order)
     * @return the merged profile
     * @throws InvalidArgumentException if the columns differ, naming the first difference
     */
    public DatasetProfile merge(DatasetProfile other) {
        Objects.requireNonNull(other, "other");
        if (!byName.keySet().equals(other.byName.keySet())) {
            throw new InvalidArgumentException("cannot merge profiles of different columns: " + columnNames() + " vs "
                    + other.columnNames());
        }
        List<ColumnSketch> merged = new ArrayList<>();
        for (ColumnProfile c : columns) {
            ColumnProfile o = other.byName.get(c.name());
            if (o.type() != c.type()) {
                throw new InvalidArgumentException("cannot merge profiles: column '" + c.name() + "' is "
                        + c.type().jsonName() + " in one and " + o.type().jsonName() + " in the other");
            }
            merged.add(c.sketch().merge(o.sketch(), config));
        }
        Comoments corr = null;
        if (correlations != null && other.correlations != null
                && correlations.columns().equals(other.correlations.columns())) {
            corr = correlations.copy();
            corr.merge(other.correlations);
        }
        return new DatasetProfile(rowCount + other.rowCount, merged, corr, config);
    }

    /**
     * Returns the profile as JSON: the counts and moments, and each sketch as Base64 of its Apache DataSketches
     * binary form.
     *
     * @return the JSON text
     */
    public String toJson() {
        return ProfileCodec.write(new ProfileCodec.Decoded(rowCount, sketches(), correlations, config));
    }

    /**
     * Reads a profile written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the profile
     * @throws InvalidArgumentException if the text is not a profile this library can read, naming the bad field
     */
    public static DatasetProfile fromJson(String json) {
        Objects.requireNonNull(json, "json");
        ProfileCodec.Decoded d = ProfileCodec.read(json, "profile JSON");
        return new DatasetProfile(d.rows(), d.columns(), d.correlations(), d.config());
    }

    /**
     * Writes the profile as JSON to a file, atomically (a temporary file moved into place).
     *
     * @param file the file
     * @throws UnavailableException if the file cannot be written
     */
    public void writeJson(Path file) {
        writeText(file, toJson());
    }

    /**
     * Reads a profile from a JSON file.
     *
     * @param file the file
     * @return the profile
     * @throws UnavailableException if the file cannot be read
     * @throws InvalidArgumentException if it does not hold a profile
     */
    public static DatasetProfile readJson(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("cannot read profile file " + file + ": " + e.getMessage(), e);
        }
        ProfileCodec.Decoded d = ProfileCodec.read(text, file.toString());
        return new DatasetProfile(d.rows(), d.columns(), d.correlations(), d.config());
    }

    /**
     * Renders the exploratory report: one self-contained HTML page (no script, no network) with a summary table,
     * missing values per column, a histogram or frequent-values chart and a statistics table per column, and the
     * correlation matrix of the numeric columns.
     *
     * @param title the page title
     * @return the HTML text
     */
    public String toHtml(String title) {
        return ProfileReport.render(title, rowCount, sketches(), correlations);
    }

    /**
     * Writes the exploratory report to a file (see {@link #toHtml(String)}).
     *
     * @param file the HTML file
     * @param title the page title
     * @throws UnavailableException if the file cannot be written
     */
    public void writeHtml(Path file, String title) {
        writeText(file, toHtml(title));
    }

    List<ColumnSketch> sketches() {
        return columns.stream().map(ColumnProfile::sketch).toList();
    }

    static void writeText(Path file, String text) {
        dev.mlops.monitoring.internal.DriftReportRenderer.write(file, text);
    }

    @Override
    public String toString() {
        return "DatasetProfile[" + rowCount + " rows, columns=" + columnNames() + "]";
    }
}
