package dev.mlops.monitoring.internal;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * The drift statistics on prepared inputs: step distributions ({@link Ecdf}), sorted arrays, bin masses and
 * category counts. Every method is a pure function; validation and the choice of method happen in the caller.
 *
 * <p>Conventions: logarithms are natural; histogram inputs are proportions that sum to 1.
 */
public final class DriftMath {
    /** Below this many values per sample the two-sample KS p-value is undefined. */
    public static final int KS_MIN_SAMPLE = 2;
    /**
     * Up to this many values per sample the KS p-value is the library's exact one; above, the limiting distribution
     * is used (the library's finite-sample asymptotic costs hundreds of milliseconds at a million values, for a
     * p-value that differs in the fourth decimal).
     */
    public static final int KS_EXACT_LIMIT = 10_000;
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();
    private static final ChiSquareTest CHI_SQUARE = ChiSquareTest.withDefaults();

    private DriftMath() {
    }

    /**
     * Returns the two-sample Kolmogorov-Smirnov statistic {@code sup |F(x) - G(x)|}.
     *
     * @param a one distribution, not empty
     * @param b the other, not empty
     * @return D in [0, 1]
     */
    public static double ksStatistic(Ecdf a, Ecdf b) {
        int na = a.steps();
        int nb = b.steps();
        int i = 0;
        int j = 0;
        double fa = 0;
        double fb = 0;
        double d = 0;
        while (i < na || j < nb) {
            double x = Math.min(i < na ? a.value(i) : Double.POSITIVE_INFINITY, j < nb ? b.value(j) : Double.POSITIVE_INFINITY);
            if (i < na && a.value(i) == x) {
                fa = a.cumulativeFraction(i++);
            }
            if (j < nb && b.value(j) == x) {
                fb = b.cumulativeFraction(j++);
            }
            d = Math.max(d, Math.abs(fa - fb));
        }
        return d;
    }

    /**
     * Returns the first Wasserstein (earth mover's) distance {@code integral |F(x) - G(x)| dx}, as
     * {@code scipy.stats.wasserstein_distance} computes it for unweighted samples.
     *
     * @param a one distribution, not empty
     * @param b the other, not empty
     * @return the distance in the units of the values
     */
    public static double wasserstein(Ecdf a, Ecdf b) {
        int na = a.steps();
        int nb = b.steps();
        int i = 0;
        int j = 0;
        double fa = 0;
        double fb = 0;
        double sum = 0;
        double prev = Math.min(a.value(0), b.value(0));
        while (i < na || j < nb) {
            double x = Math.min(i < na ? a.value(i) : Double.POSITIVE_INFINITY, j < nb ? b.value(j) : Double.POSITIVE_INFINITY);
            sum += Math.abs(fa - fb) * (x - prev);
            if (i < na && a.value(i) == x) {
                fa = a.cumulativeFraction(i++);
            }
            if (j < nb && b.value(j) == x) {
                fb = b.cumulativeFraction(j++);
            }
            prev = x;
        }
        return sum;
    }

    /**
     * Runs the two-sample KS test of Apache Commons Statistics on raw values: the exact p-value when both samples
     * hold at most 10,000 values (computed as if there were no ties, which makes it conservative when there are),
     * the finite-sample asymptotic distribution above. The detector calls it only up to {@link #KS_EXACT_LIMIT}.
     *
     * @param a one sample, at least {@value #KS_MIN_SAMPLE} finite values
     * @param b the other
     * @return {statistic D, p-value}
     */
    public static double[] ksTest(double[] a, double[] b) {
        KolmogorovSmirnovTest.TwoResult r = KS.test(a, b);
        return new double[] {r.getStatistic(), r.getPValue()};
    }

    /**
     * Returns the two-sided p-value of a two-sample KS statistic from the limiting Kolmogorov distribution with
     * Stephens' small-sample correction, {@code Q((sqrt(en) + 0.12 + 0.11 / sqrt(en)) D)} with
     * {@code en = n m / (n + m)}. Used where the raw values are not at hand (sketches).
     *
     * @param d the statistic
     * @param n one sample size
     * @param m the other
     * @return the p-value in [0, 1]
     */
    public static double ksAsymptoticP(double d, long n, long m) {
        double en = (double) n * m / ((double) n + m);
        double s = Math.sqrt(en);
        return kolmogorovSurvival((s + 0.12 + 0.11 / s) * d);
    }

    /**
     * Returns {@code P(K > lambda)} for the Kolmogorov distribution {@code K = sup |B(t)|} of the Brownian bridge.
     *
     * @param lambda the point
     * @return the survival probability
     */
    public static double kolmogorovSurvival(double lambda) {
        if (lambda <= 0) {
            return 1.0;
        }
        if (lambda < 1.18) {
            // The theta-function form converges fast for small lambda, where the alternating series does not.
            double y = Math.exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            double sum = 0;
            for (int k = 1; k <= 9; k += 2) {
                sum += Math.pow(y, (double) k * k);
            }
            return Math.min(1.0, Math.max(0.0, 1.0 - Math.sqrt(2 * Math.PI) / lambda * sum));
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-18) {
                break;
            }
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }

    /**
     * Returns the number of bins of Sturges' rule, {@code ceil(log2(n)) + 1}, as numpy's {@code "sturges"}.
     *
     * @param n the number of values binned
     * @return the bin count, at least 1
     */
    public static int sturges(long n) {
        if (n <= 1) {
            return 1;
        }
        return (int) Math.ceil(Math.log(n) / Math.log(2) - 1e-12) + 1;
    }

    /**
     * Returns the inner edges of equal-width bins over {@code [min, max]}: {@code bins - 1} values.
     *
     * @param min the lower end of the range
     * @param max the upper end
     * @param bins the bin count
     * @return the inner edges, ascending; empty when the range is a single point
     */
    public static double[] equalWidthEdges(double min, double max, int bins) {
        if (!(max > min) || bins <= 1) {
            return new double[0];
        }
        double[] edges = new double[bins - 1];
        double width = (max - min) / bins;
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = min + i * width;
        }
        return edges;
    }

    /**
     * Returns the inner edges of bins at the quantiles {@code i / bins} of a distribution, duplicates removed.
     *
     * @param reference the distribution
     * @param bins the wished bin count
     * @return the inner edges, ascending and distinct
     */
    public static double[] quantileEdges(Ecdf reference, int bins) {
        double[] edges = new double[Math.max(0, bins - 1)];
        int k = 0;
        for (int i = 1; i < bins; i++) {
            double q = reference.quantile((double) i / bins);
            // An edge at the minimum would leave the first bin empty by construction.
            if (q > reference.min() && (k == 0 || q > edges[k - 1])) {
                edges[k++] = q;
            }
        }
        return Arrays.copyOf(edges, k);
    }

    /**
     * Returns the share of a distribution in each bin: {@code (-inf, e1), [e1, e2), ..., [e_last, +inf)}.
     *
     * @param e the distribution, not empty
     * @param innerEdges the inner edges, ascending
     * @return {@code innerEdges.length + 1} shares that sum to 1
     */
    public static double[] masses(Ecdf e, double[] innerEdges) {
        double[] m = new double[innerEdges.length + 1];
        double below = 0;
        for (int i = 0; i < innerEdges.length; i++) {
            double f = e.cdfBelow(innerEdges[i]);
            m[i] = f - below;
            below = f;
        }
        m[innerEdges.length] = 1.0 - below;
        return m;
    }

    /**
     * Turns counts into proportions.
     *
     * @param counts counts with a positive sum
     * @return the proportions
     */
    public static double[] proportions(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] p = new double[counts.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = total == 0 ? 0.0 : (double) counts[i] / total;
        }
        return p;
    }

    /**
     * Smooths near-empty bins: each share below {@code epsilon} (an empty bin in particular) is raised to
     * {@code epsilon}, then the shares are renormalized to sum to 1.
     *
     * @param p proportions
     * @param epsilon the share given to an empty bin
     * @return a new array without zeros
     */
    public static double[] smooth(double[] p, double epsilon) {
        double[] s = p.clone();
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < epsilon) {
                s[i] = epsilon;
            }
            sum += s[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= sum;
        }
        return s;
    }

    /**
     * Returns the population stability index {@code sum (q - p) ln(q / p)}.
     *
     * @param reference reference shares, no zeros
     * @param current current shares, no zeros
     * @return the PSI, 0 or more
     */
    public static double psi(double[] reference, double[] current) {
        double s = 0;
        for (int i = 0; i < reference.length; i++) {
            s += (current[i] - reference[i]) * Math.log(current[i] / reference[i]);
        }
        return Math.max(0.0, s);
    }

    /**
     * Returns the Jensen-Shannon divergence (natural logarithm) {@code (KL(p||m) + KL(q||m)) / 2},
     * {@code m = (p + q) / 2}, in [0, ln 2].
     *
     * @param p one distribution
     * @param q the other
     * @return the divergence
     */
    public static double jensenShannonDivergence(double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                s += p[i] * Math.log(p[i] / m);
            }
            if (q[i] > 0) {
                s += q[i] * Math.log(q[i] / m);
            }
        }
        return Math.max(0.0, s / 2);
    }

    /**
     * Returns the Jensen-Shannon distance, the square root of the divergence, in [0, sqrt(ln 2)], as
     * {@code scipy.spatial.distance.jensenshannon} with its default base.
     *
     * @param p one distribution
     * @param q the other
     * @return the distance
     */
    public static double jensenShannon(double[] p, double[] q) {
        return Math.sqrt(jensenShannonDivergence(p, q));
    }

    /**
     * Returns the Hellinger distance {@code sqrt(1 - sum sqrt(p q))}, in [0, 1].
     *
     * @param p one distribution
     * @param q the other
     * @return the distance
     */
    public static double hellinger(double[] p, double[] q) {
        return Math.sqrt(Math.max(0.0, 1.0 - bhattacharyya(p, q)));
    }

    private static double bhattacharyya(double[] p, double[] q) {
        double bc = 0;
        for (int i = 0; i < p.length; i++) {
            bc += Math.sqrt(p[i] * q[i]);
        }
        return bc;
    }

    /** The per-bin term of a histogram measure: jointly convex, 0 on the diagonal p = q, growing away from it. */
    private interface Term {
        double at(double p, double q);
    }

    private static final Term PSI_TERM = (p, q) -> (q - p) * Math.log(q / p);
    private static final Term JS_TERM = (p, q) -> {
        double m = (p + q) / 2;
        return 0.5 * ((p > 0 ? p * Math.log(p / m) : 0) + (q > 0 ? q * Math.log(q / m) : 0));
    };
    private static final Term HELLINGER_TERM = (p, q) -> {
        double d = Math.sqrt(p) - Math.sqrt(q);
        return 0.5 * d * d;
    };

    /**
     * Bounds a sum of per-bin terms when each share may be off by up to a given error: each term is convex, so its
     * maximum over the box of possible shares is at a corner; its minimum is 0 where the box meets the diagonal and
     * otherwise at a corner (the terms grow away from the diagonal). The bound does not use that the shares sum to 1,
     * which makes it conservative.
     *
     * @return {lowest sum, highest sum}
     */
    private static double[] termRange(Term f, double[] p, double[] q, double ep, double eq, double floor) {
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < p.length; i++) {
            double p0 = Math.max(floor, p[i] - ep);
            double p1 = Math.max(floor, p[i] + ep);
            double q0 = Math.max(floor, q[i] - eq);
            double q1 = Math.max(floor, q[i] + eq);
            double a = f.at(p0, q0);
            double b = f.at(p0, q1);
            double c = f.at(p1, q0);
            double d = f.at(p1, q1);
            hi += Math.max(Math.max(a, b), Math.max(c, d));
            boolean meetsDiagonal = p0 <= q1 && q0 <= p1;
            lo += meetsDiagonal ? 0 : Math.min(Math.min(a, b), Math.min(c, d));
        }
        return new double[] {lo, hi};
    }

    /**
     * Bounds the error of the PSI when each reference share may be off by {@code ep} and each current share by
     * {@code eq}; shares are floored at {@code epsilon} as {@link #smooth} does.
     *
     * @param p reference shares (smoothed)
     * @param q current shares (smoothed)
     * @param ep the reference share error
     * @param eq the current share error
     * @param epsilon the smoothing floor
     * @return the error bound
     */
    public static double psiError(double[] p, double[] q, double ep, double eq, double epsilon) {
        if (ep == 0 && eq == 0) {
            return 0;
        }
        double v = psi(p, q);
        double[] r = termRange(PSI_TERM, p, q, ep, eq, epsilon);
        return Math.max(r[1] - v, v - r[0]);
    }

    /**
     * Bounds the error of the Jensen-Shannon distance under share errors.
     *
     * @param p reference shares
     * @param q current shares
     * @param ep the reference share error
     * @param eq the current share error
     * @return the error bound
     */
    public static double jensenShannonError(double[] p, double[] q, double ep, double eq) {
        if (ep == 0 && eq == 0) {
            return 0;
        }
        double v = jensenShannon(p, q);
        double[] r = termRange(JS_TERM, p, q, ep, eq, 0.0);
        return Math.max(Math.sqrt(r[1]) - v, v - Math.sqrt(Math.max(0, r[0])));
    }

    /**
     * Bounds the error of the Hellinger distance under share errors.
     *
     * @param p reference shares
     * @param q current shares
     * @param ep the reference share error
     * @param eq the current share error
     * @return the error bound
     */
    public static double hellingerError(double[] p, double[] q, double ep, double eq) {
        if (ep == 0 && eq == 0) {
            return 0;
        }
        double v = hellinger(p, q);
        double[] r = termRange(HELLINGER_TERM, p, q, ep, eq, 0.0);
        return Math.max(Math.sqrt(Math.min(1, r[1])) - v, v - Math.sqrt(Math.max(0, r[0])));
    }

    /**
     * Runs the chi-square test of homogeneity on a 2 x k table, without continuity correction. Categories empty in
     * both samples are dropped; with fewer than two categories left there is nothing to test ({0, 1, 0}).
     *
     * @param reference counts per category in the reference
     * @param current counts per category in the current sample
     * @return {statistic, p-value, degrees of freedom}
     */
    public static double[] chiSquare(long[] reference, long[] current) {
        int k = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] + current[i] > 0) {
                k++;
            }
        }
        if (k < 2) {
            return new double[] {0.0, 1.0, 0.0};
        }
        long[][] table = new long[2][k];
        int c = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] + current[i] > 0) {
                table[0][c] = reference[i];
                table[1][c] = current[i];
                c++;
            }
        }
        SignificanceResult r = CHI_SQUARE.test(table);
        return new double[] {r.getStatistic(), r.getPValue(), k - 1};
    }

    /**
     * Runs the two-sided Z-test for the difference of two proportions with the pooled standard error.
     *
     * @param referenceHits reference rows in the tested category
     * @param referenceSize reference rows
     * @param currentHits current rows in the tested category
     * @param currentSize current rows
     * @return {z (current minus reference), p-value}; {0, 1} when the pooled proportion is 0 or 1
     */
    public static double[] zTest(long referenceHits, long referenceSize, long currentHits, long currentSize) {
        double p1 = (double) referenceHits / referenceSize;
        double p2 = (double) currentHits / currentSize;
        double pooled = (double) (referenceHits + currentHits) / ((double) referenceSize + currentSize);
        double variance = pooled * (1 - pooled) * (1.0 / referenceSize + 1.0 / currentSize);
        if (!(variance > 0)) {
            return new double[] {0.0, 1.0};
        }
        double z = (p2 - p1) / Math.sqrt(variance);
        return new double[] {z, Math.min(1.0, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)))};
    }

    /**
     * Returns Cohen's h, {@code |2 asin sqrt(p2) - 2 asin sqrt(p1)|}, the effect size of a difference of
     * proportions.
     *
     * @param p1 one proportion
     * @param p2 the other
     * @return h in [0, pi]
     */
    public static double cohensH(double p1, double p2) {
        return Math.abs(2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1)));
    }

    /**
     * Returns Cramér's V of a 2 x k table from its chi-square statistic: {@code sqrt(chi2 / N)}.
     *
     * @param chiSquare the statistic
     * @param total the number of observations in the table
     * @return V in [0, 1]
     */
    public static double cramersV(double chiSquare, long total) {
        return total == 0 ? 0.0 : Math.min(1.0, Math.sqrt(chiSquare / total));
    }
}
