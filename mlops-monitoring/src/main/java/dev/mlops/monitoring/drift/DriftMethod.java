package dev.mlops.monitoring.drift;

/**
 * The drift tests and distances, with their default thresholds (Evidently's) and effect sizes.
 *
 * <table>
 * <caption>Methods</caption>
 * <tr><th>method</th><th>for</th><th>statistic</th><th>drift when</th><th>effect size</th></tr>
 * <tr><td>{@link #KOLMOGOROV_SMIRNOV}</td><td>numbers</td><td>D = sup |F - G|</td><td>p &lt; 0.05</td><td>D</td></tr>
 * <tr><td>{@link #CHI_SQUARE}</td><td>categories (or bins)</td><td>chi-square of homogeneity, 2 x k, no continuity
 * correction</td><td>p &lt; 0.05</td><td>Cramér's V</td></tr>
 * <tr><td>{@link #Z_TEST}</td><td>two categories</td><td>z of the difference of proportions, pooled</td>
 * <td>p &lt; 0.05</td><td>Cohen's h</td></tr>
 * <tr><td>{@link #ANDERSON_DARLING}</td><td>numbers</td><td>standardized k-sample A2 (midranks)</td>
 * <td>p &lt; 0.05</td><td>KS D</td></tr>
 * <tr><td>{@link #WASSERSTEIN}</td><td>numbers</td><td>W1 in the column's units</td><td>&ge; threshold (none by
 * default: set one)</td><td>W1 / reference std</td></tr>
 * <tr><td>{@link #WASSERSTEIN_NORMED}</td><td>numbers</td><td>W1 / max(reference population std, 0.001)</td>
 * <td>&ge; 0.1</td><td>the statistic</td></tr>
 * <tr><td>{@link #JENSEN_SHANNON}</td><td>histograms</td><td>JS distance, natural log, in [0, 0.8326]</td>
 * <td>&ge; 0.1</td><td>the statistic</td></tr>
 * <tr><td>{@link #PSI}</td><td>histograms</td><td>sum (q - p) ln(q / p), empty bins smoothed</td><td>&ge; 0.1</td>
 * <td>the statistic</td></tr>
 * <tr><td>{@link #HELLINGER}</td><td>histograms</td><td>sqrt(1 - sum sqrt(p q)), in [0, 1]</td><td>&ge; 0.1</td>
 * <td>the statistic</td></tr>
 * </table>
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov: exact p-value up to 10,000 values per sample, asymptotic above. */
    KOLMOGOROV_SMIRNOV("ks", true, 0.05, true),
    /** Chi-square test of homogeneity on category (or bin) counts, without continuity correction. */
    CHI_SQUARE("chisquare", true, 0.05, false),
    /** Two-proportion Z-test for binary columns. */
    Z_TEST("z", true, 0.05, false),
    /** k-sample Anderson-Darling (Scholz and Stephens), p-value interpolated within [0.001, 0.25]; raw rows only. */
    ANDERSON_DARLING("anderson", true, 0.05, true),
    /** First Wasserstein distance in the column's units. */
    WASSERSTEIN("wasserstein", false, Double.NaN, true),
    /** First Wasserstein distance divided by the reference's population standard deviation (at least 0.001). */
    WASSERSTEIN_NORMED("wasserstein_normed", false, 0.1, true),
    /** Jensen-Shannon distance of the binned distributions. */
    JENSEN_SHANNON("jensenshannon", false, 0.1, false),
    /** Population stability index of the binned distributions. */
    PSI("psi", false, 0.1, false),
    /** Hellinger distance of the binned distributions. */
    HELLINGER("hellinger", false, 0.1, false);

    private final String id;
    private final boolean pValue;
    private final double defaultThreshold;
    private final boolean numericOnly;

    DriftMethod(String id, boolean pValue, double defaultThreshold, boolean numericOnly) {
        this.id = id;
        this.pValue = pValue;
        this.defaultThreshold = defaultThreshold;
        this.numericOnly = numericOnly;
    }

    /**
     * Returns the short name used in reports and JSON, such as {@code "ks"} or {@code "psi"}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Tells whether the method yields a p-value (drift when {@code p < threshold}) rather than a distance (drift
     * when {@code statistic >= threshold}).
     *
     * @return true for hypothesis tests
     */
    public boolean hasPValue() {
        return pValue;
    }

    /**
     * Returns the default threshold: the significance level for tests, the distance for distances.
     *
     * @return the threshold, NaN for {@link #WASSERSTEIN} (which has no scale-free default)
     */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /**
     * Tells whether the method needs numeric values (it cannot run on strings or booleans).
     *
     * @return true for KS, Anderson-Darling and the Wasserstein distances
     */
    public boolean numericOnly() {
        return numericOnly;
    }
}
