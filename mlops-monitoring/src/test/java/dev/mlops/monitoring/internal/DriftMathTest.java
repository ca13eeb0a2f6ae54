package dev.mlops.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each statistic against values worked out by hand or from textbook formulas; the comments show the working.
 * Reference values quoted from SciPy 1.17 were computed outside this build and are cited as such.
 */
class DriftMathTest {
    private static Ecdf ecdf(double... values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return Ecdf.ofSorted(s, s.length);
    }

    @Test
    void ecdfStepsCompressTiesAndAnswerBothSidedQueries() {
        Ecdf e = ecdf(3, 1, 2, 2, 5);
        assertEquals(4, e.steps());
        assertEquals(0.0, e.cdf(0.5));
        assertEquals(0.2, e.cdf(1), 1e-15);
        assertEquals(0.6, e.cdf(2), 1e-15);
        assertEquals(0.2, e.cdfBelow(2), 1e-15);
        assertEquals(1.0, e.cdf(99));
        assertEquals(2.0, e.quantile(0.5));
        assertEquals(1.0, e.quantile(0.0));
        assertEquals(5.0, e.quantile(1.0));
        assertEquals(0.0, e.rankError());
    }

    // ---------------------------------------------------------------- Kolmogorov-Smirnov

    @Test
    void ksExactPValueOfSeparatedSamplesIsTwoOverTheNumberOfArrangements() {
        // All of x below all of y: D = 1; only 2 of the C(6,3) = 20 arrangements reach D = 1.
        double[] r = DriftMath.ksTest(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(1.0, r[0]);
        assertEquals(2.0 / 20, r[1], 1e-12);
        // C(4,2) = 6 arrangements, 2 extreme.
        assertEquals(2.0 / 6, DriftMath.ksTest(new double[] {1, 2}, new double[] {3, 4})[1], 1e-12);
    }

    @Test
    void ksExactPValueMatchesEnumerationOfEveryArrangement() {
        double[] x = {0.3, 1.1, 2.4, 2.9, 4.0};
        double[] y = {0.8, 3.1, 3.3, 3.7, 5.2, 6.0};
        double[] r = DriftMath.ksTest(x, y);
        assertEquals(DriftMath.ksStatistic(ecdf(x), ecdf(y)), r[0], 1e-15);
        assertEquals(enumeratedKsP(x.length, y.length, r[0]), r[1], 1e-12);
    }

    @Test
    void ksWithTiesUsesTheTieFreeDistributionWhichIsConservative() {
        double[] x = {1, 1, 2, 3};
        double[] y = {1, 2, 2, 4, 5};
        double[] r = DriftMath.ksTest(x, y);
        // F_x: 1 -> 0.5, 2 -> 0.75, 3 -> 1; F_y: 1 -> 0.2, 2 -> 0.6, 4 -> 0.8; the largest gap is at 3: |1 - 0.6|.
        assertEquals(0.4, r[0], 1e-15);
        assertEquals(enumeratedKsP(4, 5, 0.4), r[1], 1e-12);
        double permutation = permutationKsP(x, y);
        assertEquals(66.0 / 126, permutation, 1e-12);
        assertTrue(r[1] >= permutation, "the tie-free p-value is conservative: " + r[1] + " vs " + permutation);
    }

    @Test
    void ksOfIdenticalAndConstantSamplesIsZero() {
        double[] r = DriftMath.ksTest(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertEquals(0.0, r[0]);
        assertEquals(1.0, r[1], 1e-12);
        assertEquals(0.0, DriftMath.ksTest(new double[] {7, 7, 7}, new double[] {7, 7})[0]);
    }

    @Test
    void kolmogorovDistributionMatchesKnownValues() {
        // scipy.special.kolmogorov: 1.36 -> 0.0494859, 0.5 -> 0.9639452, 1.0 -> 0.2699997, 2.0 -> 0.000670925.
        assertEquals(0.049485876755377876, DriftMath.kolmogorovSurvival(1.36), 1e-9);
        assertEquals(0.9639452436648751, DriftMath.kolmogorovSurvival(0.5), 1e-9);
        assertEquals(0.26999967167735456, DriftMath.kolmogorovSurvival(1.0), 1e-9);
        assertEquals(0.0006709252557796953, DriftMath.kolmogorovSurvival(2.0), 1e-12);
        assertEquals(1.0, DriftMath.kolmogorovSurvival(0.0));
    }

    @Test
    void asymptoticKsPValueAgreesWithTheLibraryOnLargeSamples() {
        double[] x = new double[20_000];
        double[] y = new double[15_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 20_000.0;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = i / 15_000.0 + 0.01;
        }
        double[] r = DriftMath.ksTest(x, y);
        // SciPy 1.17 ks_2samp on the same data: D = 0.01005, p = 0.34980.
        assertEquals(0.01005, r[0], 1e-12);
        assertEquals(0.3498040781798891, r[1], 1e-6);
        // The limiting distribution with Stephens' correction, used above 10,000 values, agrees to 1e-3.
        assertEquals(r[1], DriftMath.ksAsymptoticP(r[0], x.length, y.length), 1e-3);
        assertEquals(r[0], DriftMath.ksStatistic(ecdf(x), ecdf(y)), 1e-15);
    }

    /** P(D >= d) for samples of n and m distinct values, by enumerating all C(n+m, n) rank arrangements. */
    private static double enumeratedKsP(int n, int m, double d) {
        int total = n + m;
        long hits = 0;
        long all = 0;
        for (int mask = 0; mask < (1 << total); mask++) {
            if (Integer.bitCount(mask) != n) {
                continue;
            }
            all++;
            int a = 0;
            int b = 0;
            double max = 0;
            for (int i = 0; i < total; i++) {
                if ((mask >> i & 1) == 1) {
                    a++;
                } else {
                    b++;
                }
                max = Math.max(max, Math.abs((double) a / n - (double) b / m));
            }
            if (max >= d - 1e-12) {
                hits++;
            }
        }
        return (double) hits / all;
    }

    /** P(D >= d) over all splits of the pooled values with their ties (the conditional, exact permutation test). */
    private static double permutationKsP(double[] x, double[] y) {
        double[] pool = new double[x.length + y.length];
        System.arraycopy(x, 0, pool, 0, x.length);
        System.arraycopy(y, 0, pool, x.length, y.length);
        double d0 = DriftMath.ksStatistic(ecdf(x), ecdf(y));
        long hits = 0;
        long all = 0;
        for (int mask = 0; mask < (1 << pool.length); mask++) {
            if (Integer.bitCount(mask) != x.length) {
                continue;
            }
            double[] a = new double[x.length];
            double[] b = new double[y.length];
            int i = 0;
            int j = 0;
            for (int k = 0; k < pool.length; k++) {
                if ((mask >> k & 1) == 1) {
                    a[i++] = pool[k];
                } else {
                    b[j++] = pool[k];
                }
            }
            all++;
            if (DriftMath.ksStatistic(ecdf(a), ecdf(b)) >= d0 - 1e-12) {
                hits++;
            }
        }
        return (double) hits / all;
    }

    // ---------------------------------------------------------------- Wasserstein

    @Test
    void wassersteinOfHandWorkedSamples() {
        // Shifting {0, 1, 3} by 5 moves every unit of mass 5: W = 5 (SciPy: 5.0).
        assertEquals(5.0, DriftMath.wasserstein(ecdf(0, 1, 3), ecdf(5, 6, 8)), 1e-12);
        // {3.4, 3.9, 7.5, 7.8} vs {1.4, 4.5}: integral of |F - G| = 1.0 + 0.2 + 0.3 + 0.6 + 0.6 = 2.7 (SciPy: 2.7).
        assertEquals(2.7, DriftMath.wasserstein(ecdf(3.4, 3.9, 7.5, 7.8), ecdf(4.5, 1.4)), 1e-12);
        assertEquals(0.0, DriftMath.wasserstein(ecdf(2, 2, 2), ecdf(2)), 0.0);
        assertEquals(3.0, DriftMath.wasserstein(ecdf(4), ecdf(1)), 0.0);
    }

    // ---------------------------------------------------------------- histogram measures

    @Test
    void psiByHand() {
        // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5) = 0.25 ln 2 + 0.25 ln 1.5
        double expected = 0.25 * Math.log(2) + 0.25 * Math.log(1.5);
        assertEquals(expected, DriftMath.psi(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}), 1e-15);
        assertEquals(0.0, DriftMath.psi(new double[] {0.2, 0.8}, new double[] {0.2, 0.8}), 0.0);
    }

    @Test
    void smoothingReplacesEmptySharesAndRenormalizes() {
        double[] s = DriftMath.smooth(new double[] {0.5, 0.5, 0.0}, 1e-4);
        assertArrayEquals(new double[] {0.5 / 1.0001, 0.5 / 1.0001, 1e-4 / 1.0001}, s, 1e-15);
        assertEquals(1.0, s[0] + s[1] + s[2], 1e-15);
    }

    @Test
    void jensenShannonOfIdenticalDisjointAndHandWorkedHistograms() {
        assertEquals(0.0, DriftMath.jensenShannon(new double[] {0.3, 0.7}, new double[] {0.3, 0.7}), 1e-12);
        assertEquals(Math.sqrt(Math.log(2)), DriftMath.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-15);
        // m = (0.75, 0.25): JSD = 1/2 [0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25)] + 1/2 [ln(1/0.75)]
        double jsd = 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(2)) + 0.5 * Math.log(1 / 0.75);
        assertEquals(Math.sqrt(jsd), DriftMath.jensenShannon(new double[] {0.5, 0.5}, new double[] {1, 0}), 1e-15);
        // SciPy 1.17 jensenshannon: 0.464501404022459 and 0.22784261945058354.
        assertEquals(0.464501404022459, DriftMath.jensenShannon(new double[] {0.5, 0.5}, new double[] {1, 0}), 1e-12);
        assertEquals(0.22784261945058354, DriftMath.jensenShannon(new double[] {0.1, 0.2, 0.7},
                new double[] {0.3, 0.3, 0.4}), 1e-12);
    }

    @Test
    void hellingerOfIdenticalDisjointAndHandWorkedHistograms() {
        assertEquals(0.0, DriftMath.hellinger(new double[] {0.3, 0.7}, new double[] {0.3, 0.7}), 1e-7);
        assertEquals(1.0, DriftMath.hellinger(new double[] {1, 0}, new double[] {0, 1}), 0.0);
        // BC = sqrt(0.5 * 1) = sqrt(0.5): H = sqrt(1 - 0.70711) = 0.54120
        assertEquals(Math.sqrt(1 - Math.sqrt(0.5)), DriftMath.hellinger(new double[] {0.5, 0.5}, new double[] {1, 0}),
                1e-15);
    }

    @Test
    void massesUseHalfOpenBinsWithOpenOuterBins() {
        Ecdf e = ecdf(0, 1, 1, 2, 3, 4, 10);
        double[] m = DriftMath.masses(e, new double[] {1, 3});
        // (-inf, 1): {0}; [1, 3): {1, 1, 2}; [3, +inf): {3, 4, 10}
        assertArrayEquals(new double[] {1.0 / 7, 3.0 / 7, 3.0 / 7}, m, 1e-15);
        assertArrayEquals(new double[] {2.5, 5, 7.5}, DriftMath.equalWidthEdges(0, 10, 4), 1e-15);
        assertEquals(0, DriftMath.equalWidthEdges(3, 3, 10).length, "a constant range has one bin");
        assertArrayEquals(new double[] {2, 4}, DriftMath.quantileEdges(ecdf(1, 2, 3, 4, 5, 6), 3), 0.0);
        assertArrayEquals(new double[0], DriftMath.quantileEdges(ecdf(5, 5, 5, 5), 4), 0.0);
    }

    @Test
    void sturgesRuleMatchesNumpy() {
        assertEquals(1, DriftMath.sturges(1));
        assertEquals(2, DriftMath.sturges(2));
        assertEquals(11, DriftMath.sturges(1000)); // log2(1000) = 9.97
        assertEquals(11, DriftMath.sturges(1024)); // exactly 10
        assertEquals(12, DriftMath.sturges(1025));
        assertEquals(22, DriftMath.sturges(2_000_000));
    }

    // ---------------------------------------------------------------- chi-square and Z

    @Test
    void chiSquareOfHandWorkedTable() {
        // Rows (10, 20, 30) and (20, 20, 20): expected 15, 20, 25 in both rows;
        // chi2 = 2 * (25/15 + 0 + 25/25) = 5.3333 with 2 df; the chi2(2) survival function is exp(-x / 2).
        double[] r = DriftMath.chiSquare(new long[] {10, 20, 30}, new long[] {20, 20, 20});
        assertEquals(16.0 / 3, r[0], 1e-12);
        assertEquals(Math.exp(-8.0 / 3), r[1], 1e-12);
        assertEquals(2.0, r[2]);
    }

    @Test
    void chiSquareDropsEmptyCategoriesAndNeedsTwo() {
        double[] r = DriftMath.chiSquare(new long[] {10, 0, 30}, new long[] {20, 0, 20});
        assertEquals(1.0, r[2]);
        assertArrayEquals(new double[] {0, 1, 0}, DriftMath.chiSquare(new long[] {5, 0}, new long[] {7, 0}));
    }

    @Test
    void zTestOfHandWorkedProportions() {
        // 30/100 vs 50/100: pooled 0.4, se = sqrt(0.4 * 0.6 * 0.02) = 0.069282, z = 0.2 / se = 2.88675;
        // two-sided p = 0.0038924 (SciPy norm.sf * 2).
        double[] r = DriftMath.zTest(30, 100, 50, 100);
        assertEquals(0.2 / Math.sqrt(0.4 * 0.6 * 0.02), r[0], 1e-12);
        assertEquals(0.003892417122778628, r[1], 1e-12);
        assertArrayEquals(new double[] {0, 1}, DriftMath.zTest(0, 10, 0, 20), "all in one category: nothing to test");
        assertEquals(-r[0], DriftMath.zTest(50, 100, 30, 100)[0], 1e-12);
    }

    @Test
    void effectSizes() {
        assertEquals(Math.abs(2 * Math.asin(Math.sqrt(0.5)) - 2 * Math.asin(Math.sqrt(0.3))), DriftMath.cohensH(0.3, 0.5),
                1e-15);
        assertEquals(Math.sqrt(16.0 / 3 / 120), DriftMath.cramersV(16.0 / 3, 120), 1e-15);
    }

    // ---------------------------------------------------------------- Anderson-Darling

    private static final double[][] SCHOLZ_STEPHENS = {
        {38.7, 41.5, 43.8, 44.5, 45.5, 46.0, 47.7, 58.0},
        {39.2, 39.3, 39.7, 41.4, 41.8, 42.9, 43.3, 45.8},
        {34.0, 35.0, 39.0, 40.0, 43.0, 43.0, 44.0, 45.0},
        {34.0, 34.8, 34.8, 35.4, 37.2, 37.8, 41.2, 42.8}};

    @Test
    void andersonDarlingMatchesScholzAndStephensExample() {
        // Scholz and Stephens (1987), Table 4: standardized A2kN = 4.449 and, with midranks, A2akN = 4.480; both
        // reject at 0.01 (SciPy 1.17: 4.449262232, p = 0.0023118; midrank 4.479780627, p = 0.0022254).
        AndersonDarling.Result right = AndersonDarling.test(sorted(SCHOLZ_STEPHENS), false);
        assertEquals(4.449262232403134, right.standardized(), 1e-9);
        assertEquals(0.002311750079827184, right.pValue(), 1e-9);
        AndersonDarling.Result mid = AndersonDarling.test(sorted(SCHOLZ_STEPHENS), true);
        assertEquals(4.479780627135335, mid.standardized(), 1e-9);
        assertEquals(0.002225442310933593, mid.pValue(), 1e-9);
    }

    @Test
    void andersonDarlingTwoSamplesClipsAndIsSymmetric() {
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] b = {3.5, 6.5, 8, 9.5, 11, 12, 13, 14, 15, 16};
        AndersonDarling.Result r = AndersonDarling.test(new double[][] {a, b}, true);
        assertEquals(4.3404182482968725, r.standardized(), 1e-9); // SciPy 1.17
        assertEquals(0.006029705195797064, r.pValue(), 1e-9);
        assertEquals(r.standardized(), AndersonDarling.test(new double[][] {b, a}, true).standardized(), 1e-12);
        AndersonDarling.Result same = AndersonDarling.test(new double[][] {a, a.clone()}, true);
        assertEquals(0.25, same.pValue());
        assertTrue(same.clipped());
        assertThrows(IllegalArgumentException.class, () -> AndersonDarling.test(new double[][] {{1, 1}, {1, 1}}, true));
    }

    private static double[][] sorted(double[][] samples) {
        double[][] out = new double[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            out[i] = samples[i].clone();
            Arrays.sort(out[i]);
        }
        return out;
    }
}
