package dev.mlops.monitoring.internal;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.monitoring.drift.BinnedShares;
import dev.mlops.monitoring.drift.Binning;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.ColumnRole;
import dev.mlops.monitoring.drift.DriftMethod;
import dev.mlops.monitoring.drift.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tests one column: chooses the method when none is configured (Evidently's rules), prepares the inputs the method
 * needs (raw sorted values, distributions, category counts or bin shares), runs it, and words the verdict.
 */
public final class DriftEngine {
    /** Numeric columns with at most this many distinct values (in both samples together) are categorical. */
    public static final int CATEGORICAL_NUMERIC_LIMIT = 5;
    /** Numeric columns with at most this many distinct values are compared value by value in histograms. */
    public static final int HISTOGRAM_VALUE_LIMIT = 20;
    private static final int DISPLAY_CATEGORIES = 30;

    private DriftEngine() {
    }

    /**
     * What to run on a column.
     *
     * @param method the method, or null for the automatic choice
     * @param threshold the threshold, or NaN for the method's default
     * @param binning the binning of numeric histograms
     * @param minSampleSize the fewest valid values per side for a verdict
     * @param smallSampleLimit the reference size up to which tests, not distances, are chosen automatically
     * @param role the column's role
     */
    public record Plan(DriftMethod method, double threshold, Binning binning, int minSampleSize, int smallSampleLimit,
            ColumnRole role) {
    }

    /**
     * Chooses the method as Evidently does by default.
     *
     * @param ref the reference sample
     * @param cur the current sample
     * @param smallSampleLimit the reference size up to which hypothesis tests are used
     * @return the method
     */
    public static DriftMethod autoMethod(ColumnSample ref, ColumnSample cur, int smallSampleLimit) {
        boolean small = ref.valid() <= smallSampleLimit;
        int distinct = unionDistinct(ref, cur);
        boolean categorical = !ref.numeric() || distinct <= CATEGORICAL_NUMERIC_LIMIT;
        if (small) {
            if (categorical) {
                return distinct <= 2 ? DriftMethod.Z_TEST : DriftMethod.CHI_SQUARE;
            }
            return DriftMethod.KOLMOGOROV_SMIRNOV;
        }
        return categorical ? DriftMethod.JENSEN_SHANNON : DriftMethod.WASSERSTEIN_NORMED;
    }

    /** Distinct values of both samples together; Integer.MAX_VALUE when not known to be few. */
    private static int unionDistinct(ColumnSample ref, ColumnSample cur) {
        if (!ref.numeric()) {
            Set<String> keys = new HashSet<>(ref.categories().keySet());
            keys.addAll(cur.categories().keySet());
            return keys.size();
        }
        if (ref.numericCounts() == null || cur.numericCounts() == null) {
            return Integer.MAX_VALUE;
        }
        Set<Double> keys = new HashSet<>(ref.numericCounts().keySet());
        keys.addAll(cur.numericCounts().keySet());
        return keys.size();
    }

    /**
     * Tests a column.
     *
     * @param ref the reference sample
     * @param cur the current sample of the same column
     * @param plan what to run
     * @return the result
     * @throws InvalidArgumentException if the method cannot run on this column (naming both)
     */
    public static ColumnDrift test(ColumnSample ref, ColumnSample cur, Plan plan) {
        DriftMethod method = plan.method() != null ? plan.method() : autoMethod(ref, cur, plan.smallSampleLimit());
        double threshold = Double.isNaN(plan.threshold()) ? method.defaultThreshold() : plan.threshold();
        if (method.numericOnly() && !ref.numeric()) {
            throw new InvalidArgumentException("drift method " + method.id() + " needs numbers, but column '"
                    + ref.name() + "' is " + ref.type().jsonName());
        }
        BinnedShares shares = ref.valid() > 0 && cur.valid() > 0 ? shares(ref, cur, plan.binning())
                : new BinnedShares(List.of(), List.of(), List.of());
        int min = Math.max(plan.minSampleSize(), method == DriftMethod.KOLMOGOROV_SMIRNOV
                || method == DriftMethod.ANDERSON_DARLING ? DriftMath.KS_MIN_SAMPLE : 1);
        if (ref.valid() < min || cur.valid() < min) {
            String side = ref.valid() < min ? "reference" : "current";
            long n = Math.min(ref.valid(), cur.valid());
            return result(ref, cur, plan, method, threshold, Verdict.INSUFFICIENT_DATA, Double.NaN, Double.NaN,
                    Double.NaN, 0.0, "the " + side + " sample has " + n + " valid values, fewer than the " + min
                            + " needed for a verdict", shares);
        }
        return switch (method) {
            case KOLMOGOROV_SMIRNOV -> ks(ref, cur, plan, threshold, shares);
            case ANDERSON_DARLING -> anderson(ref, cur, plan, threshold, shares);
            case WASSERSTEIN, WASSERSTEIN_NORMED -> wasserstein(ref, cur, plan, method, threshold, shares);
            case JENSEN_SHANNON, PSI, HELLINGER -> histogram(ref, cur, plan, method, threshold);
            case CHI_SQUARE -> chiSquare(ref, cur, plan, threshold, shares);
            case Z_TEST -> zTest(ref, cur, plan, threshold, shares);
        };
    }

    private static ColumnDrift ks(ColumnSample ref, ColumnSample cur, Plan plan, double threshold,
            BinnedShares shares) {
        double[] a = raw(ref);
        double[] b = raw(cur);
        double d;
        double p;
        double error;
        String how;
        if (a != null && b != null && Math.max(a.length, b.length) <= DriftMath.KS_EXACT_LIMIT) {
            double[] r = DriftMath.ksTest(a, b);
            d = r[0];
            p = r[1];
            error = 0;
            how = "exact";
        } else if (a != null && b != null) {
            d = DriftMath.ksStatistic(ref.ecdf(), cur.ecdf());
            p = DriftMath.ksAsymptoticP(d, a.length, b.length);
            error = 0;
            how = "asymptotic";
        } else {
            d = DriftMath.ksStatistic(ref.ecdf(), cur.ecdf());
            p = DriftMath.ksAsymptoticP(d, ref.valid(), cur.valid());
            error = ref.ecdf().rankError() + cur.ecdf().rankError();
            how = "asymptotic, from a sketch";
        }
        return pValueResult(ref, cur, plan, DriftMethod.KOLMOGOROV_SMIRNOV, threshold, d, p, d, error,
                "KS D = " + fmt(d) + ", " + how + " p-value", shares);
    }

    private static ColumnDrift anderson(ColumnSample ref, ColumnSample cur, Plan plan, double threshold,
            BinnedShares shares) {
        double[] a = raw(ref);
        double[] b = raw(cur);
        if (a == null || b == null) {
            throw new InvalidArgumentException("drift method anderson needs raw values, but column '" + ref.name()
                    + "' comes from a sketched profile; use ks, wasserstein_normed or a histogram measure instead");
        }
        if (a.length + b.length < 4 || (a[0] == a[a.length - 1] && b[0] == b[b.length - 1] && a[0] == b[0])) {
            return result(ref, cur, plan, DriftMethod.ANDERSON_DARLING, threshold, Verdict.NO_DRIFT, 0.0, 1.0, 0.0, 0.0,
                    "both samples hold one and the same value: no drift", shares);
        }
        AndersonDarling.Result r = AndersonDarling.test(new double[][] {a, b}, true);
        double d = DriftMath.ksStatistic(ref.ecdf(), cur.ecdf());
        return pValueResult(ref, cur, plan, DriftMethod.ANDERSON_DARLING, threshold, r.standardized(), r.pValue(), d,
                0.0, "standardized A2 = " + fmt(r.standardized()) + (r.clipped() ? ", p-value clipped to "
                        + fmt(r.pValue()) + " (interpolation range 0.001 to 0.25)" : ""), shares);
    }

    private static ColumnDrift wasserstein(ColumnSample ref, ColumnSample cur, Plan plan, DriftMethod method,
            double threshold, BinnedShares shares) {
        double w = DriftMath.wasserstein(ref.ecdf(), cur.ecdf());
        double norm = Math.max(ref.populationStd(), 0.001);
        double error = ref.ecdf().rankError() * (ref.max() - ref.min())
                + cur.ecdf().rankError() * (cur.max() - cur.min());
        boolean normed = method == DriftMethod.WASSERSTEIN_NORMED;
        double stat = normed ? w / norm : w;
        return distanceResult(ref, cur, plan, method, threshold, stat, w / norm, normed ? error / norm : error,
                (normed ? "Wasserstein distance / reference std = " : "Wasserstein distance = ") + fmt(stat), shares);
    }

    private static ColumnDrift histogram(ColumnSample ref, ColumnSample cur, Plan plan, DriftMethod method,
            double threshold) {
        Shares s = sharesWithErrors(ref, cur, plan.binning());
        double[] p = s.reference;
        double[] q = s.current;
        double stat;
        double error;
        String what;
        switch (method) {
            case PSI -> {
                double[] ps = DriftMath.smooth(p, plan.binning().epsilon());
                double[] qs = DriftMath.smooth(q, plan.binning().epsilon());
                stat = DriftMath.psi(ps, qs);
                error = DriftMath.psiError(ps, qs, s.referenceError, s.currentError, plan.binning().epsilon());
                what = "PSI";
            }
            case HELLINGER -> {
                stat = DriftMath.hellinger(p, q);
                error = DriftMath.hellingerError(p, q, s.referenceError, s.currentError);
                what = "Hellinger distance";
            }
            default -> {
                stat = DriftMath.jensenShannon(p, q);
                error = DriftMath.jensenShannonError(p, q, s.referenceError, s.currentError);
                what = "Jensen-Shannon distance";
            }
        }
        return distanceResult(ref, cur, plan, method, threshold, stat, stat, Double.isNaN(s.referenceError)
                ? Double.NaN : error, what + " = " + fmt(stat) + " over " + p.length + " bins", s.toShares());
    }

    private static ColumnDrift chiSquare(ColumnSample ref, ColumnSample cur, Plan plan, double threshold,
            BinnedShares display) {
        Shares s = sharesWithErrors(ref, cur, plan.binning());
        long[] a = counts(s.reference, ref.valid());
        long[] b = counts(s.current, cur.valid());
        double[] r = DriftMath.chiSquare(a, b);
        long total = 0;
        for (int i = 0; i < a.length; i++) {
            total += a[i] + b[i];
        }
        double error = s.referenceError == 0 && s.currentError == 0 && exactCounts(ref) && exactCounts(cur) ? 0.0
                : Double.NaN;
        return pValueResult(ref, cur, plan, DriftMethod.CHI_SQUARE, threshold, r[0], r[1],
                DriftMath.cramersV(r[0], total), error, "chi-square = " + fmt(r[0]) + " with " + (long) r[2] + " df",
                s.toShares());
    }

    private static boolean exactCounts(ColumnSample s) {
        return s.numeric() ? s.sorted() != null || s.numericCounts() != null : s.categoryError() == 0;
    }

    private static ColumnDrift zTest(ColumnSample ref, ColumnSample cur, Plan plan, double threshold,
            BinnedShares display) {
        Shares s = sharesWithErrors(ref, cur, plan.binning());
        if (s.reference.length > 2) {
            throw new InvalidArgumentException("drift method z needs a column with at most 2 values, but column '"
                    + ref.name() + "' has " + s.reference.length + ": " + s.labels);
        }
        long[] a = counts(s.reference, ref.valid());
        long[] b = counts(s.current, cur.valid());
        double[] r = DriftMath.zTest(a[0], ref.valid(), b[0], cur.valid());
        double h = DriftMath.cohensH((double) a[0] / ref.valid(), (double) b[0] / cur.valid());
        double error = exactCounts(ref) && exactCounts(cur) ? 0.0 : Double.NaN;
        return pValueResult(ref, cur, plan, DriftMethod.Z_TEST, threshold, r[0], r[1], h, error,
                "z = " + fmt(r[0]) + " for the share of '" + s.labels.get(0) + "'", s.toShares());
    }

    private static long[] counts(double[] shares, long n) {
        long[] c = new long[shares.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.round(shares[i] * n);
        }
        return c;
    }

    /** Raw sorted values: kept for frames, expanded from a sketch that still holds every value. */
    private static double[] raw(ColumnSample s) {
        if (s.sorted() != null) {
            return s.sorted();
        }
        Ecdf e = s.ecdf();
        if (e.rankError() != 0 || e.count() > 1_000_000) {
            return null;
        }
        double[] out = new double[(int) e.count()];
        int k = 0;
        double prev = 0;
        for (int i = 0; i < e.steps(); i++) {
            long upTo = Math.round(e.cumulativeFraction(i) * e.count());
            for (long j = Math.round(prev); j < upTo; j++) {
                out[k++] = e.value(i);
            }
            prev = upTo;
        }
        return out;
    }

    private static ColumnDrift pValueResult(ColumnSample ref, ColumnSample cur, Plan plan, DriftMethod method,
            double threshold, double stat, double p, double effect, double error, String what, BinnedShares shares) {
        boolean drift = p < threshold;
        String detail = what + "; p-value " + fmt(p) + (drift ? " < " : " >= ") + fmt(threshold)
                + (drift ? ": drift" : ": no drift");
        return result(ref, cur, plan, method, threshold, drift ? Verdict.DRIFT : Verdict.NO_DRIFT, stat, p, effect,
                error, detail, shares);
    }

    private static ColumnDrift distanceResult(ColumnSample ref, ColumnSample cur, Plan plan, DriftMethod method,
            double threshold, double stat, double effect, double error, String what, BinnedShares shares) {
        boolean drift = stat >= threshold;
        String detail = what + (drift ? " >= " : " < ") + fmt(threshold) + (drift ? ": drift" : ": no drift")
                + (error > 0 ? " (sketch error up to " + fmt(error)
                        + (error >= Math.abs(stat - threshold) ? "; the verdict is within the error" : "") + ")" : "");
        return result(ref, cur, plan, method, threshold, drift ? Verdict.DRIFT : Verdict.NO_DRIFT, stat, Double.NaN,
                effect, error, detail, shares);
    }

    private static ColumnDrift result(ColumnSample ref, ColumnSample cur, Plan plan, DriftMethod method,
            double threshold, Verdict verdict, double stat, double p, double effect, double error, String detail,
            BinnedShares shares) {
        return new ColumnDrift(ref.name(), plan.role(), ref.type(), method, verdict, stat, p, effect, threshold,
                ref.valid(), cur.valid(), ref.missing(), cur.missing(), error, detail, shares);
    }

    /** Shares per bin or category of both samples, with the largest error of a share on each side. */
    private static final class Shares {
        final List<String> labels;
        final double[] reference;
        final double[] current;
        final double referenceError;
        final double currentError;

        Shares(List<String> labels, double[] reference, double[] current, double referenceError, double currentError) {
            this.labels = labels;
            this.reference = reference;
            this.current = current;
            this.referenceError = referenceError;
            this.currentError = currentError;
        }

        BinnedShares toShares() {
            return DriftEngine.toShares(labels, reference, current);
        }
    }

    private static BinnedShares toShares(List<String> labels, double[] reference, double[] current) {
        List<Double> r = new ArrayList<>(reference.length);
        List<Double> c = new ArrayList<>(current.length);
        for (int i = 0; i < reference.length; i++) {
            r.add(reference[i]);
            c.add(current[i]);
        }
        return new BinnedShares(labels, r, c);
    }

    /** The shares drawn in reports: at most 30 categories, the rest lumped into one. */
    private static BinnedShares shares(ColumnSample ref, ColumnSample cur, Binning binning) {
        Shares s = sharesWithErrors(ref, cur, binning);
        if (s.labels.size() <= DISPLAY_CATEGORIES) {
            return s.toShares();
        }
        int keep = DISPLAY_CATEGORIES - 1;
        List<String> labels = new ArrayList<>(s.labels.subList(0, keep));
        labels.add("(" + (s.labels.size() - keep) + " others)");
        double[] r = new double[DISPLAY_CATEGORIES];
        double[] c = new double[DISPLAY_CATEGORIES];
        for (int i = 0; i < s.labels.size(); i++) {
            int to = Math.min(i, keep);
            r[to] += s.reference[i];
            c[to] += s.current[i];
        }
        return toShares(labels, r, c);
    }

    private static Shares sharesWithErrors(ColumnSample ref, ColumnSample cur, Binning binning) {
        if (!ref.numeric()) {
            return categoryShares(ref, cur);
        }
        if (ref.numericCounts() != null && cur.numericCounts() != null) {
            TreeSet<Double> keys = new TreeSet<>(ref.numericCounts().keySet());
            keys.addAll(cur.numericCounts().keySet());
            if (keys.size() <= HISTOGRAM_VALUE_LIMIT) {
                List<String> labels = new ArrayList<>();
                double[] p = new double[keys.size()];
                double[] q = new double[keys.size()];
                int i = 0;
                for (Double k : keys) {
                    labels.add(number(k));
                    p[i] = (double) ref.numericCounts().getOrDefault(k, 0L) / ref.valid();
                    q[i] = (double) cur.numericCounts().getOrDefault(k, 0L) / cur.valid();
                    i++;
                }
                return new Shares(labels, p, q, 0.0, 0.0);
            }
        }
        double[] edges = edges(ref, cur, binning);
        List<String> labels = new ArrayList<>(edges.length + 1);
        double lo = Math.min(ref.min(), cur.min());
        double hi = Math.max(ref.max(), cur.max());
        for (int i = 0; i <= edges.length; i++) {
            String left = i == 0 ? number(lo) : number(edges[i - 1]);
            String right = i == edges.length ? number(hi) + "]" : number(edges[i]) + ")";
            labels.add("[" + left + ", " + right);
        }
        return new Shares(labels, DriftMath.masses(ref.ecdf(), edges), DriftMath.masses(cur.ecdf(), edges),
                ref.ecdf().massError(), cur.ecdf().massError());
    }

    /** Inner bin edges for a numeric column. */
    public static double[] edges(ColumnSample ref, ColumnSample cur, Binning binning) {
        if (binning.strategy() == Binning.Strategy.REFERENCE_QUANTILES) {
            int bins = binning.bins() == 0 ? DriftMath.sturges(ref.valid()) : binning.bins();
            return DriftMath.quantileEdges(ref.ecdf(), bins);
        }
        int bins = binning.bins() == 0 ? DriftMath.sturges(ref.valid() + cur.valid()) : binning.bins();
        return DriftMath.equalWidthEdges(Math.min(ref.min(), cur.min()), Math.max(ref.max(), cur.max()), bins);
    }

    private static Shares categoryShares(ColumnSample ref, ColumnSample cur) {
        Map<String, Long> a = ref.categories();
        Map<String, Long> b = cur.categories();
        Map<String, long[]> both = new HashMap<>();
        a.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[0] = v);
        b.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[1] = v);
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(both.entrySet());
        entries.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey));
        List<String> labels = new ArrayList<>();
        double[] p = new double[entries.size()];
        double[] q = new double[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            labels.add(entries.get(i).getKey());
            p[i] = ref.valid() == 0 ? 0 : (double) entries.get(i).getValue()[0] / ref.valid();
            q[i] = cur.valid() == 0 ? 0 : (double) entries.get(i).getValue()[1] / cur.valid();
        }
        // Items a frequent-items sketch dropped count towards the error, not towards a category.
        return new Shares(labels, p, q, ref.valid() == 0 ? 0 : (double) ref.categoryError() / ref.valid(),
                cur.valid() == 0 ? 0 : (double) cur.categoryError() / cur.valid());
    }

    private static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return String.format(Locale.ROOT, "%.3g", x);
    }

    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (x != 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
