package dev.mlops.tracking.tuning;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tribuo.TribuoData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.evaluation.CrossValidation;

/**
 * Automatic model selection for classification on Tribuo: each {@link Candidate} trainer is tuned by its own
 * {@link Study} (TPE by default) on the mean k-fold cross-validated score, the candidates are ranked in a leaderboard,
 * and the best configuration is retrained on all the data and returned with its full Tribuo provenance, so that a
 * person can review and reproduce it.
 *
 * <pre>{@code
 * AutoMlResult result = AutoMl.builder().target("diagnosis").metric(AutoMl.Metric.AUC)
 *         .folds(5).trialsPerCandidate(20).tracking(tracking, "cancer-automl").build()
 *         .fit(frame);
 * System.out.println(result.leaderboard().format(10));
 * Model<Label> model = result.bestModel();
 * }</pre>
 *
 * <p>Features are the frame's numeric and boolean columns; the target is a string, long or boolean column. With
 * tracking, each candidate's study is an experiment named {@code <prefix>-<candidate>} and every trial a child run.
 * Each fold's running mean is reported as an intermediate value, so a pruner can stop poor configurations after a
 * few folds.
 */
public final class AutoMl {
    /** What candidates are ranked by. */
    public enum Metric {
        /** Share of correct predictions. */
        ACCURACY("accuracy"),
        /** F1 averaged over labels. */
        MACRO_F1("macro_f1"),
        /**
         * Area under the ROC curve, averaged over labels. Needs models that give probabilities: Tribuo's CART does
         * not, so under this metric its trials fail and the leaderboard says why.
         */
        AUC("auc");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        /**
         * Returns the metric's name in studies and leaderboards.
         *
         * @return the name
         */
        public String key() {
            return key;
        }

        double of(LabelEvaluation e) {
            return switch (this) {
                case ACCURACY -> e.accuracy();
                case MACRO_F1 -> e.macroAveragedF1();
                case AUC -> e.averageAUCROC(false);
            };
        }
    }

    private final String target;
    private final List<Candidate> candidates;
    private final int folds;
    private final int trialsPerCandidate;
    private final Metric metric;
    private final long seed;
    private final Tracking tracking;
    private final String prefix;
    private final Pruner pruner;
    private final int parallelism;
    private final ProgressListener progress;

    private AutoMl(Builder b) {
        this.target = b.target;
        this.candidates = List.copyOf(b.candidates != null ? b.candidates : Candidate.defaults());
        this.folds = b.folds;
        this.trialsPerCandidate = b.trialsPerCandidate;
        this.metric = b.metric;
        this.seed = b.seed;
        this.tracking = b.tracking;
        this.prefix = b.prefix;
        this.pruner = b.pruner;
        this.parallelism = b.parallelism;
        this.progress = b.progress;
    }

    /**
     * Starts a configuration.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tunes every candidate on the data, ranks them, and retrains the best on all of it.
     *
     * @param data the training data
     * @return the leaderboard and the best model
     * @throws InvalidArgumentException if the target or features are unusable, there are fewer rows than folds or
     *     fewer than two labels, or no candidate completed a single trial
     */
    public AutoMlResult fit(Frame data) {
        MutableDataset<Label> dataset = TribuoData.classification(data, target);
        if (dataset.size() < folds) {
            throw new InvalidArgumentException(dataset.size() + " rows cannot be split into " + folds + " folds");
        }
        if (dataset.getOutputInfo().size() < 2) {
            throw new InvalidArgumentException("target '" + target + "' has fewer than two labels: "
                    + dataset.getOutputInfo().getDomain());
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, Study> studies = new LinkedHashMap<>();
        try (Progress p = Progress.start(progress, "automl " + target, candidates.size())) {
            for (Candidate c : candidates) {
                Map<Integer, Double> stds = new ConcurrentHashMap<>();
                Study.Builder sb = Study.builder(prefix + "-" + c.name()).space(c.space()).maximize()
                        .objectiveNames(metric.key()).sampler(TpeSampler.builder().seed(seed + c.name().hashCode())
                                .startupTrials(Math.min(10, Math.max(1, trialsPerCandidate / 2))).build())
                        .pruner(pruner).parallelism(parallelism).progress(progress);
                if (tracking != null) {
                    sb.tracking(tracking);
                }
                Study study = sb.build();
                long start = System.nanoTime();
                study.optimize(trial -> {
                    double[] scores = crossValidate(c.factory().create(trial.params(), seed), dataset);
                    double sum = 0;
                    for (int f = 0; f < scores.length; f++) {
                        sum += scores[f];
                        trial.report(f, sum / (f + 1));
                    }
                    double mean = sum / scores.length;
                    double std = std(scores, mean);
                    trial.metrics().logMetric(metric.key() + "_std", std, 0);
                    stds.put(trial.number(), std);
                    return mean;
                }, Budget.trials(trialsPerCandidate));
                double seconds = (System.nanoTime() - start) / 1e9;
                studies.put(c.name(), study);
                FrozenTrial best = study.trials().stream().anyMatch(t -> t.state() == TrialState.COMPLETE)
                        ? study.bestTrial() : null;
                entries.add(new Entry(c, best, best == null ? Double.NaN : stds.getOrDefault(best.number(),
                        Double.NaN), study.trials().size(), seconds, best == null ? firstError(study) : null));
                p.advance(1, c.name());
            }
            p.finish();
        }
        entries.sort(Comparator.comparingDouble((Entry e) -> e.best == null ? Double.NEGATIVE_INFINITY
                : e.best.value()).reversed());
        Entry winner = entries.get(0);
        if (winner.best == null) {
            throw new InvalidArgumentException("no candidate completed a trial; the first error: " + winner.error);
        }
        Trainer<Label> trainer = winner.candidate.factory().create(winner.best.params(), seed);
        Model<Label> model = trainer.train(dataset);
        String provenance = new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance());
        return new AutoMlResult(leaderboard(entries), winner.candidate.name(), winner.best.params(),
                winner.best.value(), model, provenance, studies);
    }

    private double[] crossValidate(Trainer<Label> trainer, MutableDataset<Label> dataset) {
        CrossValidation<Label, LabelEvaluation> cv = new CrossValidation<>(trainer, dataset, new LabelEvaluator(),
                folds, seed);
        List<Pair<LabelEvaluation, Model<Label>>> results = cv.evaluate();
        double[] scores = new double[results.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = metric.of(results.get(i).getA());
        }
        return scores;
    }

    private static double std(double[] values, double mean) {
        if (values.length < 2) {
            return 0;
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    private static String firstError(Study study) {
        return study.trials().stream().map(FrozenTrial::error).filter(Objects::nonNull).findFirst()
                .orElse("no trial completed");
    }

    private record Entry(Candidate candidate, FrozenTrial best, double std, int trials, double seconds,
            String error) {
    }

    private Frame leaderboard(List<Entry> entries) {
        Schema schema = Schema.of(Field.of("rank", DataType.LONG), Field.of("candidate", DataType.STRING),
                Field.of(metric.key(), DataType.DOUBLE), Field.of(metric.key() + "_std", DataType.DOUBLE),
                Field.of("trials", DataType.LONG), Field.of("best_trial", DataType.LONG),
                Field.of("params", DataType.STRING), Field.of("seconds", DataType.DOUBLE),
                Field.of("error", DataType.STRING));
        Frame.RowBuilder rows = Frame.rowBuilder(schema);
        long rank = 1;
        for (Entry e : entries) {
            rows.row(rank++, e.candidate.name(), e.best == null ? null : e.best.value(),
                    e.best == null ? null : e.std, (long) e.trials, e.best == null ? null : (long) e.best.number(),
                    e.best == null ? null : e.best.params().toString(), e.seconds, e.error);
        }
        return rows.build();
    }

    /** Configures {@link AutoMl}. Not thread-safe. */
    public static final class Builder {
        private String target;
        private List<Candidate> candidates;
        private int folds = 5;
        private int trialsPerCandidate = 10;
        private Metric metric = Metric.ACCURACY;
        private long seed = 42;
        private Tracking tracking;
        private String prefix = "automl";
        private Pruner pruner = Pruner.none();
        private int parallelism = 1;
        private ProgressListener progress = ProgressListener.noop();

        private Builder() {
        }

        /**
         * Sets the label column (required).
         *
         * @param column the column
         * @return this builder
         */
        public Builder target(String column) {
            this.target = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Sets the candidates (default {@link Candidate#defaults()}).
         *
         * @param values the candidates, with distinct names
         * @return this builder
         */
        public Builder candidates(List<Candidate> values) {
            if (values.isEmpty()) {
                throw new InvalidArgumentException("AutoML needs at least one candidate");
            }
            if (values.stream().map(Candidate::name).distinct().count() != values.size()) {
                throw new InvalidArgumentException("candidate names repeat: "
                        + values.stream().map(Candidate::name).toList());
            }
            this.candidates = List.copyOf(values);
            return this;
        }

        /**
         * Sets the number of cross-validation folds (default 5).
         *
         * @param k 2 or more
         * @return this builder
         */
        public Builder folds(int k) {
            if (k < 2) {
                throw new InvalidArgumentException("cross-validation needs at least 2 folds, not " + k);
            }
            this.folds = k;
            return this;
        }

        /**
         * Sets how many configurations of each candidate are tried (default 10).
         *
         * @param n 1 or more
         * @return this builder
         */
        public Builder trialsPerCandidate(int n) {
            if (n < 1) {
                throw new InvalidArgumentException("trialsPerCandidate must be 1 or more, not " + n);
            }
            this.trialsPerCandidate = n;
            return this;
        }

        /**
         * Sets the ranking metric (default accuracy).
         *
         * @param value the metric
         * @return this builder
         */
        public Builder metric(Metric value) {
            this.metric = Objects.requireNonNull(value, "metric");
            return this;
        }

        /**
         * Sets the seed of samplers, folds and trainers (default 42).
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Records every candidate's study in a tracking store.
         *
         * @param store the store
         * @param studyPrefix the studies are named {@code <studyPrefix>-<candidate>}
         * @return this builder
         */
        public Builder tracking(Tracking store, String studyPrefix) {
            this.tracking = Objects.requireNonNull(store, "store");
            this.prefix = Objects.requireNonNull(studyPrefix, "studyPrefix");
            return this;
        }

        /**
         * Stops poor configurations between folds (default: none).
         *
         * @param value the pruner
         * @return this builder
         */
        public Builder pruner(Pruner value) {
            this.pruner = Objects.requireNonNull(value, "pruner");
            return this;
        }

        /**
         * Sets how many configurations are cross-validated at once (default 1).
         *
         * @param n 1 or more
         * @return this builder
         */
        public Builder parallelism(int n) {
            if (n < 1) {
                throw new InvalidArgumentException("parallelism must be 1 or more, not " + n);
            }
            this.parallelism = n;
            return this;
        }

        /**
         * Reports progress: one task per candidate study and one for the whole search.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the AutoML
         * @throws IllegalStateException if no target was set
         */
        public AutoMl build() {
            if (target == null) {
                throw new IllegalStateException("set target(column) before build()");
            }
            return new AutoMl(this);
        }
    }
}
