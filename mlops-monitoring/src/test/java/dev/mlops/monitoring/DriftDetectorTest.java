package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.monitoring.drift.Binning;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.ColumnRole;
import dev.mlops.monitoring.drift.DriftMethod;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.drift.Verdict;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DriftDetectorTest {
    private static double[] normal(Random rnd, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * rnd.nextGaussian();
        }
        return v;
    }

    private static String[] categories(Random rnd, int n, String[] values, double[] weights) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            int k = 0;
            while (k < weights.length - 1 && u > weights[k]) {
                u -= weights[k++];
            }
            out[i] = values[k];
        }
        return out;
    }

    private static Frame frame(Random rnd, int n, double shift, double[] catWeights) {
        return Frame.builder()
                .doubles("num", normal(rnd, n, shift, 1))
                .strings("cat", categories(rnd, n, new String[] {"a", "b", "c"}, catWeights))
                .strings("flag", categories(rnd, n, new String[] {"yes", "no"}, new double[] {0.5, 0.5}))
                .longs("few", java.util.stream.IntStream.range(0, n).mapToLong(i -> i % 3).toArray())
                .build();
    }

    @Test
    void smallReferenceGetsHypothesisTestsAsEvidently() {
        Random rnd = new Random(1);
        DriftReport r = Monitoring.drift(frame(rnd, 500, 0, new double[] {0.5, 0.3, 0.2}),
                frame(rnd, 400, 0, new double[] {0.5, 0.3, 0.2}));
        assertEquals(DriftMethod.KOLMOGOROV_SMIRNOV, r.column("num").method());
        assertEquals(DriftMethod.CHI_SQUARE, r.column("cat").method());
        assertEquals(DriftMethod.Z_TEST, r.column("flag").method());
        assertEquals(DriftMethod.CHI_SQUARE, r.column("few").method(), "3 distinct numbers are categories");
        for (ColumnDrift c : r.columns()) {
            assertEquals(0.05, c.threshold());
            assertFalse(Double.isNaN(c.pValue()));
            assertEquals(0.0, c.statisticError());
        }
        assertEquals(500, r.column("num").referenceSize());
        assertEquals(400, r.column("num").currentSize());
    }

    @Test
    void largeReferenceGetsDistancesAsEvidently() {
        Random rnd = new Random(2);
        DriftReport r = Monitoring.drift(frame(rnd, 3000, 0, new double[] {0.5, 0.3, 0.2}),
                frame(rnd, 2000, 0.5, new double[] {0.2, 0.3, 0.5}));
        assertEquals(DriftMethod.WASSERSTEIN_NORMED, r.column("num").method());
        assertEquals(DriftMethod.JENSEN_SHANNON, r.column("cat").method());
        assertEquals(DriftMethod.JENSEN_SHANNON, r.column("flag").method());
        assertEquals(0.1, r.column("num").threshold());
        assertTrue(Double.isNaN(r.column("num").pValue()));
        // A shift by half a standard deviation moves W1 by 0.5 sd.
        assertEquals(0.5, r.column("num").statistic(), 0.08);
        assertEquals(Verdict.DRIFT, r.column("num").verdict());
        assertEquals(Verdict.DRIFT, r.column("cat").verdict());
        assertEquals(Verdict.NO_DRIFT, r.column("flag").verdict());
        assertEquals(Verdict.NO_DRIFT, r.column("few").verdict());
        assertEquals(2, r.driftedFeatures());
        assertEquals(4, r.testedFeatures());
        assertEquals(0.5, r.driftShare());
        assertTrue(r.datasetDrift(), "a share of 0.5 reaches the default threshold 0.5");
        assertEquals(2, r.drifted().size());
    }

    @Test
    void sameDistributionDoesNotDrift() {
        Random rnd = new Random(3);
        DriftReport r = Monitoring.drift(frame(rnd, 5000, 0, new double[] {0.5, 0.3, 0.2}),
                frame(rnd, 5000, 0, new double[] {0.5, 0.3, 0.2}));
        assertEquals(0, r.driftedFeatures(), r.toString());
        assertEquals(Verdict.NO_DRIFT, r.verdict());
        assertTrue(r.column("num").statistic() < 0.05);
    }

    @Test
    void tinyWindowsGetNoVerdictInsteadOfAGuess() {
        Random rnd = new Random(4);
        Frame ref = frame(rnd, 5000, 0, new double[] {0.5, 0.3, 0.2});
        DriftReport r = Monitoring.drift(ref, frame(rnd, 12, 3, new double[] {0, 0, 1}));
        for (ColumnDrift c : r.columns()) {
            assertEquals(Verdict.INSUFFICIENT_DATA, c.verdict(), c.toString());
            assertTrue(c.detail().contains("12 valid values") && c.detail().contains("30"), c.detail());
            assertTrue(Double.isNaN(c.statistic()));
        }
        assertEquals(Verdict.INSUFFICIENT_DATA, r.verdict());
        assertEquals(0, r.testedFeatures());
        assertTrue(Double.isNaN(r.driftShare()));

        DriftReport empty = Monitoring.drift(ref, ref.head(0));
        assertEquals(Verdict.INSUFFICIENT_DATA, empty.column("num").verdict());
        assertEquals(0, empty.column("num").shares().labels().size());

        DriftDetector lenient = DriftDetector.builder().minSampleSize(1).method("num", DriftMethod.KOLMOGOROV_SMIRNOV)
                .build();
        ColumnDrift single = lenient.compare(ref, ref.head(1)).column("num");
        assertEquals(Verdict.INSUFFICIENT_DATA, single.verdict(), "KS needs two values per sample");
        assertTrue(single.detail().contains("fewer than the 2"), single.detail());
    }

    @Test
    void missingValuesAreLeftOutAndCounted() {
        Frame ref = Frame.builder().column("x", DoubleColumn.ofNullable(1.0, 2.0, 3.0, null, Double.NaN, 4.0)).build();
        Frame cur = Frame.builder().column("x", DoubleColumn.ofNullable(1.0, Double.NEGATIVE_INFINITY, 2.0, 3.0, 4.0,
                null, null)).build();
        DriftDetector d = DriftDetector.builder().minSampleSize(1).build();
        ColumnDrift c = d.compare(ref, cur).column("x");
        assertEquals(4, c.referenceSize());
        assertEquals(2, c.referenceMissing());
        assertEquals(4, c.currentSize());
        assertEquals(3, c.currentMissing());
        assertEquals(0.0, c.statistic(), "the valid values are the same");
        assertEquals(1.0, c.pValue(), 1e-12);
        assertEquals(Verdict.NO_DRIFT, c.verdict());
    }

    @Test
    void constantColumns() {
        double[] fives = new double[2000];
        java.util.Arrays.fill(fives, 5.0);
        double[] sixes = new double[2000];
        java.util.Arrays.fill(sixes, 6.0);
        Frame five = Frame.builder().doubles("x", fives).build();
        Frame six = Frame.builder().doubles("x", sixes).build();
        DriftDetector w = DriftDetector.builder().method("x", DriftMethod.WASSERSTEIN_NORMED).build();
        assertEquals(0.0, w.compare(five, five).column("x").statistic());
        // The reference std is 0, so the norm is its floor 0.001: W / 0.001 = 1 / 0.001.
        assertEquals(1000.0, w.compare(five, six).column("x").statistic(), 1e-9);
        assertEquals(Verdict.DRIFT, w.compare(five, six).column("x").verdict());
        ColumnDrift auto = Monitoring.drift(five, six).column("x");
        assertEquals(DriftMethod.JENSEN_SHANNON, auto.method(), "2 distinct values in all: a category");
        assertEquals(Math.sqrt(Math.log(2)), auto.statistic(), 1e-12, "disjoint categories");
        DriftDetector ad = DriftDetector.builder().method("x", DriftMethod.ANDERSON_DARLING).build();
        assertEquals(Verdict.NO_DRIFT, ad.compare(five, five).column("x").verdict());
    }

    @Test
    void psiWithReferenceQuantileBinsByHand() {
        double[] ref = new double[100];
        double[] cur = new double[100];
        for (int i = 0; i < 100; i++) {
            ref[i] = i;
            cur[i] = i % 50;
        }
        DriftDetector d = DriftDetector.builder().method("x", DriftMethod.PSI)
                .binning("x", Binning.referenceQuantiles(2)).build();
        ColumnDrift c = d.compare(Frame.builder().doubles("x", ref).build(), Frame.builder().doubles("x", cur).build())
                .column("x");
        // The reference median (smallest value with rank >= 0.5) is 49: bins (-inf, 49) and [49, +inf).
        // Reference shares 0.49 / 0.51; current (0..49 twice) 0.98 / 0.02.
        double expected = (0.98 - 0.49) * Math.log(0.98 / 0.49) + (0.02 - 0.51) * Math.log(0.02 / 0.51);
        assertEquals(expected, c.statistic(), 1e-12);
        assertEquals(Verdict.DRIFT, c.verdict());
        assertEquals(2, c.shares().labels().size());
        assertEquals(0.49, c.shares().reference().get(0), 1e-15);
        assertEquals(0.98, c.shares().current().get(0), 1e-15);
    }

    @Test
    void overridesPerColumnTypeAndMethod() {
        Random rnd = new Random(5);
        Frame ref = frame(rnd, 3000, 0, new double[] {0.5, 0.3, 0.2});
        Frame cur = frame(rnd, 3000, 0.05, new double[] {0.5, 0.3, 0.2});
        DriftDetector d = DriftDetector.builder()
                .method("num", DriftMethod.KOLMOGOROV_SMIRNOV).threshold("num", 0.2)
                .method(DataType.STRING, DriftMethod.HELLINGER)
                .threshold(DriftMethod.HELLINGER, 0.3)
                .threshold(DriftMethod.JENSEN_SHANNON, 0.25)
                .ignore("few")
                .build();
        DriftReport r = d.compare(ref, cur);
        assertEquals(DriftMethod.KOLMOGOROV_SMIRNOV, r.column("num").method());
        assertEquals(0.2, r.column("num").threshold());
        assertEquals(DriftMethod.HELLINGER, r.column("cat").method());
        assertEquals(0.3, r.column("cat").threshold());
        assertEquals(DriftMethod.HELLINGER, r.column("flag").method());
        assertThrows(NotFoundException.class, () -> r.column("few"));
        DriftReport auto = DriftDetector.builder().threshold(DriftMethod.JENSEN_SHANNON, 0.25).build().compare(ref, cur);
        assertEquals(0.25, auto.column("cat").threshold(), "a method threshold applies to the automatic choice");
        DriftReport only = DriftDetector.builder().columns("cat").build().compare(ref, cur);
        assertEquals(1, only.columns().size());
    }

    @Test
    void predictionAndTargetDriftUseTheSameMachineryButNotTheDatasetShare() {
        Random rnd = new Random(6);
        Frame ref = Frame.builder().doubles("f", normal(rnd, 2000, 0, 1)).doubles("score", normal(rnd, 2000, 0, 1))
                .strings("label", categories(rnd, 2000, new String[] {"x", "y"}, new double[] {0.5, 0.5})).build();
        Frame cur = Frame.builder().doubles("f", normal(rnd, 2000, 0, 1)).doubles("score", normal(rnd, 2000, 2, 1))
                .strings("label", categories(rnd, 2000, new String[] {"x", "y"}, new double[] {0.9, 0.1})).build();
        DriftReport r = DriftDetector.builder().prediction("score").target("label").build().compare(ref, cur);
        assertEquals(ColumnRole.PREDICTION, r.column("score").role());
        assertEquals(ColumnRole.TARGET, r.column("label").role());
        assertTrue(r.column("score").drifted());
        assertTrue(r.column("label").drifted());
        assertEquals(1, r.testedFeatures());
        assertEquals(0, r.driftedFeatures());
        assertFalse(r.datasetDrift());
    }

    @Test
    void effectSizesAreReported() {
        Random rnd = new Random(8);
        Frame ref = frame(rnd, 800, 0, new double[] {0.5, 0.3, 0.2});
        Frame cur = frame(rnd, 800, 1, new double[] {0.2, 0.3, 0.5});
        DriftReport r = Monitoring.drift(ref, cur);
        assertEquals(r.column("num").statistic(), r.column("num").effectSize(), "KS effect size is D");
        assertTrue(r.column("cat").effectSize() > 0.2 && r.column("cat").effectSize() <= 1, "Cramér's V");
        assertTrue(r.column("flag").effectSize() < 0.2, "Cohen's h of two equal shares is small");
    }

    @Test
    void badConfigurationAndInputFailWithClearMessages() {
        Random rnd = new Random(9);
        Frame ref = frame(rnd, 100, 0, new double[] {0.5, 0.3, 0.2});
        assertMessage(() -> DriftDetector.builder().method("num", DriftMethod.PSI).method("num", DriftMethod.PSI),
                "method of column 'num' was already set");
        assertMessage(() -> DriftDetector.builder().threshold("num", -1), "-1");
        assertMessage(() -> DriftDetector.builder().driftShare(0), "driftShare");
        assertMessage(() -> DriftDetector.builder().minSampleSize(0), "minSampleSize");
        assertMessage(() -> DriftDetector.builder().method(DataType.STRING, DriftMethod.KOLMOGOROV_SMIRNOV), "string");
        assertMessage(() -> DriftDetector.builder().method("num", DriftMethod.WASSERSTEIN).build(), "threshold");
        assertMessage(() -> DriftDetector.builder().method("cat", DriftMethod.WASSERSTEIN_NORMED).build()
                .compare(ref, ref), "'cat'");
        assertMessage(() -> DriftDetector.builder().method("cat", DriftMethod.Z_TEST).build().compare(ref, ref),
                "at most 2 values");
        assertMessage(() -> DriftDetector.builder().method("nope", DriftMethod.PSI).build().compare(ref, ref), "'nope'");
        assertMessage(() -> Monitoring.drift(ref, ref.drop("cat")), "lack column 'cat'");
        assertMessage(() -> Monitoring.drift(ref, ref.drop("num").withColumn("num", ref.column("cat"))), "string");
        assertMessage(() -> DriftDetector.builder().method("num", DriftMethod.ANDERSON_DARLING).build()
                .compare(Monitoring.profile(frame(rnd, 5000, 0, new double[] {1, 0, 0})),
                        frame(rnd, 100, 0, new double[] {1, 0, 0})), "raw values");
        assertMessage(() -> Binning.equalWidth(1), "bins");
        assertMessage(() -> Binning.sturges().withEpsilon(0.5), "epsilon");
    }

    @Test
    void timestampsAreSkippedUnlessAskedFor() {
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        Frame ref = Frame.builder().doubles("x", 1, 2, 3).timestamps("t", t, t, t).build();
        DriftReport r = DriftDetector.builder().minSampleSize(1).build().compare(ref, ref);
        assertEquals(1, r.columns().size());
        DriftReport withT = DriftDetector.builder().minSampleSize(1).method("t", DriftMethod.KOLMOGOROV_SMIRNOV).build()
                .compare(ref, ref);
        assertEquals(0.0, withT.column("t").statistic());
    }

    @Test
    void preparedReferenceGivesTheSameResultAsRawFrames() {
        Random rnd = new Random(10);
        Frame ref = frame(rnd, 3000, 0, new double[] {0.5, 0.3, 0.2});
        Frame cur = frame(rnd, 700, 0.3, new double[] {0.4, 0.3, 0.3});
        DriftDetector d = DriftDetector.defaults();
        DriftDetector.Reference prepared = d.reference(ref);
        assertEquals(d.compare(ref, cur), d.compare(prepared, cur));
        assertEquals(3000, prepared.rowCount());
    }

    private static void assertMessage(Executable call, String fragment) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
