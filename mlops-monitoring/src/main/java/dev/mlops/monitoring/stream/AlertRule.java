package dev.mlops.monitoring.stream;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When a window metric raises an alert: a fixed threshold, a band learned from reference chunks (mean plus or minus
 * three standard deviations, as NannyML), and optionally only after N consecutive breaching windows.
 *
 * <p>A rule fires once when its streak of breaching windows reaches N, and again only after a window within bounds
 * has re-armed it, so one lasting breach raises one alert. Windows without the metric (for instance no labels yet)
 * neither extend nor break a streak.
 *
 * <pre>{@code
 * AlertRule.below("accuracy", 0.9).consecutive(3)
 * AlertRule.above("drift.share", 0.5)
 * AlertRule.learned("drift.income", referenceChunkValues)      // mean +/- 3 sigma
 * }</pre>
 *
 * <p>Immutable and thread-safe; the streaks live in the monitor.
 *
 * @param name the rule's name, used in alerts
 * @param metric the window metric watched, for instance {@code "accuracy"} or {@code "drift.age"}
 * @param lower the lowest value within bounds, or NaN for none
 * @param upper the highest value within bounds, or NaN for none
 * @param consecutive how many breaching windows in a row raise the alert (1 or more)
 */
public record AlertRule(String name, String metric, double lower, double upper, int consecutive) {
    /** The width of a learned band in standard deviations, as NannyML's. */
    public static final double DEFAULT_SIGMAS = 3.0;

    /**
     * Validates the rule.
     *
     * @throws InvalidArgumentException if the metric is empty, both bounds are missing, the bounds are crossed or
     *     consecutive is less than 1
     */
    public AlertRule {
        if (metric == null || metric.isBlank()) {
            throw new InvalidArgumentException("an alert rule needs a metric, but it was " + metric);
        }
        if (name == null || name.isBlank()) {
            name = metric;
        }
        if (Double.isNaN(lower) && Double.isNaN(upper)) {
            throw new InvalidArgumentException("alert rule '" + name + "' needs a lower or an upper bound");
        }
        if (lower > upper) {
            throw new InvalidArgumentException("alert rule '" + name + "' has lower bound " + lower
                    + " above upper bound " + upper);
        }
        if (consecutive < 1) {
            throw new InvalidArgumentException("alert rule '" + name + "' needs consecutive >= 1, but was " + consecutive);
        }
    }

    /**
     * Alerts when a metric rises above a threshold.
     *
     * @param metric the metric
     * @param threshold the highest value within bounds
     * @return the rule
     */
    public static AlertRule above(String metric, double threshold) {
        return new AlertRule(metric + " above " + threshold, metric, Double.NaN, finite(threshold), 1);
    }

    /**
     * Alerts when a metric falls below a threshold.
     *
     * @param metric the metric
     * @param threshold the lowest value within bounds
     * @return the rule
     */
    public static AlertRule below(String metric, double threshold) {
        return new AlertRule(metric + " below " + threshold, metric, finite(threshold), Double.NaN, 1);
    }

    /**
     * Alerts when a metric leaves a band.
     *
     * @param metric the metric
     * @param lower the lowest value within bounds
     * @param upper the highest value within bounds
     * @return the rule
     */
    public static AlertRule outside(String metric, double lower, double upper) {
        return new AlertRule(metric + " outside [" + lower + ", " + upper + "]", metric, finite(lower), finite(upper), 1);
    }

    /**
     * Alerts when a metric leaves the band {@code mean +/- 3 sigma} of its values on reference chunks.
     *
     * @param metric the metric
     * @param referenceValues the metric on each reference chunk, at least 2 finite values
     * @return the rule
     * @throws InvalidArgumentException if there are fewer than 2 finite values
     */
    public static AlertRule learned(String metric, List<Double> referenceValues) {
        return learned(metric, referenceValues, DEFAULT_SIGMAS);
    }

    /**
     * Alerts when a metric leaves the band {@code mean +/- sigmas * sd} of its values on reference chunks (sample
     * standard deviation).
     *
     * @param metric the metric
     * @param referenceValues the metric on each reference chunk, at least 2 finite values (NaN values are skipped)
     * @param sigmas the band's half width in standard deviations, positive
     * @return the rule
     * @throws InvalidArgumentException if there are fewer than 2 finite values or sigmas is not positive
     */
    public static AlertRule learned(String metric, List<Double> referenceValues, double sigmas) {
        Objects.requireNonNull(referenceValues, "referenceValues");
        if (!(sigmas > 0)) {
            throw new InvalidArgumentException("sigmas must be positive, but was " + sigmas);
        }
        double[] v = referenceValues.stream().filter(x -> x != null && Double.isFinite(x))
                .mapToDouble(Double::doubleValue).toArray();
        if (v.length < 2) {
            throw new InvalidArgumentException("a learned threshold for '" + metric + "' needs at least 2 finite "
                    + "reference values, but got " + referenceValues);
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        double lo = mean - sigmas * sd;
        double hi = mean + sigmas * sd;
        return new AlertRule(String.format(Locale.ROOT, "%s outside learned [%.4g, %.4g]", metric, lo, hi), metric, lo,
                hi, 1);
    }

    private static double finite(double x) {
        if (!Double.isFinite(x)) {
            throw new InvalidArgumentException("an alert threshold must be finite, but was " + x);
        }
        return x;
    }

    /**
     * Returns this rule firing only after several breaching windows in a row.
     *
     * @param windows the streak length, 1 or more
     * @return the rule
     */
    public AlertRule consecutive(int windows) {
        return new AlertRule(name.replaceAll(" x\\d+ windows$", "") + (windows > 1 ? " x" + windows + " windows" : ""),
                metric, lower, upper, windows);
    }

    /**
     * Returns this rule under another name.
     *
     * @param newName the name
     * @return the rule
     */
    public AlertRule named(String newName) {
        return new AlertRule(newName, metric, lower, upper, consecutive);
    }

    /**
     * Tells whether a value breaches the rule's bounds. NaN never breaches.
     *
     * @param value the metric value
     * @return true when outside the bounds
     */
    public boolean breaches(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return (!Double.isNaN(lower) && value < lower) || (!Double.isNaN(upper) && value > upper);
    }
}
