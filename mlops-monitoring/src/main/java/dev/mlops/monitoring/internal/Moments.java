package dev.mlops.monitoring.internal;

/**
 * Count, mean, sum of squared deviations, minimum and maximum of finite values, updated in chunks and merged with
 * the pairwise formulas of Chan, Golub and LeVeque, which stay accurate where a running sum of squares would not.
 * Not thread-safe.
 */
public final class Moments {
    private long n;
    private double mean;
    private double m2;
    private double min = Double.NaN;
    private double max = Double.NaN;

    /** Creates empty moments. */
    public Moments() {
    }

    /**
     * Restores moments from their parts.
     *
     * @param n the count
     * @param mean the mean
     * @param m2 the sum of squared deviations from the mean
     * @param min the minimum
     * @param max the maximum
     * @return the moments
     */
    public static Moments of(long n, double mean, double m2, double min, double max) {
        Moments m = new Moments();
        m.n = n;
        m.mean = n == 0 ? 0 : mean;
        m.m2 = n == 0 ? 0 : m2;
        m.min = n == 0 ? Double.NaN : min;
        m.max = n == 0 ? Double.NaN : max;
        return m;
    }

    /**
     * Adds one value.
     *
     * @param x a finite value
     */
    public void add(double x) {
        n++;
        double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
        if (n == 1) {
            min = x;
            max = x;
        } else {
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
    }

    /**
     * Adds a chunk of values with a two-pass computation, then merges it.
     *
     * @param values finite values
     * @param length how many leading values to add
     */
    public void addAll(double[] values, int length) {
        if (length == 0) {
            return;
        }
        double sum = 0;
        double lo = values[0];
        double hi = values[0];
        for (int i = 0; i < length; i++) {
            double x = values[i];
            sum += x;
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        double chunkMean = sum / length;
        double chunkM2 = 0;
        for (int i = 0; i < length; i++) {
            double d = values[i] - chunkMean;
            chunkM2 += d * d;
        }
        merge(length, chunkMean, chunkM2, lo, hi);
    }

    /**
     * Merges other moments into these.
     *
     * @param other the other moments
     */
    public void merge(Moments other) {
        merge(other.n, other.mean, other.m2, other.min, other.max);
    }

    private void merge(long nb, double meanB, double m2b, double minB, double maxB) {
        if (nb == 0) {
            return;
        }
        if (n == 0) {
            n = nb;
            mean = meanB;
            m2 = m2b;
            min = minB;
            max = maxB;
            return;
        }
        long total = n + nb;
        double delta = meanB - mean;
        mean += delta * nb / total;
        m2 += m2b + delta * delta * ((double) n * nb / total);
        n = total;
        min = Math.min(min, minB);
        max = Math.max(max, maxB);
    }

    /**
     * Returns a copy.
     *
     * @return independent moments with the same state
     */
    public Moments copy() {
        return of(n, mean, m2, min, max);
    }

    /** @return the count */
    public long n() {
        return n;
    }

    /** @return the mean, or NaN when empty */
    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** @return the sum of squared deviations from the mean */
    public double m2() {
        return m2;
    }

    /** @return the minimum, or NaN when empty */
    public double min() {
        return min;
    }

    /** @return the maximum, or NaN when empty */
    public double max() {
        return max;
    }

    /** @return the sample variance (n - 1 in the denominator), or NaN below two values */
    public double sampleVariance() {
        return n < 2 ? Double.NaN : Math.max(0.0, m2 / (n - 1));
    }

    /** @return the population variance (n in the denominator), or NaN when empty */
    public double populationVariance() {
        return n == 0 ? Double.NaN : Math.max(0.0, m2 / n);
    }
}
