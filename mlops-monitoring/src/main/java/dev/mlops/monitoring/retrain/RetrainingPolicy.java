package dev.mlops.monitoring.retrain;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ModelPromoter;
import dev.mlops.api.spi.ModelPromoter.PromotionRequest;
import dev.mlops.api.spi.ModelPromoter.PromotionResult;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.monitoring.stream.Alert;
import dev.mlops.monitoring.stream.AlertListener;
import dev.mlops.monitoring.stream.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the loop from drift to a new champion: on an alert it calls the host's {@link Retrainer}, scores candidate
 * and champion on the recent labelled rows with the host's {@link ModelScorer}, and, if the candidate is better by at
 * least {@link Builder#minImprovement(double)}, asks the {@link ModelPromoter} to move the alias (the registry may
 * promote at once or file an approval request). A cool-down after each attempt keeps one drift from starting a
 * retraining storm, and only one attempt runs at a time. Every step is recorded with its reason
 * ({@link #history()}) and logged at INFO.
 *
 * <p>As an {@link AlertListener} of a {@link Monitor} it reads the monitor's {@link Monitor#recentLabelled()}; it can
 * also be driven directly with {@link #onAlert(Alert, Frame)}.
 *
 * <pre>{@code
 * RetrainingPolicy policy = RetrainingPolicy.builder()
 *         .model("breast-cancer").alias("champion").championVersion(1)
 *         .retrainer(request -> registerNewVersion(train(request.recentLabelled())))
 *         .scorer((version, data) -> accuracy(load(version), data))
 *         .promoter(registry)                  // or any ModelPromoter
 *         .cooldown(Duration.ofHours(6))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe. Retraining runs on the configured executor (by default on the thread that delivers the alert).
 */
public final class RetrainingPolicy implements AlertListener {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainingPolicy.class);

    private final String model;
    private final String alias;
    private final Retrainer retrainer;
    private final ModelScorer scorer;
    private final ModelPromoter promoter;
    private final double minImprovement;
    private final Duration cooldown;
    private final int minLabelledRows;
    private final Set<String> triggers;
    private final String actor;
    private final Executor executor;
    private final TimeSource clock;

    private long champion;
    private Instant lastStart;
    private boolean running;
    private final List<RetrainingEvent> history = new ArrayList<>();

    private RetrainingPolicy(Builder b) {
        this.model = b.model;
        this.alias = b.alias;
        this.retrainer = b.retrainer;
        this.scorer = b.scorer;
        this.promoter = b.promoter;
        this.minImprovement = b.minImprovement;
        this.cooldown = b.cooldown;
        this.minLabelledRows = b.minLabelledRows;
        this.triggers = Set.copyOf(b.triggers);
        this.actor = b.actor;
        this.executor = b.executor;
        this.clock = b.clock;
        this.champion = b.championVersion;
    }

    /**
     * Starts configuring a policy.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Receives an alert without data: recorded as skipped, since retraining needs labelled rows. Use the policy as a
     * monitor listener, or call {@link #onAlert(Alert, Frame)}.
     *
     * @param alert the alert
     */
    @Override
    public void onAlert(Alert alert) {
        record(RetrainingEvent.Step.SKIPPED, alert.rule(), "the alert came without labelled rows", -1, Double.NaN,
                Double.NaN);
    }

    /**
     * Receives an alert from a monitor and acts on it with the monitor's recent labelled rows.
     *
     * @param alert the alert
     * @param source the monitor
     */
    @Override
    public void onAlert(Alert alert, Monitor source) {
        onAlert(alert, source.recentLabelled());
    }

    /**
     * Acts on an alert: unless skipped (rule not a trigger, cool-down, an attempt already running, too few labelled
     * rows), retrains, evaluates and promotes on the executor.
     *
     * @param alert the alert
     * @param recentLabelled the labelled rows to evaluate on (and to hand to the retrainer)
     * @return true if an attempt started
     */
    public boolean onAlert(Alert alert, Frame recentLabelled) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(recentLabelled, "recentLabelled");
        long championNow;
        synchronized (this) {
            Instant now = clock.now();
            String skip = null;
            if (!triggers.isEmpty() && !triggers.contains(alert.rule())) {
                skip = "rule '" + alert.rule() + "' is not one of the triggers " + triggers;
            } else if (running) {
                skip = "a retraining is already running";
            } else if (lastStart != null && now.isBefore(lastStart.plus(cooldown))) {
                skip = "cool-down: the last attempt started at " + lastStart + ", the next may start at "
                        + lastStart.plus(cooldown);
            } else if (recentLabelled.rowCount() < minLabelledRows) {
                skip = "only " + recentLabelled.rowCount() + " labelled rows, fewer than the " + minLabelledRows
                        + " needed to evaluate a candidate";
            }
            if (skip != null) {
                recordLocked(RetrainingEvent.Step.SKIPPED, alert.rule(), skip, -1, Double.NaN, Double.NaN);
                return false;
            }
            running = true;
            lastStart = now;
            championNow = champion;
            recordLocked(RetrainingEvent.Step.TRIGGERED, alert.rule(), alert.message(), -1, Double.NaN, Double.NaN);
        }
        try {
            executor.execute(() -> attempt(alert, recentLabelled, championNow));
        } catch (RejectedExecutionException e) {
            finish(RetrainingEvent.Step.FAILED, alert.rule(), "the executor rejected the retraining: " + e.getMessage(),
                    -1, Double.NaN, Double.NaN);
        }
        return true;
    }

    private void attempt(Alert alert, Frame data, long championVersion) {
        String rule = alert.rule();
        long candidate;
        try {
            candidate = retrainer.retrain(new RetrainRequest(model, championVersion, alert, data));
        } catch (Exception | LinkageError e) {
            finish(RetrainingEvent.Step.FAILED, rule, "retraining failed: " + e, -1, Double.NaN, Double.NaN);
            return;
        }
        record(RetrainingEvent.Step.RETRAINED, rule, "candidate version " + candidate + " trained on "
                + data.rowCount() + " recent labelled rows", candidate, Double.NaN, Double.NaN);
        double championScore;
        double candidateScore;
        try {
            championScore = scorer.score(championVersion, data);
            candidateScore = scorer.score(candidate, data);
        } catch (Exception | LinkageError e) {
            finish(RetrainingEvent.Step.FAILED, rule, "scoring failed: " + e, candidate, Double.NaN, Double.NaN);
            return;
        }
        record(RetrainingEvent.Step.EVALUATED, rule, String.format(Locale.ROOT,
                "on %d labelled rows: champion v%d scores %.4f, candidate v%d scores %.4f", data.rowCount(),
                championVersion, championScore, candidate, candidateScore), candidate, championScore, candidateScore);
        if (!(candidateScore > championScore + minImprovement) || Double.isNaN(candidateScore)) {
            finish(RetrainingEvent.Step.KEPT_CHAMPION, rule, String.format(Locale.ROOT,
                    "candidate %.4f does not beat champion %.4f by more than %.4f", candidateScore, championScore,
                    minImprovement), candidate, championScore, candidateScore);
            return;
        }
        PromotionResult result;
        try {
            result = promoter.promote(new PromotionRequest(model, candidate, alias, actor, String.format(Locale.ROOT,
                    "retrained after alert '%s'; candidate %.4f vs champion %.4f on %d recent labelled rows", rule,
                    candidateScore, championScore, data.rowCount()),
                    Map.of("candidate_score", candidateScore, "champion_score", championScore,
                            "labelled_rows", (double) data.rowCount())));
        } catch (RuntimeException e) {
            finish(RetrainingEvent.Step.FAILED, rule, "promotion failed: " + e, candidate, championScore,
                    candidateScore);
            return;
        }
        RetrainingEvent.Step step = switch (result.outcome()) {
            case PROMOTED -> RetrainingEvent.Step.PROMOTED;
            case APPROVAL_REQUESTED -> RetrainingEvent.Step.APPROVAL_REQUESTED;
            case REFUSED -> RetrainingEvent.Step.REFUSED;
        };
        synchronized (this) {
            if (step == RetrainingEvent.Step.PROMOTED) {
                champion = candidate;
            }
        }
        finish(step, rule, result.detail() + (result.approvalRequestId() != null ? " (approval request "
                + result.approvalRequestId() + ")" : ""), candidate, championScore, candidateScore);
    }

    private synchronized void finish(RetrainingEvent.Step step, String rule, String reason, long candidate,
            double championScore, double candidateScore) {
        running = false;
        recordLocked(step, rule, reason, candidate, championScore, candidateScore);
    }

    private synchronized void record(RetrainingEvent.Step step, String rule, String reason, long candidate,
            double championScore, double candidateScore) {
        recordLocked(step, rule, reason, candidate, championScore, candidateScore);
    }

    private void recordLocked(RetrainingEvent.Step step, String rule, String reason, long candidate,
            double championScore, double candidateScore) {
        RetrainingEvent e = new RetrainingEvent(clock.now(), step, rule, reason, champion, candidate, championScore,
                candidateScore);
        history.add(e);
        LOG.info("retraining of '{}' {}: {}", model, step.name().toLowerCase(Locale.ROOT), reason);
    }

    /**
     * Returns every recorded step, oldest first.
     *
     * @return a copy of the history
     */
    public synchronized List<RetrainingEvent> history() {
        return List.copyOf(history);
    }

    /**
     * Returns the version the policy takes as champion (updated on each promotion).
     *
     * @return the champion version
     */
    public synchronized long championVersion() {
        return champion;
    }

    /**
     * Tells whether an attempt is running.
     *
     * @return true while retraining, scoring or promoting
     */
    public synchronized boolean running() {
        return running;
    }

    @Override
    public String toString() {
        return "RetrainingPolicy[" + model + "@" + alias + "]";
    }

    /** Configures a {@link RetrainingPolicy}. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private String model;
        private String alias = "champion";
        private long championVersion = -1;
        private Retrainer retrainer;
        private ModelScorer scorer;
        private ModelPromoter promoter;
        private double minImprovement = 0.0;
        private Duration cooldown = Duration.ofHours(1);
        private int minLabelledRows = 30;
        private final Set<String> triggers = new HashSet<>();
        private String actor = "mlops-monitoring";
        private Executor executor = Runnable::run;
        private TimeSource clock = TimeSource.system();
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new InvalidArgumentException(option + " was already set; cannot set it again to " + value);
            }
        }

        /**
         * Sets the registered model's name (required).
         *
         * @param name the model name
         * @return this builder
         * @throws InvalidArgumentException if blank or set before
         */
        public Builder model(String name) {
            once("model", name);
            if (name == null || name.isBlank()) {
                throw new InvalidArgumentException("model name must not be blank, but was '" + name + "'");
            }
            this.model = name;
            return this;
        }

        /**
         * Sets the alias to move (default {@code "champion"}).
         *
         * @param name the alias
         * @return this builder
         * @throws InvalidArgumentException if blank or set before
         */
        public Builder alias(String name) {
            once("alias", name);
            if (name == null || name.isBlank()) {
                throw new InvalidArgumentException("alias must not be blank, but was '" + name + "'");
            }
            this.alias = name;
            return this;
        }

        /**
         * Sets the version now behind the alias (required).
         *
         * @param version the champion's version, 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative or set before
         */
        public Builder championVersion(long version) {
            once("championVersion", version);
            if (version < 0) {
                throw new InvalidArgumentException("championVersion must not be negative, but was " + version);
            }
            this.championVersion = version;
            return this;
        }

        /**
         * Sets the function that trains and registers a candidate (required).
         *
         * @param retrainer the retrainer
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder retrainer(Retrainer retrainer) {
            once("retrainer", retrainer);
            this.retrainer = Objects.requireNonNull(retrainer, "retrainer");
            return this;
        }

        /**
         * Sets the function that scores a version on labelled rows, higher being better (required).
         *
         * @param scorer the scorer
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder scorer(ModelScorer scorer) {
            once("scorer", scorer);
            this.scorer = Objects.requireNonNull(scorer, "scorer");
            return this;
        }

        /**
         * Sets where promotions go, usually the registry (required).
         *
         * @param promoter the promoter
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder promoter(ModelPromoter promoter) {
            once("promoter", promoter);
            this.promoter = Objects.requireNonNull(promoter, "promoter");
            return this;
        }

        /**
         * Sets by how much the candidate's score must exceed the champion's (default 0: strictly better).
         *
         * @param margin 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative, not finite, or set before
         */
        public Builder minImprovement(double margin) {
            once("minImprovement", margin);
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw new InvalidArgumentException("minImprovement must be a finite number 0 or more, but was " + margin);
            }
            this.minImprovement = margin;
            return this;
        }

        /**
         * Sets the time after an attempt starts during which alerts do not start another (default 1 hour).
         *
         * @param period 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative or set before
         */
        public Builder cooldown(Duration period) {
            once("cooldown", period);
            if (period == null || period.isNegative()) {
                throw new InvalidArgumentException("cooldown must not be negative, but was " + period);
            }
            this.cooldown = period;
            return this;
        }

        /**
         * Sets the fewest labelled rows needed to evaluate a candidate (default 30).
         *
         * @param rows 1 or more
         * @return this builder
         * @throws InvalidArgumentException if less than 1 or set before
         */
        public Builder minLabelledRows(int rows) {
            once("minLabelledRows", rows);
            if (rows < 1) {
                throw new InvalidArgumentException("minLabelledRows must be at least 1, but was " + rows);
            }
            this.minLabelledRows = rows;
            return this;
        }

        /**
         * Acts only on alerts of these rules (by default on every alert).
         *
         * @param ruleNames the rule names
         * @return this builder
         */
        public Builder triggers(String... ruleNames) {
            for (String r : ruleNames) {
                triggers.add(Objects.requireNonNull(r, "rule name"));
            }
            return this;
        }

        /**
         * Sets who promotions are requested by, for the registry's audit log (default {@code "mlops-monitoring"}).
         *
         * @param name the actor
         * @return this builder
         * @throws InvalidArgumentException if blank or set before
         */
        public Builder actor(String name) {
            once("actor", name);
            if (name == null || name.isBlank()) {
                throw new InvalidArgumentException("actor must not be blank, but was '" + name + "'");
            }
            this.actor = name;
            return this;
        }

        /**
         * Sets where attempts run (default: on the thread that delivers the alert). The policy does not own the
         * executor and never shuts it down.
         *
         * @param executor the executor
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder executor(Executor executor) {
            once("executor", executor);
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the clock for cool-downs and records (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         * @throws InvalidArgumentException if set before
         */
        public Builder clock(TimeSource clock) {
            once("clock", clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws InvalidArgumentException if a required option is missing, naming it
         */
        public RetrainingPolicy build() {
            List<String> missing = new ArrayList<>();
            if (model == null) {
                missing.add("model");
            }
            if (championVersion < 0) {
                missing.add("championVersion");
            }
            if (retrainer == null) {
                missing.add("retrainer");
            }
            if (scorer == null) {
                missing.add("scorer");
            }
            if (promoter == null) {
                missing.add("promoter");
            }
            if (!missing.isEmpty()) {
                throw new InvalidArgumentException("a retraining policy needs " + String.join(", ", missing));
            }
            return new RetrainingPolicy(this);
        }
    }
}
