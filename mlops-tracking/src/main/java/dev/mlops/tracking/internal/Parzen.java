package dev.mlops.tracking.internal;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The Parzen estimators of the tree-structured Parzen estimator: mixtures of truncated normal kernels on a bounded
 * interval (one per observation, plus a wide prior kernel) and mixtures of categorical kernels. Follows Optuna's
 * univariate and multivariate estimators: bandwidth from neighbour distances with the "magic clip", or Scott's rule
 * for the multivariate case, and older observations down-weighted past 25.
 */
public final class Parzen {
    private static final NormalDistribution STD = NormalDistribution.of(0, 1);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double EPS = 1e-12;
    /** Terms this far (in log space) below the largest add less than 1e-16 of it and are left out. */
    private static final double NEGLIGIBLE = 37;
    /** Kernels whose interval lies this many standard deviations around them keep all their mass. */
    private static final double FULL_MASS_Z = 8.5;

    private Parzen() {
    }

    /**
     * Optuna's observation weights: 1 for the newest 25, a linear ramp from 1/n for older ones.
     *
     * @param n the number of observations, ordered oldest first
     * @return the weights
     */
    public static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    /** Mixture weights: observation weights and the prior's, normalized. */
    static double[] mixtureWeights(int n, double priorWeight) {
        double[] obs = defaultWeights(n);
        double[] w = Arrays.copyOf(obs, n + 1);
        w[n] = priorWeight;
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** A one-dimensional mixture of truncated normals on {@code [low, high]}. */
    public static final class Numeric {
        final double low;
        final double high;
        final double[] mus;
        final double[] sigmas;
        final double[] logWeights;
        final double[] weights;
        final double[] logNorm;
        final double[] invSigma;
        final double[] constant;

        /**
         * Builds the univariate estimator.
         *
         * @param obs observations on the internal line, oldest first
         * @param low the lower bound
         * @param high the upper bound
         * @param priorWeight the prior kernel's weight
         * @param considerEndpoints whether the outermost kernels' bandwidths may reach the bounds
         * @param magicClip whether to clip bandwidths below by (high - low) / min(100, n + 1)
         */
        public Numeric(double[] obs, double low, double high, double priorWeight, boolean considerEndpoints,
                boolean magicClip) {
            this(obs, low, high, priorWeight, bandwidths(obs, low, high, considerEndpoints, magicClip));
        }

        Numeric(double[] obs, double low, double high, double priorWeight, double[] sigmas) {
            int n = obs.length;
            this.low = low;
            this.high = high;
            this.mus = Arrays.copyOf(obs, n + 1);
            this.mus[n] = 0.5 * (low + high);
            this.sigmas = sigmas;
            this.weights = mixtureWeights(n, priorWeight);
            this.logWeights = new double[n + 1];
            this.logNorm = new double[n + 1];
            this.invSigma = new double[n + 1];
            this.constant = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                logWeights[i] = Math.log(weights[i]);
                logNorm[i] = logMass(mus[i], this.sigmas[i], low, high);
                invSigma[i] = 1 / this.sigmas[i];
                constant[i] = logWeights[i] - LOG_SQRT_2PI - Math.log(this.sigmas[i]) - logNorm[i];
            }
        }

        /** Optuna's univariate bandwidths, the prior's last. */
        static double[] bandwidths(double[] obs, double low, double high, boolean considerEndpoints,
                boolean magicClip) {
            int n = obs.length;
            double range = high - low;
            double[] mus = Arrays.copyOf(obs, n + 1);
            mus[n] = 0.5 * (low + high);
            double[] sortedMus = Arrays.copyOf(mus, n + 1);
            Arrays.sort(sortedMus);
            double[] sorted = new double[n + 3];
            sorted[0] = low;
            System.arraycopy(sortedMus, 0, sorted, 1, n + 1);
            sorted[n + 2] = high;
            double[] sortedSigma = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                double left = sorted[i + 1] - sorted[i];
                double right = sorted[i + 2] - sorted[i + 1];
                sortedSigma[i] = Math.max(left, right);
            }
            if (!considerEndpoints && n + 1 >= 2) {
                sortedSigma[0] = sorted[2] - sorted[1];
                sortedSigma[n] = sorted[n + 1] - sorted[n];
            }
            double[] sigmas = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                // Equal observations share one position; each gets the bandwidth found there.
                sigmas[i] = sortedSigma[Arrays.binarySearch(sortedMus, mus[i])];
            }
            double max = range;
            double min = magicClip ? range / Math.min(100.0, 1.0 + n) : EPS;
            for (int i = 0; i < n; i++) {
                sigmas[i] = Math.min(max, Math.max(min, sigmas[i]));
            }
            sigmas[n] = range;
            for (int i = 0; i <= n; i++) {
                if (!(sigmas[i] > 0)) {
                    sigmas[i] = Math.max(EPS, range > 0 ? range * 1e-6 : 1e-6);
                }
            }
            return sigmas;
        }

        /**
         * Draws a value.
         *
         * @param random the generator
         * @return a value in {@code [low, high]}
         */
        public double sample(Random random) {
            int k = pick(weights, random);
            return truncatedNormal(mus[k], sigmas[k], low, high, random);
        }

        /**
         * Returns the log density at a point.
         *
         * @param x the point
         * @return the log density
         */
        public double logPdf(double x) {
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[mus.length];
            for (int i = 0; i < mus.length; i++) {
                double z = (x - mus[i]) * invSigma[i];
                double t = constant[i] - 0.5 * z * z;
                terms[i] = t;
                if (t > max) {
                    max = t;
                }
            }
            return logSumExp(terms, max);
        }
    }

    /** A mixture of categorical kernels over {@code k} choices. */
    public static final class Categorical {
        final double[] probabilities;

        /**
         * Builds the estimator.
         *
         * @param obs observed choice indices, oldest first
         * @param k the number of choices
         * @param priorWeight the prior kernel's weight
         */
        public Categorical(int[] obs, int k, double priorWeight) {
            int n = obs.length;
            double[] w = mixtureWeights(n, priorWeight);
            probabilities = new double[k];
            for (int i = 0; i <= n; i++) {
                double rowSum = priorWeight + (i < n ? 1 : 0);
                for (int c = 0; c < k; c++) {
                    double cell = priorWeight / k + (i < n && obs[i] == c ? 1 : 0);
                    probabilities[c] += w[i] * cell / rowSum;
                }
            }
        }

        /**
         * Draws a choice index.
         *
         * @param random the generator
         * @return the index
         */
        public int sample(Random random) {
            return pick(probabilities, random);
        }

        /**
         * Returns the log probability of a choice.
         *
         * @param c the index
         * @return the log probability
         */
        public double logPmf(int c) {
            return Math.log(Math.max(probabilities[c], Double.MIN_VALUE));
        }
    }

    /**
     * A joint estimator over several dimensions: one product kernel per observation (plus the prior), with Scott-rule
     * bandwidths for numeric dimensions, as Optuna's multivariate TPE.
     */
    public static final class Joint {
        final double[][] obs;
        final double[] low;
        final double[] high;
        final int[] categories;
        final double[] weights;
        final double[] logWeights;
        final double[][] sigmas;
        final double[][] logNorm;
        final double priorWeight;

        /**
         * Builds the estimator.
         *
         * @param obs observations, one row per trial (oldest first), one column per dimension (choice indices for
         *     categorical dimensions)
         * @param low lower bounds (numeric dimensions)
         * @param high upper bounds (numeric dimensions)
         * @param categories the number of choices per dimension, or 0 for a numeric one
         * @param priorWeight the prior kernel's weight
         */
        public Joint(double[][] obs, double[] low, double[] high, int[] categories, double priorWeight) {
            int n = obs.length;
            int d = categories.length;
            this.obs = new double[n + 1][];
            for (int i = 0; i < n; i++) {
                this.obs[i] = obs[i];
            }
            double[] prior = new double[d];
            for (int j = 0; j < d; j++) {
                prior[j] = categories[j] == 0 ? 0.5 * (low[j] + high[j]) : -1;
            }
            this.obs[n] = prior;
            this.low = low;
            this.high = high;
            this.categories = categories;
            this.priorWeight = priorWeight;
            this.weights = mixtureWeights(n, priorWeight);
            this.logWeights = new double[n + 1];
            this.sigmas = new double[n + 1][d];
            this.logNorm = new double[n + 1][d];
            int numeric = 0;
            for (int c : categories) {
                numeric += c == 0 ? 1 : 0;
            }
            double scott = Math.pow(n + 1, -1.0 / (numeric + 4));
            for (int i = 0; i <= n; i++) {
                logWeights[i] = Math.log(weights[i]);
                for (int j = 0; j < d; j++) {
                    if (categories[j] == 0) {
                        double range = high[j] - low[j];
                        double s = i == n ? range : 0.2 * range * scott;
                        double min = range / Math.min(100.0, 1.0 + n);
                        s = i == n ? s : Math.min(range, Math.max(min, s));
                        sigmas[i][j] = s > 0 ? s : 1e-6;
                        logNorm[i][j] = logMass(this.obs[i][j], sigmas[i][j], low[j], high[j]);
                    }
                }
            }
        }

        /**
         * Draws a point.
         *
         * @param random the generator
         * @return one value per dimension
         */
        public double[] sample(Random random) {
            int k = pick(weights, random);
            double[] x = new double[categories.length];
            for (int j = 0; j < x.length; j++) {
                if (categories[j] == 0) {
                    x[j] = truncatedNormal(obs[k][j], sigmas[k][j], low[j], high[j], random);
                } else {
                    x[j] = sampleCategory(k, j, random);
                }
            }
            return x;
        }

        private int sampleCategory(int kernel, int dim, Random random) {
            int kc = categories[dim];
            double[] row = new double[kc];
            for (int c = 0; c < kc; c++) {
                row[c] = categoryMass(kernel, dim, c);
            }
            return pick(row, random);
        }

        private double categoryMass(int kernel, int dim, int c) {
            int kc = categories[dim];
            boolean prior = kernel == obs.length - 1;
            double rowSum = priorWeight + (prior ? 0 : 1);
            return (priorWeight / kc + (!prior && (int) obs[kernel][dim] == c ? 1 : 0)) / rowSum;
        }

        /**
         * Returns the log density at a point.
         *
         * @param x one value per dimension
         * @return the log density
         */
        public double logPdf(double[] x) {
            if (constant == null) {
                prepare();
            }
            double[] terms = new double[obs.length];
            double max = Double.NEGATIVE_INFINITY;
            int prior = obs.length - 1;
            for (int i = 0; i < obs.length; i++) {
                double t = constant[i];
                for (int j = 0; j < x.length; j++) {
                    if (categories[j] == 0) {
                        double z = (x[j] - obs[i][j]) * invSigma[i][j];
                        t -= 0.5 * z * z;
                    } else if (i == prior) {
                        t += logPriorCategory[j];
                    } else {
                        t += (int) obs[i][j] == (int) x[j] ? logMatch[j] : logOther[j];
                    }
                }
                terms[i] = t;
                if (t > max) {
                    max = t;
                }
            }
            return logSumExp(terms, max);
        }

        private double[] constant;
        private double[][] invSigma;
        private double[] logMatch;
        private double[] logOther;
        private double[] logPriorCategory;

        private void prepare() {
            int n = obs.length;
            int d = categories.length;
            double[] c = new double[n];
            double[][] inv = new double[n][d];
            for (int i = 0; i < n; i++) {
                c[i] = logWeights[i];
                for (int j = 0; j < d; j++) {
                    if (categories[j] == 0) {
                        inv[i][j] = 1 / sigmas[i][j];
                        c[i] += -LOG_SQRT_2PI - Math.log(sigmas[i][j]) - logNorm[i][j];
                    }
                }
            }
            logMatch = new double[d];
            logOther = new double[d];
            logPriorCategory = new double[d];
            for (int j = 0; j < d; j++) {
                if (categories[j] > 0) {
                    int k = categories[j];
                    logMatch[j] = Math.log((priorWeight / k + 1) / (priorWeight + 1));
                    logOther[j] = Math.log((priorWeight / k) / (priorWeight + 1));
                    logPriorCategory[j] = -Math.log(k);
                }
            }
            invSigma = inv;
            constant = c;
        }
    }

    // ---------------------------------------------------------------- helpers

    static int pick(double[] weights, Random random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static double logSumExp(double[] terms, double max) {
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        double cutoff = max - NEGLIGIBLE;
        for (double t : terms) {
            if (t > cutoff) {
                sum += Math.exp(t - max);
            }
        }
        return max + Math.log(sum);
    }

    /** log of the normal kernel's mass inside [low, high]. */
    static double logMass(double mu, double sigma, double low, double high) {
        double a = (low - mu) / sigma;
        double b = (high - mu) / sigma;
        if (a < -FULL_MASS_Z && b > FULL_MASS_Z) {
            return 0;
        }
        double mass = a > 0 ? STD.survivalProbability(a) - STD.survivalProbability(b)
                : STD.cumulativeProbability(b) - STD.cumulativeProbability(a);
        return Math.log(Math.max(mass, Double.MIN_NORMAL));
    }

    /** Draws from a normal truncated to [low, high] by inverting its distribution function. */
    static double truncatedNormal(double mu, double sigma, double low, double high, Random random) {
        if (high <= low) {
            return low;
        }
        double a = (low - mu) / sigma;
        double b = (high - mu) / sigma;
        double z;
        if (a > 0) {
            double sa = STD.survivalProbability(a);
            double sb = STD.survivalProbability(b);
            double u = sb + random.nextDouble() * (sa - sb);
            z = STD.inverseSurvivalProbability(u);
        } else {
            double ca = STD.cumulativeProbability(a);
            double cb = STD.cumulativeProbability(b);
            double u = ca + random.nextDouble() * (cb - ca);
            z = STD.inverseCumulativeProbability(u);
        }
        double x = mu + sigma * z;
        if (!Double.isFinite(x)) {
            x = mu;
        }
        return Math.min(high, Math.max(low, x));
    }
}
