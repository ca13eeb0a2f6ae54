package dev.mlops.monitoring.internal;

import java.util.Arrays;

/**
 * The k-sample Anderson-Darling test of Scholz and Stephens (1987), as {@code scipy.stats.anderson_ksamp}: the
 * midrank statistic {@code A2akN} for data with ties (or {@code A2kN} without midranks), standardized by its mean
 * {@code k - 1} and variance under the null hypothesis, and a p-value interpolated from the published critical
 * values with a quadratic in {@code log p}. The interpolation is valid between 0.001 and 0.25; outside that range
 * the p-value is clipped to the nearer end, and {@link Result#clipped()} says so.
 */
public final class AndersonDarling {
    private static final double[] SIGNIFICANCE = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
    private static final double[] B0 = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
    private static final double[] B1 = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
    private static final double[] B2 = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};

    private AndersonDarling() {
    }

    /**
     * The outcome of a test.
     *
     * @param raw the unstandardized statistic ({@code A2akN} or {@code A2kN})
     * @param standardized {@code (raw - (k - 1)) / sigma}
     * @param pValue the interpolated p-value, within [0.001, 0.25]
     * @param clipped whether the p-value hit an end of the interpolation range
     */
    public record Result(double raw, double standardized, double pValue, boolean clipped) {
    }

    /**
     * Runs the test.
     *
     * @param samples k samples of finite values, each sorted ascending, each non-empty; the pooled data must hold at
     *     least two distinct values and at least 4 values
     * @param midrank whether to use midranks (the version for data with ties)
     * @return the result
     * @throws IllegalArgumentException if there are fewer than 2 samples, fewer than 4 values in all, or a single
     *     distinct value
     */
    public static Result test(double[][] samples, boolean midrank) {
        int k = samples.length;
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 samples, got " + k);
        }
        int total = 0;
        for (double[] s : samples) {
            if (s.length == 0) {
                throw new IllegalArgumentException("every sample needs at least one value");
            }
            total += s.length;
        }
        if (total < 4) {
            throw new IllegalArgumentException("need at least 4 values in all, got " + total);
        }
        double[] pooled = new double[total];
        int at = 0;
        for (double[] s : samples) {
            System.arraycopy(s, 0, pooled, at, s.length);
            at += s.length;
        }
        Arrays.sort(pooled);
        // Distinct pooled values and their multiplicities.
        double[] zstar = new double[total];
        int[] multiplicity = new int[total];
        int distinct = 0;
        for (int i = 0; i < total; i++) {
            if (distinct > 0 && pooled[i] == zstar[distinct - 1]) {
                multiplicity[distinct - 1]++;
            } else {
                zstar[distinct] = pooled[i];
                multiplicity[distinct++] = 1;
            }
        }
        if (distinct < 2) {
            throw new IllegalArgumentException("the pooled data hold a single distinct value");
        }
        double n = total;
        double a2 = 0;
        for (double[] s : samples) {
            double ni = s.length;
            double inner = 0;
            int pos = 0; // values of s below the current distinct value
            long below = 0; // pooled values below the current distinct value
            for (int j = 0; j < distinct; j++) {
                double z = zstar[j];
                int lj = multiplicity[j];
                int start = pos;
                while (pos < s.length && s[pos] <= z) {
                    pos++;
                }
                int fij = pos - start; // values of s equal to z (s is a subset of the pooled values)
                if (midrank) {
                    double mij = pos - fij / 2.0;
                    double bj = below + lj / 2.0;
                    double denominator = bj * (n - bj) - n * lj / 4.0;
                    if (denominator > 0) {
                        double diff = n * mij - bj * ni;
                        inner += lj / n * diff * diff / denominator;
                    }
                } else if (j < distinct - 1) {
                    double bj = below + lj;
                    double diff = n * pos - bj * ni;
                    inner += lj / n * diff * diff / (bj * (n - bj));
                }
                below += lj;
            }
            a2 += inner / ni;
        }
        if (midrank) {
            a2 *= (n - 1) / n;
        }
        double sigma = Math.sqrt(variance(samples, total));
        double m = k - 1;
        double standardized = (a2 - m) / sigma;
        double[] critical = new double[SIGNIFICANCE.length];
        for (int i = 0; i < critical.length; i++) {
            critical[i] = B0[i] + B1[i] / Math.sqrt(m) + B2[i] / m;
        }
        double p;
        boolean clipped;
        if (standardized < critical[0]) {
            p = SIGNIFICANCE[0];
            clipped = true;
        } else if (standardized > critical[critical.length - 1]) {
            p = SIGNIFICANCE[SIGNIFICANCE.length - 1];
            clipped = true;
        } else {
            double[] logSig = new double[SIGNIFICANCE.length];
            for (int i = 0; i < logSig.length; i++) {
                logSig[i] = Math.log(SIGNIFICANCE[i]);
            }
            double[] c = quadraticFit(critical, logSig);
            p = Math.exp(c[0] * standardized * standardized + c[1] * standardized + c[2]);
            clipped = false;
        }
        return new Result(a2, standardized, p, clipped);
    }

    /** The variance of A2kN under the null hypothesis (Scholz and Stephens 1987, eq. 4). */
    private static double variance(double[][] samples, int total) {
        double n = total;
        double k = samples.length;
        double hH = 0;
        for (double[] s : samples) {
            hH += 1.0 / s.length;
        }
        double h = 0;
        for (int i = 1; i < total; i++) {
            h += 1.0 / i;
        }
        // g = sum_{i=1}^{N-2} sum_{j=i+1}^{N-1} 1 / ((N - i) j), summed in O(N) by inner sums.
        double g = 0;
        double tail = 0; // sum_{j=i+1}^{N-1} 1/j, built from the top
        for (int i = total - 2; i >= 1; i--) {
            tail += 1.0 / (i + 1);
            g += tail / (n - i);
        }
        double a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * hH;
        double b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * hH - 8 * h + 4 * g - 6;
        double c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * hH + 4 * h;
        double d = (2 * h + 6) * k * k - 4 * h * k;
        return (a * n * n * n + b * n * n + c * n + d) / ((n - 1) * (n - 2) * (n - 3));
    }

    /** Least-squares fit of y = c0 x^2 + c1 x + c2, by the normal equations. */
    static double[] quadraticFit(double[] x, double[] y) {
        double[][] m = new double[3][4];
        for (int i = 0; i < x.length; i++) {
            double[] row = {x[i] * x[i], x[i], 1.0};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][3] += row[r] * y[i];
            }
        }
        for (int col = 0; col < 3; col++) {
            int pivot = col;
            for (int r = col + 1; r < 3; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < 3; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c < 4; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }
}
