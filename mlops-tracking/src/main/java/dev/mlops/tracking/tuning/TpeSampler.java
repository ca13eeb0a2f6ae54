package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Distribution;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.tracking.internal.Parzen;
import dev.mlops.tracking.internal.SpaceMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011), with Optuna's defaults and semantics: random draws for
 * the first {@code startupTrials} finished trials; then the finished trials are split into the best
 * {@code gamma(n) = min(ceil(0.1 n), 25)} ("below") and the rest; each parameter gets a Parzen estimator l(x) from
 * the below trials and g(x) from the others (truncated normal kernels on the parameter's log scale where it has one,
 * a prior kernel, older trials down-weighted), {@code eiCandidates} points are drawn from l, and the one with the
 * largest l(x)/g(x), the expected-improvement maximizer, is chosen.
 *
 * <p>Pruned trials rank after complete ones, the deeper and better first, as Optuna ranks them. Multi-objective
 * studies split by non-dominated rank, breaking the last front by crowding distance. With {@code multivariate(true)}
 * the parameters that are always active are modelled jointly (Optuna's multivariate TPE); conditional parameters stay
 * univariate, estimated from the trials in which they were active. Running trials are ignored unless
 * {@code constantLiar(true)}: then they count among the poor trials, so that parallel workers do not all propose the
 * same region (Optuna's constant liar). Not thread-safe; a study calls it from one thread at a time.
 */
public final class TpeSampler implements Sampler {
    private final Random random;
    private final int startupTrials;
    private final int eiCandidates;
    private final IntUnaryOperator gamma;
    private final double priorWeight;
    private final boolean multivariate;
    private final boolean considerEndpoints;
    private final boolean magicClip;
    private final boolean constantLiar;

    private TpeSampler(Builder b) {
        this.random = new Random(b.seed);
        this.startupTrials = b.startupTrials;
        this.eiCandidates = b.eiCandidates;
        this.gamma = b.gamma;
        this.priorWeight = b.priorWeight;
        this.multivariate = b.multivariate;
        this.considerEndpoints = b.considerEndpoints;
        this.magicClip = b.magicClip;
        this.constantLiar = b.constantLiar;
    }

    /**
     * Starts a sampler configuration with Optuna's defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Optuna's default split size: {@code min(ceil(0.1 n), 25)}.
     *
     * @param n finished trials
     * @return how many count as good
     */
    public static int defaultGamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Direction> directions, List<FrozenTrial> trials) {
        List<FrozenTrial> finished = new ArrayList<>();
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE
                    || (t.state() == TrialState.PRUNED && directions.size() == 1 && !t.intermediate().isEmpty())) {
                finished.add(t);
            }
        }
        if (finished.size() < startupTrials) {
            return RandomSampler.draw(space, random);
        }
        int nBelow = Math.max(1, Math.min(finished.size(), gamma.applyAsInt(finished.size())));
        List<FrozenTrial> ranked = rank(finished, directions);
        List<FrozenTrial> below = byNumber(ranked.subList(0, nBelow));
        List<FrozenTrial> above = new ArrayList<>(ranked.subList(nBelow, ranked.size()));
        if (constantLiar) {
            for (FrozenTrial t : trials) {
                if (t.state() == TrialState.RUNNING) {
                    above.add(t); // a running trial counts as a poor one, so parallel workers spread out
                }
            }
        }
        above = byNumber(above);

        Map<String, Object> out = new LinkedHashMap<>();
        if (multivariate) {
            List<SearchSpace.Param> joint = space.params().stream().filter(p -> !p.conditional()).toList();
            if (joint.size() > 1) {
                sampleJoint(joint, below, above, out);
            }
        }
        for (SearchSpace.Param p : space.params()) {
            if (!out.containsKey(p.name()) && space.isActive(p, out)) {
                out.put(p.name(), sampleOne(p, below, above));
            }
        }
        return out;
    }

    private Object sampleOne(SearchSpace.Param p, List<FrozenTrial> below, List<FrozenTrial> above) {
        Distribution d = p.distribution();
        if (d instanceof Distribution.Categorical c) {
            int k = c.choices().size();
            Parzen.Categorical l = new Parzen.Categorical(indices(c, p.name(), below), k, priorWeight);
            Parzen.Categorical g = new Parzen.Categorical(indices(c, p.name(), above), k, priorWeight);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < eiCandidates; i++) {
                int x = l.sample(random);
                double score = l.logPmf(x) - g.logPmf(x);
                if (score > bestScore) {
                    bestScore = score;
                    best = x;
                }
            }
            return c.choices().get(best);
        }
        double[] b = SpaceMath.bounds(d);
        Parzen.Numeric l = new Parzen.Numeric(internal(d, p.name(), below), b[0], b[1], priorWeight,
                considerEndpoints, magicClip);
        Parzen.Numeric g = new Parzen.Numeric(internal(d, p.name(), above), b[0], b[1], priorWeight,
                considerEndpoints, magicClip);
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eiCandidates; i++) {
            double x = l.sample(random);
            double score = l.logPdf(x) - g.logPdf(x);
            if (score > bestScore || Double.isNaN(best)) {
                bestScore = score;
                best = x;
            }
        }
        return d.fromInternal(best);
    }

    private void sampleJoint(List<SearchSpace.Param> params, List<FrozenTrial> below, List<FrozenTrial> above,
            Map<String, Object> out) {
        int dims = params.size();
        double[] low = new double[dims];
        double[] high = new double[dims];
        int[] categories = new int[dims];
        for (int j = 0; j < dims; j++) {
            Distribution d = params.get(j).distribution();
            if (d instanceof Distribution.Categorical c) {
                categories[j] = c.choices().size();
            } else {
                double[] b = SpaceMath.bounds(d);
                low[j] = b[0];
                high[j] = b[1];
            }
        }
        Parzen.Joint l = new Parzen.Joint(rows(params, below), low, high, categories, priorWeight);
        Parzen.Joint g = new Parzen.Joint(rows(params, above), low, high, categories, priorWeight);
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eiCandidates; i++) {
            double[] x = l.sample(random);
            double score = l.logPdf(x) - g.logPdf(x);
            if (best == null || score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        for (int j = 0; j < dims; j++) {
            out.put(params.get(j).name(), params.get(j).distribution().fromInternal(best[j]));
        }
    }

    private static double[][] rows(List<SearchSpace.Param> params, List<FrozenTrial> trials) {
        List<double[]> out = new ArrayList<>();
        for (FrozenTrial t : trials) {
            double[] row = new double[params.size()];
            boolean complete = true;
            for (int j = 0; j < row.length; j++) {
                Object v = t.params().get(params.get(j).name());
                if (v == null || !params.get(j).distribution().contains(v)) {
                    complete = false;
                    break;
                }
                row[j] = params.get(j).distribution().toInternal(v);
            }
            if (complete) {
                out.add(row);
            }
        }
        return out.toArray(new double[0][]);
    }

    private static double[] internal(Distribution d, String name, List<FrozenTrial> trials) {
        return trials.stream().map(t -> t.params().get(name)).filter(v -> v != null && d.contains(v))
                .mapToDouble(d::toInternal).toArray();
    }

    private static int[] indices(Distribution.Categorical c, String name, List<FrozenTrial> trials) {
        return trials.stream().map(t -> t.params().get(name)).filter(v -> v != null && c.contains(v))
                .mapToInt(c::indexOf).toArray();
    }

    private static List<FrozenTrial> byNumber(List<FrozenTrial> trials) {
        List<FrozenTrial> copy = new ArrayList<>(trials);
        copy.sort(Comparator.comparingInt(FrozenTrial::number));
        return copy;
    }

    /** Orders finished trials best first. */
    static List<FrozenTrial> rank(List<FrozenTrial> finished, List<Direction> directions) {
        List<FrozenTrial> complete = new ArrayList<>();
        List<FrozenTrial> pruned = new ArrayList<>();
        for (FrozenTrial t : finished) {
            (t.state() == TrialState.COMPLETE ? complete : pruned).add(t);
        }
        List<FrozenTrial> out = new ArrayList<>();
        if (directions.size() == 1) {
            Direction d = directions.get(0);
            complete.sort(Comparator.comparingDouble((FrozenTrial t) -> d.toMinimized(t.value()))
                    .thenComparingInt(FrozenTrial::number));
            out.addAll(complete);
            pruned.sort(Comparator.comparingLong((FrozenTrial t) -> -t.lastStep())
                    .thenComparingDouble(t -> d.toMinimized(t.intermediate().lastEntry().getValue()))
                    .thenComparingInt(FrozenTrial::number));
            out.addAll(pruned);
            return out;
        }
        out.addAll(Pareto.rankByFronts(complete, directions));
        return out;
    }

    @Override
    public String toString() {
        return "TpeSampler[startup=" + startupTrials + ", candidates=" + eiCandidates + ", multivariate="
                + multivariate + "]";
    }

    /** Configures a {@link TpeSampler}. Not thread-safe. */
    public static final class Builder {
        private long seed = 0;
        private int startupTrials = 10;
        private int eiCandidates = 24;
        private IntUnaryOperator gamma = TpeSampler::defaultGamma;
        private double priorWeight = 1.0;
        private boolean multivariate;
        private boolean considerEndpoints;
        private boolean magicClip = true;
        private boolean constantLiar;

        private Builder() {
        }

        /**
         * Counts running trials among the poor ones (default false); worth it when trials run in parallel.
         *
         * @param value whether to
         * @return this builder
         */
        public Builder constantLiar(boolean value) {
            this.constantLiar = value;
            return this;
        }

        /**
         * Sets the seed (default 0); equal seeds and histories give equal suggestions.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets how many finished trials are drawn at random before the estimators take over (default 10).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder startupTrials(int n) {
            if (n < 0) {
                throw new InvalidArgumentException("startupTrials must be 0 or more, not " + n);
            }
            this.startupTrials = n;
            return this;
        }

        /**
         * Sets how many candidates are drawn from l(x) per parameter (default 24).
         *
         * @param n 1 or more
         * @return this builder
         */
        public Builder eiCandidates(int n) {
            if (n < 1) {
                throw new InvalidArgumentException("eiCandidates must be 1 or more, not " + n);
            }
            this.eiCandidates = n;
            return this;
        }

        /**
         * Sets how many of n finished trials count as good (default {@link #defaultGamma}).
         *
         * @param function from n to a count
         * @return this builder
         */
        public Builder gamma(IntUnaryOperator function) {
            this.gamma = java.util.Objects.requireNonNull(function, "function");
            return this;
        }

        /**
         * Sets the prior kernel's weight (default 1).
         *
         * @param value a positive weight
         * @return this builder
         */
        public Builder priorWeight(double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new InvalidArgumentException("priorWeight must be positive and finite, not " + value);
            }
            this.priorWeight = value;
            return this;
        }

        /**
         * Models the always-active parameters jointly (default false).
         *
         * @param value whether to
         * @return this builder
         */
        public Builder multivariate(boolean value) {
            this.multivariate = value;
            return this;
        }

        /**
         * Lets the outermost kernels' bandwidths reach the bounds (default false).
         *
         * @param value whether to
         * @return this builder
         */
        public Builder considerEndpoints(boolean value) {
            this.considerEndpoints = value;
            return this;
        }

        /**
         * Clips kernel bandwidths from below (default true).
         *
         * @param value whether to
         * @return this builder
         */
        public Builder magicClip(boolean value) {
            this.magicClip = value;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public TpeSampler build() {
            return new TpeSampler(this);
        }
    }
}
