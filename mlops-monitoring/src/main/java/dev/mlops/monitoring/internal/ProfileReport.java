package dev.mlops.monitoring.internal;

import static dev.mlops.monitoring.internal.Html.escape;
import static dev.mlops.monitoring.internal.Html.num;

import dev.mlops.api.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a dataset profile as the exploratory HTML report. */
public final class ProfileReport {
    private static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    private ProfileReport() {
    }

    /**
     * Renders the report.
     *
     * @param title the page title
     * @param rows the row count
     * @param columns the column profiles
     * @param correlations the co-moments, or null
     * @return the HTML page
     */
    public static String render(String title, long rows, List<ColumnSketch> columns, Comoments correlations) {
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(num(rows)).append(" rows, ").append(columns.size()).append(" columns.</p>\n");
        b.append("<h2>Columns</h2>\n<table><tr><th>column</th><th>type</th><th>rows</th><th>null</th><th>NaN</th>"
                + "<th>distinct (est.)</th><th>min</th><th>mean</th><th>max</th><th>std</th></tr>\n");
        for (ColumnSketch c : columns) {
            Moments m = c.moments();
            b.append("<tr><td><a href=\"#col-").append(anchor(c)).append("\">").append(escape(c.name()))
                    .append("</a></td><td>").append(c.type().jsonName()).append("</td><td>").append(num(c.count()))
                    .append("</td><td>").append(num(c.nullCount())).append("</td><td>").append(num(c.nanCount()))
                    .append("</td><td>").append(num(Math.round(c.distinct()))).append("</td><td>")
                    .append(num(m.min())).append("</td><td>").append(num(m.mean())).append("</td><td>")
                    .append(num(m.max())).append("</td><td>").append(num(Math.sqrt(m.sampleVariance())))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");

        b.append("<h2>Missing values</h2>\n");
        List<String> names = new ArrayList<>();
        List<Double> missing = new ArrayList<>();
        for (ColumnSketch c : columns) {
            names.add(c.name());
            missing.add(c.count() == 0 ? 0.0 : (double) (c.nullCount() + c.nanCount()) / c.count());
        }
        if (columns.isEmpty()) {
            b.append("<p class=\"note\">No columns.</p>\n");
        } else {
            b.append("<div class=\"chart\" role=\"img\" aria-label=\"missing values per column\">")
                    .append(Charts.bars(names, missing, "share missing (null or NaN)", 0.1)).append("</div>\n");
        }

        if (correlations != null && correlations.columns().size() >= 2) {
            List<String> cn = correlations.columns();
            int n = cn.size();
            double[][] r = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    r[i][j] = correlations.correlation(i, j);
                }
            }
            b.append("<h2>Correlations (Pearson)</h2>\n<div class=\"chart\" role=\"img\" aria-label=\"correlation "
                    + "matrix\">").append(Charts.heatMap(cn, r)).append("</div>\n");
        }

        b.append("<h2>Column details</h2>\n");
        for (ColumnSketch c : columns) {
            b.append("<section class=\"col\" id=\"col-").append(anchor(c)).append("\"><h3>").append(escape(c.name()))
                    .append(" <small>(").append(c.type().jsonName()).append(")</small></h3>\n");
            Moments m = c.moments();
            b.append("<table><tr><th>rows</th><td>").append(num(c.count())).append("</td></tr><tr><th>valid</th><td>")
                    .append(num(c.validCount())).append("</td></tr><tr><th>null</th><td>").append(num(c.nullCount()))
                    .append("</td></tr>");
            if (c.type() == DataType.DOUBLE) {
                b.append("<tr><th>NaN</th><td>").append(num(c.nanCount())).append("</td></tr><tr><th>infinite</th><td>")
                        .append(num(c.infiniteCount())).append("</td></tr>");
            }
            b.append("<tr><th>distinct (est.)</th><td>").append(num(Math.round(c.distinct()))).append("</td></tr>");
            if (c.numeric() && m.n() > 0) {
                Ecdf e = c.ecdf();
                b.append("<tr><th>mean</th><td>").append(num(m.mean())).append("</td></tr><tr><th>std</th><td>")
                        .append(num(Math.sqrt(m.sampleVariance()))).append("</td></tr><tr><th>min</th><td>")
                        .append(num(m.min())).append("</td></tr>");
                for (double q : QUANTILES) {
                    b.append("<tr><th>p").append(Math.round(q * 100)).append("</th><td>").append(num(e.quantile(q)))
                            .append("</td></tr>");
                }
                b.append("<tr><th>max</th><td>").append(num(m.max())).append("</td></tr>");
                if (e.rankError() > 0) {
                    b.append("<tr><th>quantile rank error</th><td>&plusmn;").append(num(e.rankError() * 100))
                            .append("%</td></tr>");
                }
            }
            b.append("</table>\n");
            if (c.numeric() && m.n() > 0) {
                b.append("<div class=\"chart\" role=\"img\" aria-label=\"histogram of ").append(escape(c.name()))
                        .append("\">").append(histogram(c)).append("</div>\n");
            } else if (!c.frequentItems().isEmpty()) {
                List<String> labels = new ArrayList<>();
                List<Long> counts = new ArrayList<>();
                c.frequentItems().stream().limit(20).forEach(i -> {
                    labels.add(i.value());
                    counts.add(i.estimate());
                });
                b.append("<table><tr><th>value</th><th>count</th></tr>");
                for (int i = 0; i < labels.size(); i++) {
                    b.append("<tr><td>").append(escape(labels.get(i))).append("</td><td>").append(num(counts.get(i)))
                            .append("</td></tr>");
                }
                b.append("</table>\n<div class=\"chart\" role=\"img\" aria-label=\"frequent values of ")
                        .append(escape(c.name())).append("\">").append(Charts.bars(labels, counts, "rows"))
                        .append("</div>\n");
            }
            b.append("</section>\n");
        }
        return Html.page(title, b.toString());
    }

    private static String histogram(ColumnSketch c) {
        Map<Double, Long> counts = c.valueCounts();
        List<String> labels = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        if (counts != null && counts.size() <= 30) {
            counts.forEach((k, v) -> {
                labels.add(Html.num(k));
                values.add(v);
            });
        } else {
            Ecdf e = c.ecdf();
            Moments m = c.moments();
            int bins = Math.min(30, DriftMath.sturges(m.n()));
            double[] edges = DriftMath.equalWidthEdges(m.min(), m.max(), bins);
            double[] mass = DriftMath.masses(e, edges);
            for (int i = 0; i < mass.length; i++) {
                double lo = i == 0 ? m.min() : edges[i - 1];
                labels.add(Html.num(lo).replace("&ndash;", "-"));
                values.add(Math.round(mass[i] * m.n()));
            }
        }
        return Charts.bars(labels, values, "rows");
    }

    private static String anchor(ColumnSketch c) {
        return Integer.toHexString(c.name().hashCode()) + "-" + c.name().replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
