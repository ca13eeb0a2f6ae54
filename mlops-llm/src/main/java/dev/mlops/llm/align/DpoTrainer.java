package dev.mlops.llm.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.llm.internal.SplitMix;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Scalars;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.llm.internal.train.Batch;
import dev.mlops.llm.internal.train.Encoded;
import dev.mlops.llm.internal.train.Forward;
import dev.mlops.llm.internal.train.Updater;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.LearningRateSchedule;
import dev.mlops.llm.train.SftConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct preference optimization (DPO) of a {@link Gpt2Model} on (prompt, chosen, rejected) pairs, such as those the
 * feedback store exports. Per pair the loss is
 * {@code -log sigmoid(beta * ((log pi(chosen) - log ref(chosen)) - (log pi(rejected) - log ref(rejected))))}, with
 * log-probabilities summed over completion tokens only (the prompt is masked, the end-of-text token counts). Whatever
 * parameters are trainable are trained: only the adapters once a {@code LoraAdapter} is attached, and the base then
 * stays bit-identical.
 *
 * <pre>{@code
 * LoraAdapter lora = LoraAdapter.attach(sftModel, LoraConfig.defaults(), 7);
 * DpoTrainer trainer = DpoTrainer.builder(sftModel, tokenizer)
 *         .format(PromptFormat.template("Q: {prompt}\nA: "))
 *         .config(DpoConfig.builder().beta(0.1)
 *                 .training(SftConfig.builder().learningRate(5e-4).epochs(2).microBatchSize(8).build()).build())
 *         .sink(run)
 *         .build();
 * DpoResult result = trainer.fit(PreferenceDataset.fromFeedback(store).split(0.1, 42).train(), null);
 * }</pre>
 *
 * <p>The reference is frozen. Without one on the builder, each fit takes the policy's starting weights (with freshly
 * attached adapters: the base with adapters disabled; see {@link DpoReference}). The reference's log-probabilities
 * are computed once per fit, before the first step, so each step runs the policy only. The loop is the one
 * supervised fine-tuning uses: AdamW with warm-up and cosine decay, gradient accumulation, global-norm clipping,
 * seeded data order, progress through a {@link ProgressListener} and metrics through a {@link MetricSink}:
 * {@code dpo/loss}, {@code dpo/reward_margin}, {@code dpo/reward_accuracy}, {@code dpo/chosen_reward},
 * {@code dpo/rejected_reward}, {@code train/learning_rate}, {@code train/grad_norm},
 * {@code train/tokens_per_second}, and {@code validation/dpo_loss}, {@code validation/reward_margin} and
 * {@code validation/reward_accuracy}. Dropout is off during preference training, so that the policy and the
 * reference agree exactly before the first step.
 *
 * <p>Immutable; a trainer may run several fits, one at a time: PyTorch records gradients for one fit per process.
 * It closes neither the model nor a reference given to it.
 */
public final class DpoTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DpoTrainer.class);

    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final DpoConfig config;
    private final DpoReference reference;
    private final MetricSink sink;
    private final ProgressListener progress;
    private final TimeSource clock;

    private DpoTrainer(Builder b) {
        this.model = b.model;
        this.tokenizer = b.tokenizer;
        this.format = b.format == null ? PromptFormat.plain() : b.format;
        this.config = b.config == null ? DpoConfig.defaults() : b.config;
        this.reference = b.reference;
        this.sink = b.sink == null ? MetricSink.noop() : b.sink;
        this.progress = b.progress == null ? ProgressListener.logging() : b.progress;
        this.clock = b.clock == null ? TimeSource.system() : b.clock;
    }

    /**
     * Starts configuring a trainer.
     *
     * @param policy the model to train; its trainable parameters are what gets trained
     * @param tokenizer its tokenizer
     * @return a builder
     * @throws InvalidArgumentException if the tokenizer's vocabulary is larger than the model's
     */
    public static Builder builder(Gpt2Model policy, TextTokenizer tokenizer) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabSize() > policy.config().vocabSize()) {
            throw new InvalidArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                    + "only " + policy.config().vocabSize());
        }
        return new Builder(policy, tokenizer);
    }

    /**
     * Returns the configuration.
     *
     * @return the settings
     */
    public DpoConfig config() {
        return config;
    }

    /**
     * Trains the policy on preference pairs.
     *
     * @param train the training pairs, at least one
     * @param validation the validation pairs, or null or empty for none
     * @return the outcome
     * @throws InvalidArgumentException if the dataset is empty or has no pair with completion tokens inside the
     *     maximum length, the model has no trainable parameter, or the loss diverges
     */
    public DpoResult fit(PreferenceDataset train, PreferenceDataset validation) {
        return new Session().fit(train, validation);
    }

    /**
     * Measures how the policy ranks preference pairs against a reference, without training.
     *
     * @param data the pairs
     * @param against the reference
     * @return the metrics
     * @throws InvalidArgumentException if the dataset is empty or has no usable pair, or the reference's vocabulary
     *     differs from the policy's
     */
    public PreferenceMetrics evaluate(PreferenceDataset data, DpoReference against) {
        Objects.requireNonNull(against, "against");
        checkReference(model, against);
        Session s = new Session();
        Pairs pairs = s.encode(data);
        s.referenceLogProbs(pairs, against);
        return s.metrics(pairs);
    }

    static void checkReference(Gpt2Model policy, DpoReference ref) {
        int a = policy.config().vocabSize();
        int b = ref.model().config().vocabSize();
        if (a != b) {
            throw new InvalidArgumentException("the reference model's vocabulary has " + b + " tokens but the "
                    + "policy's has " + a + "; both must share one tokenizer");
        }
    }

    /** Encoded pairs with their reference log-probabilities. */
    private static final class Pairs {
        final String name;
        final List<Encoded> chosen = new ArrayList<>();
        final List<Encoded> rejected = new ArrayList<>();
        float[] refChosen;
        float[] refRejected;

        Pairs(String name) {
            this.name = name;
        }

        int size() {
            return chosen.size();
        }
    }

    /** Everything one fit holds. */
    private final class Session {
        private final Gpt2Net net = (Gpt2Net) model.block();
        private final NDManager manager = model.manager();
        private final SftConfig t = config.training();
        private final double beta = config.beta();
        private final int rowLength;
        private int[] order;
        private int orderEpoch = -1;

        Session() {
            int context = model.config().contextLength();
            if (t.maxLength() > context) {
                throw new InvalidArgumentException("maxLength " + t.maxLength() + " exceeds the model's context "
                        + "length " + context);
            }
            this.rowLength = t.maxLength() == 0 ? context : t.maxLength();
        }

        Pairs encode(PreferenceDataset data) {
            Objects.requireNonNull(data, "data");
            if (data.size() == 0) {
                throw new InvalidArgumentException("preference dataset '" + data.name() + "' is empty");
            }
            Pairs out = new Pairs(data.name());
            int dropped = 0;
            int truncated = 0;
            for (PreferencePair p : data.pairs()) {
                Encoded c = Encoded.of(format.render(p.prompt(), p.chosen()), tokenizer, rowLength + 1);
                Encoded r = Encoded.of(format.render(p.prompt(), p.rejected()), tokenizer, rowLength + 1);
                if (c.truncated() || r.truncated()) {
                    truncated++;
                }
                if (c.targets() == 0 || r.targets() == 0 || Arrays.equals(c.ids(), r.ids())) {
                    dropped++;
                    continue;
                }
                out.chosen.add(c);
                out.rejected.add(r);
            }
            if (truncated > 0 || dropped > 0) {
                LOG.warn("{}: {} pairs cut to {} tokens, {} dropped for want of distinct completion tokens",
                        data.name(), truncated, rowLength + 1, dropped);
            }
            if (out.size() == 0) {
                throw new InvalidArgumentException("preference dataset '" + data.name() + "' has no pair with "
                        + "distinct completion tokens inside maxLength " + rowLength);
            }
            return out;
        }

        /** One padded batch: the chosen completions of the pairs, then their rejected ones. */
        Batch batch(Pairs p, int[] indices) {
            List<Encoded> rows = new ArrayList<>(indices.length * 2);
            for (int i : indices) {
                rows.add(p.chosen.get(i));
            }
            for (int i : indices) {
                rows.add(p.rejected.get(i));
            }
            return Batch.padded(rows);
        }

        /** Sums each row's completion log-probabilities: (rows). */
        NDArray sequenceLogProbs(Gpt2Net n, Weights w, NDManager m, Batch b) {
            NDArray logits = Forward.logits(n, w, m, b, false);
            return Forward.labelLogProbs(logits, m, b).mul(Forward.mask(m, b)).sum(new int[] {1});
        }

        @SuppressWarnings("try")
        void referenceLogProbs(Pairs p, DpoReference ref) {
            int ctx = ref.model().config().contextLength();
            if (ctx < rowLength) {
                throw new InvalidArgumentException("the reference model's context length " + ctx + " is shorter "
                        + "than the policy's rows of " + rowLength + " tokens; set maxLength to at most " + ctx);
            }
            p.refChosen = new float[p.size()];
            p.refRejected = new float[p.size()];
            Weights w = ref.weights();
            for (int[] idx : chunks(p.size())) {
                try (NDScope scope = new NDScope()) {
                    float[] v = sequenceLogProbs(ref.net(), w, ref.manager(), batch(p, idx)).toFloatArray();
                    for (int k = 0; k < idx.length; k++) {
                        p.refChosen[idx[k]] = v[k];
                        p.refRejected[idx[k]] = v[idx.length + k];
                    }
                }
            }
        }

        private List<int[]> chunks(int n) {
            List<int[]> out = new ArrayList<>();
            int micro = t.microBatchSize();
            for (int i = 0; i < n; i += micro) {
                int[] idx = new int[Math.min(micro, n - i)];
                for (int k = 0; k < idx.length; k++) {
                    idx[k] = i + k;
                }
                out.add(idx);
            }
            return out;
        }

        private NDArray refs(Pairs p, int[] idx) {
            float[] r = new float[idx.length * 2];
            for (int k = 0; k < idx.length; k++) {
                r[k] = p.refChosen[idx[k]];
                r[idx.length + k] = p.refRejected[idx[k]];
            }
            return manager.create(r, new Shape(r.length));
        }

        @SuppressWarnings("try")
        PreferenceMetrics metrics(Pairs p) {
            Tally tally = new Tally();
            for (int[] idx : chunks(p.size())) {
                try (NDScope scope = new NDScope()) {
                    Batch b = batch(p, idx);
                    float[] rewards = Scalars.times(sequenceLogProbs(net, Weights.DIRECT, manager, b).sub(refs(p, idx)), beta)
                            .toFloatArray();
                    tally.add(rewards, idx.length);
                }
            }
            return tally.metrics();
        }

        DpoResult fit(PreferenceDataset train, PreferenceDataset validation) {
            long start = clock.nanoTime();
            Pairs pairs = encode(train);
            Pairs val = validation == null || validation.size() == 0 ? null : encode(validation);
            try (Updater updater = new Updater(net, t.beta1(), t.beta2(), t.epsilon(), t.weightDecay(),
                    t.maxGradNorm())) {
                String refDescription;
                if (reference != null) {
                    checkReference(model, reference);
                    referenceLogProbs(pairs, reference);
                    if (val != null) {
                        referenceLogProbs(val, reference);
                    }
                    refDescription = reference.description();
                } else {
                    try (DpoReference ref = DpoReference.startingWeights(model)) {
                        referenceLogProbs(pairs, ref);
                        if (val != null) {
                            referenceLogProbs(val, ref);
                        }
                        refDescription = ref.description();
                    }
                }
                int n = pairs.size();
                int micro = t.microBatchSize();
                int microPerEpoch = (n + micro - 1) / micro;
                int stepsPerEpoch = (microPerEpoch + t.gradientAccumulation() - 1) / t.gradientAccumulation();
                long total = t.maxSteps() > 0 ? t.maxSteps() : (long) stepsPerEpoch * t.epochs();
                LearningRateSchedule schedule = new LearningRateSchedule(t.learningRate(), t.warmupSteps(),
                        (int) Math.min(total, Integer.MAX_VALUE), t.minLearningRateRatio());
                logParams(train, n, val == null ? 0 : val.size(), refDescription, updater.trainableCount());
                PreferenceMetrics initial = val == null ? null : metrics(val);
                PreferenceMetrics last = initial;
                List<DpoStep> history = new ArrayList<>();
                long tokens = 0;
                long stepNanos = 0;
                updater.zeroGrads();
                try (Progress prog = Progress.start(progress, "dpo " + train.name(), total, clock)) {
                    for (long s = 1; s <= total; s++) {
                        long t0 = clock.nanoTime();
                        DpoStep rec = trainStep(s, pairs, stepsPerEpoch, microPerEpoch, schedule.at(s), updater);
                        long t1 = clock.nanoTime();
                        stepNanos += t1 - t0;
                        tokens += rec.tokens();
                        boolean due = s == total || (t.evalEvery() > 0 ? s % t.evalEvery() == 0
                                : s % stepsPerEpoch == 0);
                        if (val != null && due) {
                            last = metrics(val);
                            rec = rec.withValidation(last);
                        }
                        history.add(rec);
                        logMetrics(rec, t1 - t0, total);
                        prog.advance(1, String.format(Locale.ROOT, "loss %.4f margin %.3f acc %.2f lr %.3g",
                                rec.loss(), rec.rewardMargin(), rec.rewardAccuracy(), rec.learningRate()));
                    }
                    prog.finish();
                }
                return new DpoResult(total, history, initial, val == null ? null : last, updater.trainableCount(),
                        tokens, stepNanos > 0 ? tokens * 1e9 / stepNanos : 0,
                        Duration.ofNanos(clock.nanoTime() - start), refDescription, model.device().toString());
            }
        }

        private int[] order(int epoch, int n) {
            if (epoch != orderEpoch) {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                    o[i] = i;
                }
                SplitMix rng = new SplitMix(t.seed() * 0x9E3779B97F4A7C15L + epoch);
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int x = o[i];
                    o[i] = o[j];
                    o[j] = x;
                }
                order = o;
                orderEpoch = epoch;
            }
            return order;
        }

        private DpoStep trainStep(long s, Pairs p, int stepsPerEpoch, int microPerEpoch, double lr, Updater updater) {
            int n = p.size();
            int micro = t.microBatchSize();
            int epoch = (int) ((s - 1) / stepsPerEpoch);
            int within = (int) ((s - 1) % stepsPerEpoch);
            int[] o = order(epoch, n);
            List<int[]> batches = new ArrayList<>();
            int pairsInStep = 0;
            int first = within * t.gradientAccumulation();
            for (int mb = first; mb < Math.min(microPerEpoch, first + t.gradientAccumulation()); mb++) {
                int from = mb * micro;
                int[] idx = Arrays.copyOfRange(o, from, Math.min(n, from + micro));
                batches.add(idx);
                pairsInStep += idx.length;
            }
            Tally tally = new Tally();
            long tokens = 0;
            for (int[] idx : batches) {
                tokens += microStep(p, idx, pairsInStep, tally);
            }
            PreferenceMetrics m = tally.metrics();
            if (!Double.isFinite(m.loss())) {
                throw new InvalidArgumentException("training diverged at step " + s + ": the loss is " + m.loss()
                        + "; lower the learning rate (" + t.learningRate() + ") or beta (" + beta + ")");
            }
            double norm = updater.step(lr);
            return new DpoStep(s, m.loss(), m.rewardMargin(), m.rewardAccuracy(), m.chosenReward(),
                    m.rejectedReward(), lr, norm, tokens, null);
        }

        @SuppressWarnings("try")
        private long microStep(Pairs p, int[] idx, int pairsInStep, Tally tally) {
            int k = idx.length;
            try (NDScope scope = new NDScope();
                    GradientCollector gc = manager.getEngine().newGradientCollector()) {
                Batch b = batch(p, idx);
                NDArray rewards = Scalars.times(sequenceLogProbs(net, Weights.DIRECT, manager, b).sub(refs(p, idx)), beta);
                NDArray z = rewards.get("0:" + k).sub(rewards.get(k + ":"));
                gc.backward(Scalars.times(softplus(z.neg()).sum(), 1.0 / pairsInStep));
                tally.add(rewards.toFloatArray(), k);
                return b.tokens();
            }
        }

        private void logParams(PreferenceDataset train, int pairs, int validationPairs, String ref, long trainable) {
            Map<String, Object> params = new LinkedHashMap<>();
            config.describe().forEach((k, v) -> params.put("dpo/" + k, v));
            params.put("dpo/format", format.describe());
            params.put("dpo/reference", ref);
            params.put("dpo/train_dataset", train.name());
            params.put("dpo/train_dataset_digest", train.digest());
            params.put("dpo/train_pairs", pairs);
            params.put("dpo/validation_pairs", validationPairs);
            params.put("dpo/device", model.device().toString());
            params.put("model/config", model.config().toString());
            params.put("model/parameters", model.parameterCount());
            params.put("model/trainable_parameters", trainable);
            sink.logParams(params);
        }

        private void logMetrics(DpoStep rec, long nanos, long total) {
            long s = rec.step();
            PreferenceMetrics v = rec.validation();
            if (v != null) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("validation/dpo_loss", v.loss());
                m.put("validation/reward_margin", v.rewardMargin());
                m.put("validation/reward_accuracy", v.rewardAccuracy());
                sink.logMetrics(m, s);
            }
            if (s % t.logEvery() != 0 && s != total) {
                return;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("dpo/loss", rec.loss());
            m.put("dpo/reward_margin", rec.rewardMargin());
            m.put("dpo/reward_accuracy", rec.rewardAccuracy());
            m.put("dpo/chosen_reward", rec.chosenReward());
            m.put("dpo/rejected_reward", rec.rejectedReward());
            m.put("train/learning_rate", rec.learningRate());
            m.put("train/grad_norm", rec.gradNorm());
            m.put("train/tokens_per_second", nanos > 0 ? rec.tokens() * 1e9 / nanos : 0);
            sink.logMetrics(m, s);
        }
    }

    /** PyTorch's {@code log(1 + exp(x))}: stable for large x, and with the true gradient 1/2 at 0. */
    static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }

    /** Sums rewards over pairs. */
    private static final class Tally {
        double loss;
        double margin;
        double chosen;
        double rejected;
        int wins;
        int pairs;

        /** Adds rewards laid out as k chosen, then k rejected. */
        void add(float[] rewards, int k) {
            for (int i = 0; i < k; i++) {
                double c = rewards[i];
                double r = rewards[k + i];
                double z = c - r;
                loss += Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                margin += z;
                chosen += c;
                rejected += r;
                if (c > r) {
                    wins++;
                }
            }
            pairs += k;
        }

        PreferenceMetrics metrics() {
            return new PreferenceMetrics(loss / pairs, margin / pairs, (double) wins / pairs, chosen / pairs,
                    rejected / pairs, pairs);
        }
    }

    /** Configures a trainer. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Gpt2Model model;
        private final TextTokenizer tokenizer;
        private PromptFormat format;
        private DpoConfig config;
        private DpoReference reference;
        private MetricSink sink;
        private ProgressListener progress;
        private TimeSource clock;

        private Builder(Gpt2Model model, TextTokenizer tokenizer) {
            this.model = model;
            this.tokenizer = tokenizer;
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        /**
         * Sets the prompt format ({@link PromptFormat#plain()} when not set); generation must use the same.
         *
         * @param value the format
         * @return this builder
         * @throws IllegalStateException if it was already set
         */
        public Builder format(PromptFormat value) {
            once(format, "format");
            format = Objects.requireNonNull(value, "format");
            return this;
        }

        /**
         * Sets the settings ({@link DpoConfig#defaults()} when not set).
         *
         * @param value the settings
         * @return this builder
         * @throws IllegalStateException if they were already set
         */
        public Builder config(DpoConfig value) {
            once(config, "config");
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * Sets the frozen reference (the policy's starting weights of each fit when not set). The trainer does not
         * close it.
         *
         * @param value the reference
         * @return this builder
         * @throws IllegalStateException if it was already set
         * @throws InvalidArgumentException if its vocabulary differs from the policy's, naming both sizes
         */
        public Builder reference(DpoReference value) {
            once(reference, "reference");
            checkReference(model, Objects.requireNonNull(value, "reference"));
            reference = value;
            return this;
        }

        /**
         * Sets where parameters and metrics go (nowhere when not set); a tracking run is a sink.
         *
         * @param value the sink
         * @return this builder
         * @throws IllegalStateException if it was already set
         */
        public Builder sink(MetricSink value) {
            once(sink, "sink");
            sink = Objects.requireNonNull(value, "sink");
            return this;
        }

        /**
         * Sets the progress listener (SLF4J logging when not set).
         *
         * @param value the listener
         * @return this builder
         * @throws IllegalStateException if it was already set
         */
        public Builder progress(ProgressListener value) {
            once(progress, "progress");
            progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /**
         * Sets the clock that measures time (the system clock when not set).
         *
         * @param value the clock
         * @return this builder
         * @throws IllegalStateException if it was already set
         */
        public Builder clock(TimeSource value) {
            once(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public DpoTrainer build() {
            return new DpoTrainer(this);
        }
    }
}
