package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.api.Frame;
import dev.mlops.monitoring.drift.DriftReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML reports: self-contained, escaped, and rendering with their plots in a real browser. The browser test
 * needs Debian's {@code chromium} package at {@code /usr/bin/chromium} ({@code apt-get install -y chromium}); without
 * it that test is skipped with a message saying so.
 */
class ReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String EVIL = "<script>alert('x')</script>&\"";

    @TempDir
    Path dir;

    private static Frame data(Random rnd, int n, double shift) {
        double[] a = new double[n];
        double[] b = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian() + shift;
            b[i] = a[i] * 2 + rnd.nextGaussian();
            c[i] = rnd.nextDouble() < 0.3 + shift / 4 ? EVIL : "plain";
        }
        return Frame.builder().doubles(EVIL, a).doubles("b", b).strings("c", c).build();
    }

    private static void assertSelfContainedAndEscaped(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("<script"), "no script, and no unescaped user string");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(html).find(), "no network reference");
        assertFalse(html.contains("<link"), "no external stylesheet");
        assertFalse(html.contains("@import"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"), "user strings escaped");
        assertTrue(html.contains("Content-Security-Policy"));
        assertFalse(html.contains("<?xml"), "the SVG prolog is dropped when inlined");
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "element ids are unique across charts");
    }

    @Test
    void profileReportIsSelfContainedWithPlots() {
        DatasetProfile p = Monitoring.profile(data(new Random(1), 500, 0));
        String html = p.toHtml("Profile of " + EVIL);
        assertSelfContainedAndEscaped(html);
        int svgs = html.split("<svg", -1).length - 1;
        assertEquals(1 + 1 + 3, svgs, "missing values, correlations, and one chart per column");
        assertTrue(html.contains("Correlations"));
        assertTrue(html.contains("500 rows, 3 columns"));
    }

    @Test
    void driftReportShowsEveryColumnWithOverlaidDistributions() {
        Random rnd = new Random(2);
        DriftReport r = Monitoring.drift(data(rnd, 2000, 0), data(rnd, 800, 1));
        String html = r.toHtml("Drift of " + EVIL);
        assertSelfContainedAndEscaped(html);
        assertEquals(3, html.split("<svg", -1).length - 1);
        assertTrue(html.contains("wasserstein_normed") && html.contains("jensenshannon"));
        assertTrue(html.contains("class=\"drift\">drift"));
        for (var c : r.columns()) {
            assertTrue(html.contains(dev.mlops.monitoring.internal.Html.num(c.statistic())), c.column());
        }
    }

    @Test
    void reportsOpenInHeadlessChromiumWithTheirPlots() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium is not installed: install Debian's chromium package "
                + "(apt-get install -y chromium) to run this test");
        Random rnd = new Random(3);
        Frame ref = data(rnd, 1500, 0);
        Path drift = dir.resolve("drift.html");
        Monitoring.drift(ref, data(rnd, 600, 1)).writeHtml(drift, "Drift");
        Path profile = dir.resolve("profile.html");
        Monitoring.profile(ref).writeHtml(profile, "Profile");
        for (Path page : List.of(drift, profile)) {
            int expectedSvgs = page == drift ? 3 : 5;
            String dom = chromium(page, "--dump-dom");
            // Chromium parsed the page and built the SVG elements of every chart, with their drawn paths.
            assertEquals(expectedSvgs, Pattern.compile("<svg[ >]").matcher(dom).results().count(), page.toString());
            assertTrue(Pattern.compile("<path[^>]+d=\"M").matcher(dom).results().count() > 20 * expectedSvgs);
            Path png = dir.resolve(page.getFileName() + ".png");
            chromium(page, "--screenshot=" + png, "--window-size=1200,2400");
            byte[] image = Files.readAllBytes(png);
            assertTrue(image.length > 20_000, "a screenshot with charts is not blank: " + image.length + " bytes");
            assertEquals((byte) 0x89, image[0]);
        }
    }

    private String chromium(Path page, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish in 60 s");
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + log());
        return new String(out, StandardCharsets.UTF_8);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("chromium.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
