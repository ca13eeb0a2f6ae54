package dev.mlops.monitoring.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Renders charts with XChart to SVG for inlining into HTML. XChart draws text as glyph outlines, so no user string
 * reaches the SVG markup as text; the XML prolog is dropped and element ids are made unique per chart, so that many
 * charts can share one page.
 */
public final class Charts {
    private static final AtomicLong IDS = new AtomicLong();
    private static final java.util.regex.Pattern DECIMALS = java.util.regex.Pattern.compile("(\\d\\.\\d\\d)\\d+");
    private static final java.awt.Color REFERENCE = new java.awt.Color(66, 133, 244, 170);
    private static final java.awt.Color CURRENT = new java.awt.Color(234, 67, 53, 170);
    private static final java.awt.Color SINGLE = new java.awt.Color(66, 133, 244);

    private Charts() {
    }

    /**
     * Draws a reference and a current distribution as overlapping bars.
     *
     * @param labels the bin or category labels
     * @param reference the reference shares
     * @param current the current shares
     * @return the SVG markup
     */
    public static String overlaid(List<String> labels, List<Double> reference, List<Double> current) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(320).yAxisTitle("share of rows").build();
        style(chart, labels.size());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setSeriesColors(new java.awt.Color[] {REFERENCE, CURRENT});
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<String> x = distinctLabels(labels);
        chart.addSeries("reference", x, reference);
        chart.addSeries("current", x, current);
        return svg(chart);
    }

    /**
     * Draws one series of bars.
     *
     * @param labels the labels
     * @param values the values
     * @param yTitle the y axis title
     * @return the SVG markup
     */
    public static String bars(List<String> labels, List<? extends Number> values, String yTitle) {
        return bars(labels, values, yTitle, Double.NaN);
    }

    /**
     * Draws one series of bars on a y axis that reaches at least a given value.
     *
     * @param labels the labels
     * @param values the values
     * @param yTitle the y axis title
     * @param yMax the least top of the y axis, or NaN to fit the data
     * @return the SVG markup
     */
    public static String bars(List<String> labels, List<? extends Number> values, String yTitle, double yMax) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(300).yAxisTitle(yTitle).build();
        style(chart, labels.size());
        if (!Double.isNaN(yMax)) {
            double top = values.stream().mapToDouble(Number::doubleValue).max().orElse(0);
            chart.getStyler().setYAxisMax(Math.max(yMax, top));
        }
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setSeriesColors(new java.awt.Color[] {SINGLE});
        chart.addSeries("values", distinctLabels(labels), values);
        return svg(chart);
    }

    /**
     * Draws a correlation matrix as a heat map.
     *
     * @param names the column names
     * @param r the correlations, NaN where undefined
     * @return the SVG markup
     */
    public static String heatMap(List<String> names, double[][] r) {
        int n = names.size();
        int size = Math.max(360, Math.min(900, 120 + 28 * n));
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 120).height(size).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(n <= 12);
        chart.getStyler().setMin(-1);
        chart.getStyler().setMax(1);
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(33, 102, 172), java.awt.Color.WHITE,
            new java.awt.Color(178, 24, 43)});
        chart.getStyler().setXAxisLabelRotation(60);
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = r[i][j];
                cells.add(new Number[] {i, j, Double.isNaN(v) ? 0.0 : Math.round(v * 100) / 100.0});
            }
        }
        List<String> labels = distinctLabels(names);
        chart.addSeries("r", labels, labels, cells);
        return svg(chart);
    }

    private static void style(CategoryChart chart, int categories) {
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setXAxisLabelRotation(categories > 6 ? 45 : 0);
        chart.getStyler().setAvailableSpaceFill(0.9);
        chart.getStyler().setYAxisMin(0.0);
        if (categories > 40) {
            chart.getStyler().setXAxisTicksVisible(false);
        }
    }

    /** Category axes need distinct labels; long ones are shortened. */
    private static List<String> distinctLabels(List<String> labels) {
        List<String> out = new ArrayList<>(labels.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String l : labels) {
            String s = l.length() > 24 ? l.substring(0, 23) + "\u2026" : l;
            String unique = s;
            for (int k = 2; !seen.add(unique); k++) {
                unique = s + " #" + k;
            }
            out.add(unique);
        }
        return out;
    }

    private static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        int start = s.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("the chart library wrote no <svg> element");
        }
        String prefix = "c" + IDS.incrementAndGet() + "-";
        // Glyph outlines make up most of the markup; two decimals of a pixel are plenty and halve the size.
        String rounded = DECIMALS.matcher(s.substring(start)).replaceAll("$1");
        return rounded.replace("id=\"", "id=\"" + prefix).replace("url(#", "url(#" + prefix)
                .replace("href=\"#", "href=\"#" + prefix);
    }
}
