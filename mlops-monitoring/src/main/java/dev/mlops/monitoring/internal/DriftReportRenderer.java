package dev.mlops.monitoring.internal;

import static dev.mlops.monitoring.internal.Html.escape;
import static dev.mlops.monitoring.internal.Html.num;

import dev.mlops.api.UnavailableException;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.drift.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Renders a drift report as HTML. */
public final class DriftReportRenderer {
    private DriftReportRenderer() {
    }

    /**
     * Renders the report.
     *
     * @param title the page title
     * @param report the report
     * @return the HTML page
     */
    public static String render(String title, DriftReport report) {
        StringBuilder b = new StringBuilder();
        b.append("<p>Dataset verdict: ").append(verdict(report.verdict())).append(" &mdash; ")
                .append(report.driftedFeatures()).append(" of ").append(report.testedFeatures())
                .append(" tested feature columns drifted (share ").append(num(report.driftShare()))
                .append(", threshold ").append(num(report.shareThreshold())).append("). Reference ")
                .append(num(report.referenceRows())).append(" rows, current ").append(num(report.currentRows()))
                .append(" rows.</p>\n");
        b.append("<h2>Columns</h2>\n<table><tr><th>column</th><th>role</th><th>type</th><th>test</th>"
                + "<th>statistic</th><th>p-value</th><th>effect size</th><th>threshold</th><th>reference n</th>"
                + "<th>current n</th><th>missing (ref / cur)</th><th>sketch error</th><th>verdict</th></tr>\n");
        int i = 0;
        for (ColumnDrift c : report.columns()) {
            b.append("<tr><td><a href=\"#drift-").append(i++).append("\">").append(escape(c.column()))
                    .append("</a></td><td>").append(c.role().name().toLowerCase(java.util.Locale.ROOT))
                    .append("</td><td>").append(c.type().jsonName()).append("</td><td>").append(c.method().id())
                    .append("</td><td>").append(num(c.statistic())).append("</td><td>").append(num(c.pValue()))
                    .append("</td><td>").append(num(c.effectSize())).append("</td><td>").append(num(c.threshold()))
                    .append("</td><td>").append(num(c.referenceSize())).append("</td><td>")
                    .append(num(c.currentSize())).append("</td><td>").append(num(c.referenceMissing())).append(" / ")
                    .append(num(c.currentMissing())).append("</td><td>").append(num(c.statisticError()))
                    .append("</td><td>").append(verdict(c.verdict())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Distributions</h2>\n");
        i = 0;
        for (ColumnDrift c : report.columns()) {
            b.append("<section class=\"col\" id=\"drift-").append(i++).append("\"><h3>").append(escape(c.column()))
                    .append(" &mdash; ").append(verdict(c.verdict())).append("</h3>\n<p>Test: ").append(c.method().id())
                    .append("; statistic ").append(num(c.statistic())).append(", threshold ")
                    .append(num(c.threshold())).append(". ").append(escape(c.detail())).append("</p>\n");
            if (c.shares().labels().isEmpty()) {
                b.append("<p class=\"note\">No distribution to draw: a sample is empty.</p>\n");
            } else {
                b.append("<div class=\"chart\" role=\"img\" aria-label=\"reference and current distribution of ")
                        .append(escape(c.column())).append("\">")
                        .append(Charts.overlaid(c.shares().labels(), c.shares().reference(), c.shares().current()))
                        .append("</div>\n");
            }
            b.append("</section>\n");
        }
        return Html.page(title, b.toString());
    }

    private static String verdict(Verdict v) {
        return switch (v) {
            case DRIFT -> "<span class=\"drift\">drift</span>";
            case NO_DRIFT -> "<span class=\"ok\">no drift</span>";
            case INSUFFICIENT_DATA -> "<span class=\"na\">not enough data</span>";
        };
    }

    /**
     * Writes text to a file atomically.
     *
     * @param file the file
     * @param text the text
     * @throws UnavailableException if the file cannot be written
     */
    public static void write(Path file, String text) {
        Path abs = file.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
