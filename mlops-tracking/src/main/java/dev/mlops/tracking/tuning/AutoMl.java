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
import dev.mlops.api.tuning.Direction;
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
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/**
 * Automatic model selection for classification and regression on Tribuo: each {@link Candidate} trainer is tuned by its own
 * {@link Study} (TPE by default) on the mean k-fold cross-validated score, the candidates are ranked in a leaderboard,
 * and the best configuration is retrained on all the data and returned with its full Tribuo provenance, so that a
 * person can review and reproduce it.
 *
 * <pre>{@code
 * AutoMlResult<Label> result = AutoMl.builder().target("diagnosis").metric(AutoMl.Metric.AUC)
 *         .folds(5).trialsPerCandidate(20).tracking(tracking, "cancer-automl").build()
 *         .fitClassifier(frame);
 * System.out.println(result.leaderboard().format(10));
 * Model<Label> model = result.bestModel();
 * AutoMlResult<Regressor> prices = AutoMl.builder().target("price").build().fitRegressor(houses);
 * }</pre>
 *
 * <p>Features are the frame's numeric and boolean columns; the target is a string, long or boolean column for
 * classification and a double or long column for regression. With
 * tracking, each candidate's study is an experiment named {@code <prefix>-<candidate>} and every trial a child run.
 * Each fold's running mean is reported as an intermediate value, so a pruner can stop poor configurations after a
 * few folds.
 */
public final class AutoMl {
    /** What candidates are ranked by. */
    public enum Metric {
        /** Share of correct predictions (classification). */
        ACCURACY("accuracy", false, Direction.MAXIMIZE),
        /** F1 averaged over labels (classification). */
        MACRO_F1("macro_f1", false, Direction.MAXIMIZE),
        /**
         * Area under the ROC curve, averaged over labels (classification). Needs models that give probabilities:
         * Tribuo's CART does not, so under this metric its trials fail and the leaderboard says why.
         */
        AUC("auc", false, Direction.MAXIMIZE),
        /** Root mean squared error (regression). */
        RMSE("rmse", true, Direction.MINIMIZE),
        /** Mean absolute error (regression). */
        MAE("mae", true, Direction.MINIMIZE),
        /** Coefficient of determination (regression). */
        R2("r2", true, Direction.MAXIMIZE);

        private final String key;
        private final boolean regression;
        private final Direction direction;

        Metric(String key, boolean regression, Direction direction) {
            this.key = key;
            this.regression = regression;
            this.direction = direction;
        }

        /**
         * Returns the metric's name in studies and leaderboards.
         *
         * @return the name
         */
        public String key() {
            return key;
        }

        /**
         * Tells whether it measures regression.
         *
         * @return true for RMSE, MAE and R2
         */
        public boolean regression() {
            return regression;
        }

        /**
         * Returns whether larger or smaller is better.
         *
         * @return the direction
         */
        public Direction direction() {
            return direction;
        }

        double of(Evaluation<?> e) {
            return switch (this) {
                case ACCURACY -> ((LabelEvaluation) e).accuracy();
                case MACRO_F1 -> ((LabelEvaluation) e).macroAveragedF1();
                case AUC -> ((LabelEvaluation) e).averageAUCROC(false);
                case RMSE -> ((RegressionEvaluation) e).averageRMSE();
                case MAE -> ((RegressionEvaluation) e).averageMAE();
                case R2 -> ((RegressionEvaluation) e).averageR2();
            };
        }
    }

    private final String target;
    private final List<Candidate<Label>> candidates;
    private final List<Candidate<Regressor>> regressionCandidates;
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
        this.candidates = b.candidates;
        this.regressionCandidates = b.regressionCandidates;
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
     * Tunes every classification candidate on the data, ranks them, and retrains the best on all of it.
     *
     * @param data the training data; the target is a string, long or boolean column
     * @return the leaderboard and the best model
     * @throws InvalidArgumentException if the target or features are unusable, the metric is a regression one, there
     *     are fewer rows than folds or fewer than two labels, or no candidate completed a single trial
     */
    public AutoMlResult<Label> fitClassifier(Frame data) {
        Metric m = metric != null ? metric : Metric.ACCURACY;
        if (m.regression()) {
            throw new InvalidArgumentException("metric " + m + " measures regression; use fitRegressor or a "
                    + "classification metric");
        }
        MutableDataset<Label> dataset = TribuoData.classification(data, target);
        if (dataset.getOutputInfo().size() < 2) {
            throw new InvalidArgumentException("target '" + target + "' has fewer than two labels: "
                    + dataset.getOutputInfo().getDomain());
        }
        return search(dataset, candidates != null ? candidates : Candidate.defaults(), new LabelEvaluator(), m);
    }

    /**
     * Tunes every regression candidate on the data, ranks them, and retrains the best on all of it.
     *
     * @param data the training data; the target is a double or long column
     * @return the leaderboard and the best model
     * @throws InvalidArgumentException if the target or features are unusable, the metric is a classification one,
     *     there are fewer rows than folds, or no candidate completed a single trial
     */
    public AutoMlResult<Regressor> fitRegressor(Frame data) {
        Metric m = metric != null ? metric : Metric.RMSE;
        if (!m.regression()) {
            throw new InvalidArgumentException("metric " + m + " measures classification; use fitClassifier or a "
                    + "regression metric");
        }
        MutableDataset<Regressor> dataset = TribuoData.regression(data, target);
        return search(dataset, regressionCandidates != null ? regressionCandidates : Candidate.regressionDefaults(),
                new RegressionEvaluator(), m);
    }

    private <T extends Output<T>, E extends Evaluation<T>> AutoMlResult<T> search(MutableDataset<T> dataset,
            List<Candidate<T>> cands, Evaluator<T, E> evaluator, Metric m) {
        if (dataset.size() < folds) {
            throw new InvalidArgumentException(dataset.size() + " rows cannot be split into " + folds + " folds");
        }
        List<Entry<T>> entries = new ArrayList<>();
        Map<String, Study> studies = new LinkedHashMap<>();
        try (Progress p = Progress.start(progress, "automl " + target, cands.size())) {
            for (Candidate<T> c : cands) {
                Map<Integer, Double> stds = new ConcurrentHashMap<>();
                Study.Builder sb = Study.builder(prefix + "-" + c.name()).space(c.space()).directions(m.direction())
                        .objectiveNames(m.key()).sampler(TpeSampler.builder().seed(seed + c.name().hashCode())
                                .startupTrials(Math.min(10, Math.max(1, trialsPerCandidate / 2)))
                                .constantLiar(parallelism > 1).build())
                        .pruner(pruner).parallelism(parallelism).progress(progress);
                if (tracking != null) {
                    sb.tracking(tracking);
                }
                Study study = sb.build();
                long start = System.nanoTime();
                study.optimize(trial -> {
                    double[] scores = crossValidate(c.factory().create(trial.params(), seed), dataset, evaluator, m);
                    double sum = 0;
                    for (int f = 0; f < scores.length; f++) {
                        sum += scores[f];
                        trial.report(f, sum / (f + 1));
                    }
                    double mean = sum / scores.length;
                    double std = std(scores, mean);
                    trial.metrics().logMetric(m.key() + "_std", std, 0);
                    stds.put(trial.number(), std);
                    return mean;
                }, Budget.trials(trialsPerCandidate));
                double seconds = (System.nanoTime() - start) / 1e9;
                studies.put(c.name(), study);
                FrozenTrial best = study.trials().stream().anyMatch(t -> t.state() == TrialState.COMPLETE)
                        ? study.bestTrial() : null;
                entries.add(new Entry<>(c, best, best == null ? Double.NaN : stds.getOrDefault(best.number(),
                        Double.NaN), study.trials().size(), seconds, best == null ? firstError(study) : null));
                p.advance(1, c.name());
            }
            p.finish();
        }
        entries.sort(Comparator.comparingDouble((Entry<T> e) -> e.best == null ? Double.POSITIVE_INFINITY
                : m.direction().toMinimized(e.best.value())));
        Entry<T> winner = entries.get(0);
        if (winner.best == null) {
            throw new InvalidArgumentException("no candidate completed a trial; the first error: " + winner.error);
        }
        Trainer<T> trainer = winner.candidate.factory().create(winner.best.params(), seed);
        Model<T> model = trainer.train(dataset);
        String provenance = new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance());
        return new AutoMlResult<>(leaderboard(entries, m), winner.candidate.name(), winner.best.params(),
                winner.best.value(), model, provenance, studies);
    }

    private <T extends Output<T>, E extends Evaluation<T>> double[] crossValidate(Trainer<T> trainer,
            MutableDataset<T> dataset, Evaluator<T, E> evaluator, Metric m) {
        CrossValidation<T, E> cv = new CrossValidation<>(trainer, dataset, evaluator, folds, seed);
        List<Pair<E, Model<T>>> results = cv.evaluate();
        double[] scores = new double[results.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = m.of(results.get(i).getA());
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

    private record Entry<T extends Output<T>>(Candidate<T> candidate, FrozenTrial best, double std, int trials,
            double seconds, String error) {
    }

    private static <T extends Output<T>> Frame leaderboard(List<Entry<T>> entries, Metric metric) {
        Schema schema = Schema.of(Field.of("rank", DataType.LONG), Field.of("candidate", DataType.STRING),
                Field.of(metric.key(), DataType.DOUBLE), Field.of(metric.key() + "_std", DataType.DOUBLE),
                Field.of("trials", DataType.LONG), Field.of("best_trial", DataType.LONG),
                Field.of("params", DataType.STRING), Field.of("seconds", DataType.DOUBLE),
                Field.of("error", DataType.STRING));
        Frame.RowBuilder rows = Frame.rowBuilder(schema);
        long rank = 1;
        for (Entry<T> e : entries) {
            rows.row(rank++, e.candidate.name(), e.best == null ? null : e.best.value(),
                    e.best == null ? null : e.std, (long) e.trials, e.best == null ? null : (long) e.best.number(),
                    e.best == null ? null : e.best.params().toString(), e.seconds, e.error);
        }
        return rows.build();
    }

    /** Configures {@link AutoMl}. Not thread-safe. */
    public static final class Builder {
        private String target;
        private List<Candidate<Label>> candidates;
        private List<Candidate<Regressor>> regressionCandidates;
        private int folds = 5;
        private int trialsPerCandidate = 10;
        private Metric metric;
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
         * Sets the classification candidates (default {@link Candidate#defaults()}).
         *
         * @param values the candidates, with distinct names
         * @return this builder
         */
        public Builder candidates(List<Candidate<Label>> values) {
            this.candidates = checked(values);
            return this;
        }

        /**
         * Sets the regression candidates (default {@link Candidate#regressionDefaults()}).
         *
         * @param values the candidates, with distinct names
         * @return this builder
         */
        public Builder regressionCandidates(List<Candidate<Regressor>> values) {
            this.regressionCandidates = checked(values);
            return this;
        }

        private static <T extends Output<T>> List<Candidate<T>> checked(List<Candidate<T>> values) {
            if (values.isEmpty()) {
                throw new InvalidArgumentException("AutoML needs at least one candidate");
            }
            if (values.stream().map(Candidate::name).distinct().count() != values.size()) {
                throw new InvalidArgumentException("candidate names repeat: "
                        + values.stream().map(Candidate::name).toList());
            }
            return List.copyOf(values);
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
         * Sets the ranking metric (default: accuracy for classification, RMSE for regression).
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
