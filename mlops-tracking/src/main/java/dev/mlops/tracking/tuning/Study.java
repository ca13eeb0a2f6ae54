package dev.mlops.tracking.tuning;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Distribution;
import dev.mlops.api.tuning.MultiObjective;
import dev.mlops.api.tuning.Objective;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.Trial;
import dev.mlops.api.tuning.TrialPrunedException;
import dev.mlops.tracking.Tracking;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hyperparameter search: trials of an objective over a search space, proposed by a sampler, stopped early by a
 * pruner, run in parallel under a budget.
 *
 * <pre>{@code
 * Study study = Study.builder("churn-tuning")
 *         .space(SearchSpace.builder().logUniform("lr", 1e-4, 1).integer("epochs", 5, 50).build())
 *         .maximize()
 *         .sampler(TpeSampler.builder().seed(42).build())
 *         .pruner(new MedianPruner())
 *         .tracking(tracking)                       // optional: the study becomes an experiment
 *         .parallelism(2)
 *         .build();
 * study.optimize(trial -> {
 *     double auc = 0;
 *     for (int epoch = 0; epoch < trial.getInt("epochs"); epoch++) {
 *         auc = trainOneEpoch(trial.getDouble("lr"));
 *         trial.report(epoch, auc);
 *         if (trial.shouldPrune()) throw new TrialPrunedException();
 *     }
 *     return auc;
 * }, Budget.trials(100).withDuration(Duration.ofMinutes(10)));
 * FrozenTrial best = study.bestTrial();
 * }</pre>
 *
 * <p>A failed trial (the objective throws, or returns NaN) is recorded with its error and the study goes on. With
 * {@link Builder#tracking} the study is an experiment of the same name: a study run holds its search space and each
 * trial is a child run with its parameters, intermediate values ({@code intermediate} metric by step), cost
 * ({@code trial_cost}) and values; building the study again resumes from the stored trials (trials left running by a
 * crash are marked failed), refusing a different search space or direction. One process at a time should optimize a
 * given tracked study. Thread-safe.
 */
public final class Study {
    private static final Logger LOG = LoggerFactory.getLogger(Study.class);
    private static final Pattern OBJECTIVE_NAME = Pattern.compile("[A-Za-z0-9_./-]{1,100}");

    private final String name;
    private final SearchSpace space;
    private final List<Direction> directions;
    private final List<String> objectiveNames;
    private final Sampler sampler;
    private final Pruner pruner;
    private final int parallelism;
    private final ExecutorService executor;
    private final ProgressListener progress;
    private final TrackedTrials tracked;

    private final Object lock = new Object();
    private final List<FrozenTrial> trials = new ArrayList<>();
    private int nextNumber;
    private volatile boolean stopRequested;

    private Study(Builder b) {
        this.name = b.name;
        this.space = b.space;
        this.directions = List.copyOf(b.directions);
        this.objectiveNames = b.objectiveNames != null ? List.copyOf(b.objectiveNames)
                : directions.size() == 1 ? List.of("value")
                : java.util.stream.IntStream.range(0, directions.size()).mapToObj(i -> "value_" + i).toList();
        this.sampler = b.sampler != null ? b.sampler
                : TpeSampler.builder().seed(b.name.hashCode()).constantLiar(b.parallelism > 1).build();
        this.pruner = b.pruner;
        this.parallelism = b.parallelism;
        this.executor = b.executor;
        this.progress = b.progress;
        this.tracked = b.tracking == null ? null
                : TrackedTrials.open(b.tracking, name, space, directions, objectiveNames);
        if (tracked != null) {
            trials.addAll(tracked.load());
            nextNumber = trials.stream().mapToInt(FrozenTrial::number).max().orElse(-1) + 1;
        }
    }

    /**
     * Starts a study configuration.
     *
     * @param name the study's name (the experiment's, when tracked)
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the study's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the search space.
     *
     * @return the space
     */
    public SearchSpace space() {
        return space;
    }

    /**
     * Returns the directions, one per objective value.
     *
     * @return the directions
     */
    public List<Direction> directions() {
        return directions;
    }

    /**
     * Returns the tracking experiment's id, for a tracked study.
     *
     * @return the id, or empty
     */
    public Optional<String> experimentId() {
        return tracked == null ? Optional.empty() : Optional.of(tracked.experimentId());
    }

    /**
     * Runs single-objective trials until the budget is used.
     *
     * @param objective the objective
     * @param budget the limits
     * @return what happened
     * @throws IllegalStateException if the study has several directions
     */
    public OptimizeReport optimize(Objective objective, Budget budget) {
        Objects.requireNonNull(objective, "objective");
        if (directions.size() != 1) {
            throw new IllegalStateException("study '" + name + "' has " + directions.size()
                    + " directions; use optimizeMulti(objective, budget)");
        }
        return run(trial -> new double[] {objective.evaluate(trial)}, budget);
    }

    /**
     * Runs multi-objective trials until the budget is used.
     *
     * @param objective the objective, returning one value per direction
     * @param budget the limits
     * @return what happened
     */
    public OptimizeReport optimizeMulti(MultiObjective objective, Budget budget) {
        Objects.requireNonNull(objective, "objective");
        return run(objective, budget);
    }

    /** Asks running optimizations to start no further trials. */
    public void stop() {
        stopRequested = true;
    }

    private OptimizeReport run(MultiObjective objective, Budget budget) {
        Objects.requireNonNull(budget, "budget");
        stopRequested = false;
        Call call = new Call(budget, System.nanoTime());
        long total = budget.maxTrials() == Integer.MAX_VALUE ? -1 : budget.maxTrials();
        try (Progress p = Progress.start(progress, "study " + name, total)) {
            if (tracked != null) {
                tracked.beginCall();
            }
            try {
                if (parallelism == 1 && executor == null) {
                    worker(objective, call, p);
                } else {
                    AtomicInteger threadCount = new AtomicInteger();
                    ExecutorService pool = executor != null ? executor : Executors.newFixedThreadPool(parallelism,
                            r -> {
                                Thread t = new Thread(r, "study-" + name + "-" + threadCount.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    try {
                        List<Future<?>> futures = new ArrayList<>();
                        for (int i = 0; i < parallelism; i++) {
                            futures.add(pool.submit(() -> {
                                worker(objective, call, p);
                                return null;
                            }));
                        }
                        for (Future<?> f : futures) {
                            try {
                                f.get();
                            } catch (ExecutionException e) {
                                stopRequested = true;
                                Throwable cause = e.getCause();
                                if (cause instanceof RuntimeException re) {
                                    throw re;
                                }
                                if (cause instanceof Error err) {
                                    throw err;
                                }
                                throw new IllegalStateException(cause);
                            } catch (InterruptedException e) {
                                stopRequested = true;
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException("interrupted while optimizing study '" + name + "'",
                                        e);
                            }
                        }
                    } finally {
                        if (executor == null) {
                            pool.shutdownNow();
                        }
                    }
                }
            } finally {
                if (tracked != null) {
                    tracked.endCall(completeTrials(), directions);
                }
            }
            p.finish();
        }
        synchronized (lock) {
            return new OptimizeReport(call.started, call.complete, call.pruned, call.failed, call.cost,
                    Duration.ofNanos(System.nanoTime() - call.startNanos), call.stopReason);
        }
    }

    /** The bookkeeping of one optimize call, guarded by {@code lock}. */
    private static final class Call {
        final Budget budget;
        final long startNanos;
        int started;
        int complete;
        int pruned;
        int failed;
        double cost;
        OptimizeReport.StopReason stopReason;

        Call(Budget budget, long startNanos) {
            this.budget = budget;
            this.startNanos = startNanos;
        }
    }

    private void worker(MultiObjective objective, Call call, Progress progress) {
        while (true) {
            LiveTrial trial;
            synchronized (lock) {
                OptimizeReport.StopReason reason = stopReason(call);
                if (reason != null) {
                    if (call.stopReason == null) {
                        call.stopReason = reason;
                    }
                    return;
                }
                Map<String, Object> params = sampler.sample(space, directions, List.copyOf(trials));
                space.validate(params);
                int number = nextNumber++;
                call.started++;
                trial = new LiveTrial(number, params, Instant.now());
                trials.add(trial.snapshot(TrialState.RUNNING, List.of(), null, null));
            }
            runTrial(trial, objective, call);
            progress.advance(1);
        }
    }

    private OptimizeReport.StopReason stopReason(Call call) {
        if (stopRequested) {
            return OptimizeReport.StopReason.STOPPED;
        }
        if (call.started >= call.budget.maxTrials()) {
            return OptimizeReport.StopReason.MAX_TRIALS;
        }
        if (call.budget.maxDuration() != null
                && System.nanoTime() - call.startNanos >= call.budget.maxDuration().toNanos()) {
            return OptimizeReport.StopReason.MAX_DURATION;
        }
        if (call.cost >= call.budget.maxCost()) {
            return OptimizeReport.StopReason.MAX_COST;
        }
        if (sampler.exhausted(space, List.copyOf(trials))) {
            return OptimizeReport.StopReason.SAMPLER_EXHAUSTED;
        }
        return null;
    }

    private void runTrial(LiveTrial trial, MultiObjective objective, Call call) {
        if (tracked != null) {
            trial.run = tracked.startTrial(trial.number, trial.params);
        }
        TrialState state;
        List<Double> values = List.of();
        String error = null;
        Error fatal = null;
        try {
            double[] v = objective.evaluate(trial);
            if (v == null || v.length != directions.size()) {
                state = TrialState.FAIL;
                error = "the objective returned " + (v == null ? "null" : v.length + " values") + " but the study has "
                        + directions.size() + " directions";
            } else if (Arrays.stream(v).anyMatch(Double::isNaN)) {
                state = TrialState.FAIL;
                error = "the objective returned NaN: " + Arrays.toString(v);
            } else {
                state = TrialState.COMPLETE;
                values = Arrays.stream(v).boxed().toList();
            }
        } catch (TrialPrunedException e) {
            state = TrialState.PRUNED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
            state = TrialState.FAIL;
            error = "interrupted";
        } catch (Exception e) {
            state = TrialState.FAIL;
            error = e.getClass().getName() + ": " + e.getMessage();
            LOG.warn("trial {} of study '{}' failed; the study goes on", trial.number, name, e);
        } catch (Error e) {
            state = TrialState.FAIL;
            error = e.getClass().getName() + ": " + e.getMessage();
            fatal = e;
            stopRequested = true;
        }
        FrozenTrial done = trial.snapshot(state, values, Instant.now(), error);
        if (tracked != null) {
            tracked.finishTrial(trial.run, done);
        }
        synchronized (lock) {
            replace(done);
            call.cost += trial.cost;
            switch (state) {
                case COMPLETE -> call.complete++;
                case PRUNED -> call.pruned++;
                default -> call.failed++;
            }
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    private void replace(FrozenTrial t) {
        for (int i = trials.size() - 1; i >= 0; i--) {
            if (trials.get(i).number() == t.number()) {
                trials.set(i, t);
                return;
            }
        }
        trials.add(t);
    }

    /** The trial handed to the objective. */
    private final class LiveTrial implements Trial {
        final int number;
        final Map<String, Object> params;
        final Instant start;
        final TreeMap<Long, Double> intermediate = new TreeMap<>();
        double cost;
        TrackedTrials.TrialRun run;

        LiveTrial(int number, Map<String, Object> params, Instant start) {
            this.number = number;
            this.params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
            this.start = start;
        }

        synchronized FrozenTrial snapshot(TrialState state, List<Double> values, Instant end, String error) {
            return new FrozenTrial(number, state, params, values, intermediate, cost, start, end, error,
                    run == null ? null : run.runId());
        }

        @Override
        public int number() {
            return number;
        }

        @Override
        public Map<String, Object> params() {
            return params;
        }

        private Object param(String key) {
            Object v = params.get(key);
            if (v == null) {
                if (!space.has(key)) {
                    space.param(key);
                }
                throw new InvalidArgumentException("parameter '" + key + "' is not active in trial " + number
                        + "; active: " + params.keySet());
            }
            return v;
        }

        @Override
        public double getDouble(String key) {
            Object v = param(key);
            if (!(v instanceof Number n)) {
                throw new InvalidArgumentException("parameter '" + key + "' = " + v + " is not a number");
            }
            return n.doubleValue();
        }

        @Override
        public long getLong(String key) {
            Object v = param(key);
            if (!(v instanceof Long l)) {
                throw new InvalidArgumentException("parameter '" + key + "' = " + v + " is not a whole number");
            }
            return l;
        }

        @Override
        public String getString(String key) {
            return String.valueOf(param(key));
        }

        @Override
        public void report(long step, double value) {
            if (step < 0) {
                throw new InvalidArgumentException("step must be 0 or more, not " + step);
            }
            FrozenTrial snap;
            synchronized (this) {
                if (intermediate.containsKey(step)) {
                    LOG.debug("trial {} reported step {} twice; the first value stays", number, step);
                    return;
                }
                intermediate.put(step, value);
                snap = snapshot(TrialState.RUNNING, List.of(), null, null);
            }
            if (run != null) {
                run.intermediate(step, value);
            }
            synchronized (lock) {
                replace(snap);
            }
        }

        @Override
        public boolean shouldPrune() {
            if (directions.size() != 1) {
                return false;
            }
            FrozenTrial snap = snapshot(TrialState.RUNNING, List.of(), null, null);
            List<FrozenTrial> all;
            synchronized (lock) {
                all = List.copyOf(trials);
            }
            return pruner.shouldPrune(snap, all, directions.get(0));
        }

        @Override
        public synchronized void reportCost(double amount) {
            if (!(amount >= 0) || !Double.isFinite(amount)) {
                throw new InvalidArgumentException("cost must be finite and 0 or more, not " + amount);
            }
            cost += amount;
        }

        @Override
        public MetricSink metrics() {
            return run != null ? run.sink() : MetricSink.noop();
        }
    }

    // ---------------------------------------------------------------- results

    /**
     * Returns every trial, by number.
     *
     * @return the trials
     */
    public List<FrozenTrial> trials() {
        synchronized (lock) {
            List<FrozenTrial> copy = new ArrayList<>(trials);
            copy.sort(Comparator.comparingInt(FrozenTrial::number));
            return copy;
        }
    }

    private List<FrozenTrial> completeTrials() {
        return trials().stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
    }

    /**
     * Returns the best complete trial of a single-objective study (the earliest among equals).
     *
     * @return the best trial
     * @throws IllegalStateException if no trial has completed or the study has several directions
     */
    public FrozenTrial bestTrial() {
        if (directions.size() != 1) {
            throw new IllegalStateException("study '" + name + "' has several objectives; use paretoFront()");
        }
        Direction d = directions.get(0);
        return completeTrials().stream()
                .min(Comparator.comparingDouble((FrozenTrial t) -> d.toMinimized(t.value()))
                        .thenComparingInt(FrozenTrial::number))
                .orElseThrow(() -> new IllegalStateException("study '" + name + "' has no complete trial yet"));
    }

    /**
     * Returns the complete trials that no other complete trial dominates (for one objective, the best trials).
     *
     * @return the Pareto front, by number
     */
    public List<FrozenTrial> paretoFront() {
        return Pareto.front(completeTrials(), directions);
    }

    /**
     * Returns the trials as a table: {@code number}, {@code state}, one {@code values.<objective>} column per
     * objective, {@code trial_cost}, {@code duration_ms}, {@code error}, and one {@code params.<name>} column per
     * parameter (double, long, or string for categorical ones).
     *
     * @return the frame, one row per trial
     */
    public Frame trialsFrame() {
        List<Field> fields = new ArrayList<>(List.of(Field.of("number", DataType.LONG), Field.of("state",
                DataType.STRING)));
        for (String o : objectiveNames) {
            fields.add(Field.of("values." + o, DataType.DOUBLE));
        }
        fields.add(Field.of("trial_cost", DataType.DOUBLE));
        fields.add(Field.of("duration_ms", DataType.LONG));
        fields.add(Field.of("error", DataType.STRING));
        for (SearchSpace.Param p : space.params()) {
            DataType type = p.distribution() instanceof Distribution.FloatRange ? DataType.DOUBLE
                    : p.distribution() instanceof Distribution.IntRange ? DataType.LONG : DataType.STRING;
            fields.add(Field.of("params." + p.name(), type));
        }
        Frame.RowBuilder rows = Frame.rowBuilder(Schema.of(fields));
        for (FrozenTrial t : trials()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("number", (long) t.number());
            row.put("state", t.state().name());
            for (int i = 0; i < objectiveNames.size() && i < t.values().size(); i++) {
                row.put("values." + objectiveNames.get(i), t.values().get(i));
            }
            row.put("trial_cost", t.cost());
            row.put("duration_ms", t.duration() == null ? null : t.duration().toMillis());
            row.put("error", t.error());
            for (SearchSpace.Param p : space.params()) {
                Object v = t.params().get(p.name());
                row.put("params." + p.name(), v == null ? null
                        : p.distribution() instanceof Distribution.Categorical ? String.valueOf(v) : v);
            }
            rows.row(row);
        }
        return rows.build();
    }

    @Override
    public String toString() {
        return "Study[" + name + ", " + directions + ", " + sampler + "]";
    }

    /** Configures a {@link Study}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private SearchSpace space;
        private List<Direction> directions = List.of(Direction.MINIMIZE);
        private List<String> objectiveNames;
        private Sampler sampler;
        private Pruner pruner = Pruner.none();
        private Tracking tracking;
        private int parallelism = 1;
        private ExecutorService executor;
        private ProgressListener progress = ProgressListener.noop();

        private Builder(String name) {
            if (name == null || name.isBlank() || name.length() > 500
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidArgumentException("study name must be 1 to 500 characters without control "
                        + "characters, not '" + name + "'");
            }
            this.name = name;
        }

        /**
         * Sets the search space (required).
         *
         * @param value the space
         * @return this builder
         */
        public Builder space(SearchSpace value) {
            this.space = Objects.requireNonNull(value, "space");
            return this;
        }

        /**
         * Makes the single objective one to minimize (the default).
         *
         * @return this builder
         */
        public Builder minimize() {
            return directions(Direction.MINIMIZE);
        }

        /**
         * Makes the single objective one to maximize.
         *
         * @return this builder
         */
        public Builder maximize() {
            return directions(Direction.MAXIMIZE);
        }

        /**
         * Sets one direction per objective value; several make a multi-objective study.
         *
         * @param values the directions
         * @return this builder
         */
        public Builder directions(Direction... values) {
            if (values.length == 0) {
                throw new InvalidArgumentException("a study needs at least one direction");
            }
            this.directions = List.of(values);
            return this;
        }

        /**
         * Names the objective values (the metric keys of trial runs); default {@code value}, or {@code value_0},
         * {@code value_1}, ... for several.
         *
         * @param names one name per direction
         * @return this builder
         */
        public Builder objectiveNames(String... names) {
            for (String n : names) {
                if (n == null || !OBJECTIVE_NAME.matcher(n).matches() || n.equals(TrackedTrials.INTERMEDIATE)
                        || n.equals(TrackedTrials.COST)) {
                    throw new InvalidArgumentException("objective name '" + n + "' must be 1 to 100 letters, digits, "
                            + "'_', '.', '-' or '/', and not '" + TrackedTrials.INTERMEDIATE + "' or '"
                            + TrackedTrials.COST + "'");
                }
            }
            this.objectiveNames = List.of(names);
            return this;
        }

        /**
         * Sets the sampler (default: TPE seeded from the study's name, with the constant liar when trials run in
         * parallel).
         *
         * @param value the sampler
         * @return this builder
         */
        public Builder sampler(Sampler value) {
            this.sampler = Objects.requireNonNull(value, "sampler");
            return this;
        }

        /**
         * Sets the pruner (default: none).
         *
         * @param value the pruner
         * @return this builder
         */
        public Builder pruner(Pruner value) {
            this.pruner = Objects.requireNonNull(value, "pruner");
            return this;
        }

        /**
         * Records the study in a tracking store and resumes it from there.
         *
         * @param value the store
         * @return this builder
         */
        public Builder tracking(Tracking value) {
            this.tracking = Objects.requireNonNull(value, "tracking");
            return this;
        }

        /**
         * Sets how many trials run at once (default 1, in the calling thread).
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
         * Runs trials on the host's executor instead of a pool of the study's own.
         *
         * @param value the executor; it is not shut down by the study
         * @return this builder
         */
        public Builder executor(ExecutorService value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Reports progress, one unit per finished trial.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Creates the study, or resumes it from the tracking store.
         *
         * @return the study
         * @throws IllegalStateException if no space was set
         * @throws dev.mlops.api.ConflictException if a stored study of this name has another space or directions
         */
        public Study build() {
            if (space == null) {
                throw new IllegalStateException("set space(...) before build()");
            }
            if (objectiveNames != null && objectiveNames.size() != directions.size()) {
                throw new InvalidArgumentException(objectiveNames.size() + " objective names for "
                        + directions.size() + " directions");
            }
            return new Study(this);
        }
    }
}
