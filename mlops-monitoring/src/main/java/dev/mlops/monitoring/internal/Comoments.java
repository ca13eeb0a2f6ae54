package dev.mlops.monitoring.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Pairwise co-moments of numeric columns over the rows where both are finite, for Pearson correlations that merge
 * across shards (Chan's pairwise update). Not thread-safe.
 */
public final class Comoments {
    private final List<String> columns;
    private final long[] n;
    private final double[] meanX;
    private final double[] meanY;
    private final double[] m2X;
    private final double[] m2Y;
    private final double[] cXY;

    /**
     * Creates empty co-moments.
     *
     * @param columns the numeric columns, in order
     */
    public Comoments(List<String> columns) {
        this.columns = List.copyOf(columns);
        int pairs = columns.size() * (columns.size() - 1) / 2;
        n = new long[pairs];
        meanX = new double[pairs];
        meanY = new double[pairs];
        m2X = new double[pairs];
        m2Y = new double[pairs];
        cXY = new double[pairs];
    }

    /**
     * Restores co-moments from their parts (arrays are copied).
     *
     * @param columns the columns
     * @param parts n, meanX, meanY, m2X, m2Y, cXY per pair in {@link #pairIndex} order
     * @return the co-moments
     */
    public static Comoments of(List<String> columns, double[][] parts) {
        Comoments c = new Comoments(columns);
        int pairs = c.n.length;
        for (double[] part : parts) {
            if (part.length != pairs) {
                throw new IllegalArgumentException("expected " + pairs + " pairs but got " + part.length);
            }
        }
        for (int p = 0; p < pairs; p++) {
            c.n[p] = (long) parts[0][p];
        }
        System.arraycopy(parts[1], 0, c.meanX, 0, pairs);
        System.arraycopy(parts[2], 0, c.meanY, 0, pairs);
        System.arraycopy(parts[3], 0, c.m2X, 0, pairs);
        System.arraycopy(parts[4], 0, c.m2Y, 0, pairs);
        System.arraycopy(parts[5], 0, c.cXY, 0, pairs);
        return c;
    }

    /**
     * Returns the parts, for serialization.
     *
     * @return n, meanX, meanY, m2X, m2Y, cXY per pair
     */
    public double[][] parts() {
        double[] counts = new double[n.length];
        for (int p = 0; p < n.length; p++) {
            counts[p] = n[p];
        }
        return new double[][] {counts, meanX.clone(), meanY.clone(), m2X.clone(), m2Y.clone(), cXY.clone()};
    }

    /**
     * Returns the columns.
     *
     * @return the column names
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Returns the position of the pair {@code (i, j)}, {@code i < j}, in the arrays.
     *
     * @param i the first column's position
     * @param j the second column's position
     * @return the pair index
     */
    public int pairIndex(int i, int j) {
        int k = columns.size();
        return i * k - i * (i + 1) / 2 + (j - i - 1);
    }

    /**
     * Adds one row.
     *
     * @param values the row's values in column order; NaN where missing or not finite
     */
    public void addRow(double[] values) {
        int k = columns.size();
        int p = 0;
        for (int i = 0; i < k; i++) {
            double x = values[i];
            for (int j = i + 1; j < k; j++, p++) {
                double y = values[j];
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    continue;
                }
                update(p, x, y);
            }
        }
    }

    /**
     * Adds whole columns (the fast path for frames).
     *
     * @param data per column, the values with NaN where missing or not finite
     * @param rows the number of rows
     */
    public void addColumns(double[][] data, int rows) {
        int k = columns.size();
        // Columns without a missing value in this chunk are centred once, so each of their pairs costs one pass.
        double[][] centred = new double[k][];
        double[] mean = new double[k];
        double[] m2 = new double[k];
        for (int i = 0; i < k; i++) {
            double[] xs = data[i];
            double sum = 0;
            boolean complete = true;
            for (int r = 0; r < rows; r++) {
                double x = xs[r];
                if (x != x) {
                    complete = false;
                    break;
                }
                sum += x;
            }
            if (complete && rows > 0) {
                double mu = sum / rows;
                double[] c = new double[rows];
                double ss = 0;
                for (int r = 0; r < rows; r++) {
                    double d = xs[r] - mu;
                    c[r] = d;
                    ss += d * d;
                }
                centred[i] = c;
                mean[i] = mu;
                m2[i] = ss;
            }
        }
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++, p++) {
                if (centred[i] != null && centred[j] != null) {
                    double[] a = centred[i];
                    double[] b = centred[j];
                    double cxy = 0;
                    for (int r = 0; r < rows; r++) {
                        cxy += a[r] * b[r];
                    }
                    merge(p, rows, mean[i], mean[j], m2[i], m2[j], cxy);
                } else {
                    addPairWithGaps(p, data[i], data[j], rows);
                }
            }
        }
    }

    /** Two passes over the rows where both values are present, then a pairwise merge. */
    private void addPairWithGaps(int p, double[] xs, double[] ys, int rows) {
        long cn = 0;
        double sx = 0;
        double sy = 0;
        for (int r = 0; r < rows; r++) {
            double x = xs[r];
            double y = ys[r];
            if (x == x && y == y) {
                cn++;
                sx += x;
                sy += y;
            }
        }
        if (cn == 0) {
            return;
        }
        double mx = sx / cn;
        double my = sy / cn;
        double vx = 0;
        double vy = 0;
        double cxy = 0;
        for (int r = 0; r < rows; r++) {
            double x = xs[r];
            double y = ys[r];
            if (x == x && y == y) {
                double dx = x - mx;
                double dy = y - my;
                vx += dx * dx;
                vy += dy * dy;
                cxy += dx * dy;
            }
        }
        merge(p, cn, mx, my, vx, vy, cxy);
    }

    private void update(int p, double x, double y) {
        long k = ++n[p];
        double dx = x - meanX[p];
        meanX[p] += dx / k;
        double dy = y - meanY[p];
        meanY[p] += dy / k;
        m2X[p] += dx * (x - meanX[p]);
        m2Y[p] += dy * (y - meanY[p]);
        cXY[p] += dx * (y - meanY[p]);
    }

    private void merge(int p, long nb, double mxb, double myb, double vxb, double vyb, double cb) {
        long na = n[p];
        if (na == 0) {
            n[p] = nb;
            meanX[p] = mxb;
            meanY[p] = myb;
            m2X[p] = vxb;
            m2Y[p] = vyb;
            cXY[p] = cb;
            return;
        }
        long total = na + nb;
        double f = (double) na * nb / total;
        double dx = mxb - meanX[p];
        double dy = myb - meanY[p];
        m2X[p] += vxb + dx * dx * f;
        m2Y[p] += vyb + dy * dy * f;
        cXY[p] += cb + dx * dy * f;
        meanX[p] += dx * nb / total;
        meanY[p] += dy * nb / total;
        n[p] = total;
    }

    /**
     * Merges other co-moments over the same columns into these.
     *
     * @param other the other co-moments
     * @throws IllegalArgumentException if the columns differ
     */
    public void merge(Comoments other) {
        if (!columns.equals(other.columns)) {
            throw new IllegalArgumentException("correlation columns differ: " + columns + " vs " + other.columns);
        }
        for (int p = 0; p < n.length; p++) {
            if (other.n[p] > 0) {
                merge(p, other.n[p], other.meanX[p], other.meanY[p], other.m2X[p], other.m2Y[p], other.cXY[p]);
            }
        }
    }

    /**
     * Returns a copy.
     *
     * @return independent co-moments
     */
    public Comoments copy() {
        return of(columns, parts());
    }

    /**
     * Returns the Pearson correlation of two columns over the rows where both are finite.
     *
     * @param i one column's position
     * @param j the other's
     * @return r in [-1, 1], 1 on the diagonal, NaN when undefined (fewer than 2 rows or a constant column)
     */
    public double correlation(int i, int j) {
        if (i == j) {
            return 1.0;
        }
        int p = pairIndex(Math.min(i, j), Math.max(i, j));
        if (n[p] < 2 || !(m2X[p] > 0) || !(m2Y[p] > 0)) {
            return Double.NaN;
        }
        return Math.max(-1.0, Math.min(1.0, cXY[p] / Math.sqrt(m2X[p] * m2Y[p])));
    }

    @Override
    public String toString() {
        return "Comoments" + columns + Arrays.toString(n);
    }
}
