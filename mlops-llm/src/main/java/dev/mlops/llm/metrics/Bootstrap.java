package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.SplitMix;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Bootstrap resampling over segments for any {@link CorpusMetric}: a confidence interval for one system, and the
 * paired bootstrap test between two systems (Koehn, 2004), both seeded so that a seed gives the same answer on every
 * run and JDK.
 *
 * <p>Each resample draws as many segments as there are, with replacement, sums their statistics and scores the sum,
 * as sacreBLEU does, so BLEU's interval is over corpus BLEU, not over sentence scores. Intervals use percentiles with
 * linear interpolation (numpy's default). The resamples are not those of sacreBLEU's numpy generator, so intervals
 * agree with sacreBLEU's in distribution, not digit for digit. Immutable and thread-safe.
 *
 * <pre>{@code
 * Bootstrap bs = Bootstrap.defaults();                           // 1000 resamples, seed 12345, 95 %
 * ConfidenceInterval ci = bs.interval(TextMetrics.bleu(), hyps, refs);
 * PairedBootstrapResult t = bs.pairedTest(TextMetrics.bleu(), baselineHyps, candidateHyps, refs);
 * }</pre>
 */
public final class Bootstrap {
    private final int samples;
    private final long seed;
    private final double level;

    private Bootstrap(int samples, long seed, double level) {
        if (samples < 1 || samples > 1_000_000) {
            throw new InvalidArgumentException("bootstrap samples must be 1 to 1,000,000, but was " + samples);
        }
        if (!(level > 0 && level < 1)) {
            throw new InvalidArgumentException("confidence level must be between 0 and 1, but was " + level);
        }
        this.samples = samples;
        this.seed = seed;
        this.level = level;
    }

    /**
     * Returns 1000 resamples, seed 12345 (sacreBLEU's default seed) and a 95 % level.
     *
     * @return the default resampler
     */
    public static Bootstrap defaults() {
        return new Bootstrap(1000, 12345L, 0.95);
    }

    /**
     * Returns a resampler.
     *
     * @param samples the number of resamples, 1 to 1,000,000
     * @param seed the seed
     * @param level the confidence level, strictly between 0 and 1
     * @return the resampler
     * @throws InvalidArgumentException if samples or level is out of range
     */
    public static Bootstrap of(int samples, long seed, double level) {
        return new Bootstrap(samples, seed, level);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param newSeed the seed
     * @return the copy
     */
    public Bootstrap withSeed(long newSeed) {
        return new Bootstrap(samples, newSeed, level);
    }

    /**
     * Returns the number of resamples.
     *
     * @return the count
     */
    public int samples() {
        return samples;
    }

    /**
     * Returns the seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the confidence level.
     *
     * @return for instance 0.95
     */
    public double level() {
        return level;
    }

    /**
     * Computes a confidence interval for a metric on a corpus.
     *
     * @param metric the metric
     * @param predictions one prediction per segment
     * @param references the references of each segment
     * @return the interval
     * @throws InvalidArgumentException if the corpus is empty, the lengths differ, or a segment is not acceptable
     */
    public ConfidenceInterval interval(CorpusMetric metric, List<String> predictions,
            List<? extends List<String>> references) {
        return interval(metric, statistics(metric, predictions, references));
    }

    /**
     * Computes a confidence interval from per-segment statistics.
     *
     * @param metric the metric that produced them
     * @param statistics one row of statistics per segment
     * @return the interval
     * @throws InvalidArgumentException if there are no segments
     */
    public ConfidenceInterval interval(CorpusMetric metric, double[][] statistics) {
        nonEmpty(statistics);
        double score = metric.score(sum(statistics));
        SplitMix rnd = new SplitMix(seed);
        double[] scores = new double[samples];
        int n = statistics.length;
        int k = statistics[0].length;
        double[] acc = new double[k];
        for (int s = 0; s < samples; s++) {
            Arrays.fill(acc, 0);
            for (int i = 0; i < n; i++) {
                double[] row = statistics[rnd.nextInt(n)];
                for (int j = 0; j < k; j++) {
                    acc[j] += row[j];
                }
            }
            scores[s] = metric.score(acc);
        }
        double mean = mean(scores);
        Arrays.sort(scores);
        double tail = (1 - level) / 2;
        return new ConfidenceInterval(metric.name(), score, mean, percentile(scores, tail),
                percentile(scores, 1 - tail), level, samples, seed);
    }

    /**
     * Runs the paired bootstrap test between two systems on the same segments and references.
     *
     * @param metric the metric
     * @param baseline the baseline's predictions
     * @param candidate the candidate's predictions, segment for segment
     * @param references the references of each segment
     * @return the test's outcome
     * @throws InvalidArgumentException if the corpus is empty, the lengths differ, or a segment is not acceptable
     */
    public PairedBootstrapResult pairedTest(CorpusMetric metric, List<String> baseline, List<String> candidate,
            List<? extends List<String>> references) {
        return pairedTest(metric, statistics(metric, baseline, references),
                statistics(metric, candidate, references));
    }

    /**
     * Runs the paired bootstrap test from per-segment statistics. The p-value follows sacreBLEU: for each resample
     * take {@code |candidate - baseline|}, centre these on their mean, and count how often they reach the observed
     * {@code |candidate - baseline|}; {@code p = (count + 1) / (samples + 1)}. sacreBLEU counts only values strictly
     * above the observed one, which gives two identical systems p = 1 / (samples + 1); counting ties as well gives
     * them p = 1, and changes nothing when the observed difference is not zero.
     *
     * @param metric the metric that produced the statistics
     * @param baseline the baseline's statistics, one row per segment
     * @param candidate the candidate's statistics, row for row
     * @return the test's outcome
     * @throws InvalidArgumentException if there are no segments or the row counts differ
     */
    public PairedBootstrapResult pairedTest(CorpusMetric metric, double[][] baseline, double[][] candidate) {
        nonEmpty(baseline);
        if (baseline.length != candidate.length) {
            throw new InvalidArgumentException("a paired test needs the same segments: the baseline has "
                    + baseline.length + " and the candidate " + candidate.length);
        }
        double base = metric.score(sum(baseline));
        double cand = metric.score(sum(candidate));
        double observed = Math.abs(cand - base);
        SplitMix rnd = new SplitMix(seed);
        int n = baseline.length;
        int k = baseline[0].length;
        double[] accA = new double[k];
        double[] accB = new double[k];
        double[] deltas = new double[samples];
        double[] absDeltas = new double[samples];
        int wins = 0;
        for (int s = 0; s < samples; s++) {
            Arrays.fill(accA, 0);
            Arrays.fill(accB, 0);
            for (int i = 0; i < n; i++) {
                int idx = rnd.nextInt(n);
                double[] a = baseline[idx];
                double[] b = candidate[idx];
                for (int j = 0; j < k; j++) {
                    accA[j] += a[j];
                    accB[j] += b[j];
                }
            }
            double d = metric.score(accB) - metric.score(accA);
            deltas[s] = d;
            absDeltas[s] = Math.abs(d);
            if (d > 0) {
                wins++;
            }
        }
        double meanAbs = mean(absDeltas);
        int exceed = 0;
        for (double a : absDeltas) {
            if (a - meanAbs >= observed) {
                exceed++;
            }
        }
        double p = (exceed + 1.0) / (samples + 1.0);
        Arrays.sort(deltas);
        double tail = (1 - level) / 2;
        return new PairedBootstrapResult(metric.name(), base, cand, cand - base, percentile(deltas, tail),
                percentile(deltas, 1 - tail), p, (double) wins / samples, level, samples, seed);
    }

    /**
     * Computes every segment's statistics.
     *
     * @param metric the metric
     * @param predictions one prediction per segment
     * @param references the references of each segment
     * @return one row per segment
     * @throws InvalidArgumentException if the lengths differ or a segment is not acceptable
     */
    public static double[][] statistics(CorpusMetric metric, List<String> predictions,
            List<? extends List<String>> references) {
        Objects.requireNonNull(metric, "metric");
        if (predictions.size() != references.size()) {
            throw new InvalidArgumentException("there are " + predictions.size() + " predictions but "
                    + references.size() + " reference lists");
        }
        double[][] out = new double[predictions.size()][];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = metric.statistics(predictions.get(i), references.get(i));
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("segment " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Sums statistics over segments.
     *
     * @param statistics one row per segment
     * @return the element-wise sum (empty when there are no segments)
     */
    public static double[] sum(double[][] statistics) {
        if (statistics.length == 0) {
            return new double[0];
        }
        double[] acc = new double[statistics[0].length];
        for (double[] row : statistics) {
            for (int j = 0; j < acc.length; j++) {
                acc[j] += row[j];
            }
        }
        return acc;
    }

    /** Percentile with linear interpolation between closest ranks, as numpy's default. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    private static void nonEmpty(double[][] statistics) {
        if (statistics.length == 0) {
            throw new InvalidArgumentException("bootstrap resampling needs at least one segment");
        }
    }

    @Override
    public String toString() {
        return "Bootstrap[samples=" + samples + ", seed=" + seed + ", level=" + level + "]";
    }
}
