package dev.mlops.llm.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.MultiObjective;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.Trial;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftTrainer;
import dev.mlops.llm.train.TrainingResult;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready-made cost-aware tuning problem for LoRA fine-tuning: a {@link SearchSpace} over the learning rate
 * (log-uniform), the micro-batch size and LoRA rank (categorical) and the number of optimizer steps (whole numbers),
 * and a {@link MultiObjective} whose two values, both minimized, are quality (the validation loss per completion
 * token after training) and cost (a {@link TrainingCost}: device seconds by default). Any study runner that takes the
 * {@code dev.mlops.api.tuning} contracts runs it; with the tracking module's study, the Pareto front is the set of
 * non-dominated quality/cost trade-offs and each trial is a run:
 *
 * <pre>{@code
 * FineTuneTuning tuning = FineTuneTuning.builder(model, tokenizer, split.train(), split.validation())
 *         .format(PromptFormat.template("{prompt}="))
 *         .cost(TrainingCost.pricedTokens(Pricing.perMillionTokens(0.4, 0)))
 *         .build();
 * Study study = Study.builder("reverse-lora-cost")
 *         .space(tuning.space()).directions(tuning.directions()).objectiveNames(tuning.objectiveNames())
 *         .tracking(tracking).build();
 * study.optimizeMulti(tuning.objective(), Budget.trials(20));
 * List<FrozenTrial> front = study.paretoFront();
 * }</pre>
 *
 * <p>Each trial attaches a fresh adapter (seeded, alpha = 2 x rank) to the shared base model, trains it, measures the
 * validation loss and detaches it again, so the base weights never change. Besides the objective values, a trial's
 * metric sink (its run) receives the trainer's parameters and metrics and {@code device_seconds},
 * {@code train_tokens}, {@code trainable_parameters} and {@code final_train_loss}; the cost also goes to
 * {@link Trial#reportCost}, so a cost budget applies.
 *
 * <p>Immutable and thread-safe: trials share the base model, so the objective runs one at a time whatever the study's
 * parallelism. The model and tokenizer stay owned by the caller and must outlive the study.
 */
public final class FineTuneTuning {
    /** The learning-rate parameter. */
    public static final String LEARNING_RATE = "learning_rate";
    /** The micro-batch-size parameter. */
    public static final String BATCH_SIZE = "batch_size";
    /** The LoRA-rank parameter. */
    public static final String LORA_RANK = "lora_rank";
    /** The optimizer-steps parameter. */
    public static final String STEPS = "steps";
    /** The quality objective's name. */
    public static final String QUALITY = "validation_loss";

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneTuning.class);

    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final SftDataset train;
    private final SftDataset validation;
    private final PromptFormat format;
    private final TrainingCost cost;
    private final SearchSpace space;
    private final long seed;
    private final ReentrantLock lock;

    private FineTuneTuning(Builder b) {
        this.model = b.model;
        this.tokenizer = b.tokenizer;
        this.train = b.train;
        this.validation = b.validation;
        this.format = b.format == null ? PromptFormat.plain() : b.format;
        this.cost = b.cost == null ? TrainingCost.deviceSeconds() : b.cost;
        this.seed = b.seed == null ? 0 : b.seed;
        double[] lr = b.learningRate == null ? new double[] {1e-4, 1e-2} : b.learningRate;
        int[] steps = b.steps == null ? new int[] {10, 100} : b.steps;
        this.space = SearchSpace.builder()
                .logUniform(LEARNING_RATE, lr[0], lr[1])
                .categorical(BATCH_SIZE, boxed(b.batchSizes == null ? new int[] {4, 8, 16} : b.batchSizes))
                .categorical(LORA_RANK, boxed(b.loraRanks == null ? new int[] {2, 4, 8} : b.loraRanks))
                .integer(STEPS, steps[0], steps[1])
                .build();
        this.lock = new ReentrantLock();
    }

    private static Object[] boxed(int[] values) {
        return Arrays.stream(values).boxed().toArray();
    }

    /**
     * Starts configuring the tuning problem.
     *
     * @param model the base model; trials attach adapters to it one at a time, and it must have none attached
     * @param tokenizer its tokenizer
     * @param train the training examples, at least one
     * @param validation the examples the quality objective is measured on, at least one
     * @return a builder
     * @throws InvalidArgumentException if a dataset is empty or the tokenizer's vocabulary is larger than the model's
     */
    public static Builder builder(Gpt2Model model, TextTokenizer tokenizer, SftDataset train,
            SftDataset validation) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        if (train.size() == 0) {
            throw new InvalidArgumentException("the training dataset '" + train.name() + "' is empty");
        }
        if (validation.size() == 0) {
            throw new InvalidArgumentException("the validation dataset '" + validation.name() + "' is empty; the "
                    + "quality objective is measured on it");
        }
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new InvalidArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                    + "only " + model.config().vocabSize());
        }
        return new Builder(model, tokenizer, train, validation);
    }

    /**
     * Returns the search space: {@value #LEARNING_RATE}, {@value #BATCH_SIZE}, {@value #LORA_RANK},
     * {@value #STEPS}.
     *
     * @return the space
     */
    public SearchSpace space() {
        return space;
    }

    /**
     * Returns the objectives' directions: quality, then cost, both minimized.
     *
     * @return a new array, ready for a study builder's {@code directions(...)}
     */
    public Direction[] directions() {
        return new Direction[] {Direction.MINIMIZE, Direction.MINIMIZE};
    }

    /**
     * Returns the objectives' names: {@value #QUALITY}, then the cost's {@link TrainingCost#metricName()}.
     *
     * @return a new array, ready for a study builder's {@code objectiveNames(...)}
     */
    public String[] objectiveNames() {
        return new String[] {QUALITY, cost.metricName()};
    }

    /**
     * Returns the cost measure.
     *
     * @return the measure
     */
    public TrainingCost cost() {
        return cost;
    }

    /**
     * Returns the objective: trains one adapter with the trial's parameters and returns its validation loss and
     * cost.
     *
     * @return the objective; it throws {@link InvalidArgumentException} if training diverges, which a study records
     *     as a failed trial
     */
    public MultiObjective objective() {
        return this::evaluate;
    }

    private double[] evaluate(Trial trial) {
        double learningRate = trial.getDouble(LEARNING_RATE);
        int batchSize = trial.getInt(BATCH_SIZE);
        int rank = trial.getInt(LORA_RANK);
        int steps = trial.getInt(STEPS);
        lock.lock();
        try {
            Gpt2Net net = (Gpt2Net) model.block();
            if (net.projections().values().stream().anyMatch(Projection::hasLora)) {
                throw new IllegalStateException("the base model has an adapter attached outside this study; detach "
                        + "it before tuning");
            }
            LoraAdapter adapter = LoraAdapter.attach(model,
                    LoraConfig.builder().rank(rank).alpha(2.0 * rank).build(), seed + trial.number());
            try {
                MetricSink sink = trial.metrics();
                SftTrainer trainer = SftTrainer.builder(model, tokenizer).format(format)
                        .config(SftConfig.builder().learningRate(learningRate).maxSteps(steps)
                                .microBatchSize(batchSize).seed(seed).logEvery(Math.max(1, steps / 10)).build())
                        .sink(sink).progress(ProgressListener.noop()).build();
                TrainingResult result = trainer.fit(train, null);
                double quality = trainer.loss(validation);
                double spent = cost.of(result);
                trial.reportCost(spent);
                sink.logMetric("device_seconds", result.elapsed().toNanos() / 1e9);
                sink.logMetric("train_tokens", result.tokens());
                sink.logMetric("trainable_parameters", result.trainableParameters());
                sink.logMetric("final_train_loss", result.finalTrainLoss());
                LOG.debug("trial {}: lr={} batch={} rank={} steps={} -> {}={} {}={}", trial.number(), learningRate,
                        batchSize, rank, steps, QUALITY, quality, cost.metricName(), spent);
                return new double[] {quality, spent};
            } finally {
                adapter.detach();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FineTuneTuning[" + space + ", cost " + cost.metricName() + "]";
    }

    /** Configures the tuning problem. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Gpt2Model model;
        private final TextTokenizer tokenizer;
        private final SftDataset train;
        private final SftDataset validation;
        private PromptFormat format;
        private TrainingCost cost;
        private double[] learningRate;
        private int[] batchSizes;
        private int[] loraRanks;
        private int[] steps;
        private Long seed;

        private Builder(Gpt2Model model, TextTokenizer tokenizer, SftDataset train, SftDataset validation) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.train = train;
            this.validation = validation;
        }

        private static void once(String option, Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + (current instanceof double[] d
                        ? Arrays.toString(d) : current instanceof int[] i ? Arrays.toString(i) : current));
            }
        }

        /**
         * Sets the prompt format the trainer renders examples with ({@link PromptFormat#plain()} when not set).
         *
         * @param value the format
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder format(PromptFormat value) {
            once("format", format);
            format = Objects.requireNonNull(value, "format");
            return this;
        }

        /**
         * Sets how cost is measured ({@link TrainingCost#deviceSeconds()} when not set).
         *
         * @param value the measure
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder cost(TrainingCost value) {
            once("cost", cost);
            cost = Objects.requireNonNull(value, "cost");
            return this;
        }

        /**
         * Sets the learning-rate range, searched on a log scale (1e-4 to 1e-2 when not set).
         *
         * @param low the lowest rate, positive
         * @param high the highest rate, at least low
         * @return this builder
         * @throws InvalidArgumentException if low is not positive, a bound is not finite, or high is below low
         * @throws IllegalStateException if already set
         */
        public Builder learningRate(double low, double high) {
            once("learningRate", learningRate);
            if (!(low > 0) || !Double.isFinite(high) || !(high >= low)) {
                throw new InvalidArgumentException("learningRate needs 0 < low <= high, both finite, not [" + low
                        + ", " + high + "]");
            }
            learningRate = new double[] {low, high};
            return this;
        }

        /**
         * Sets the micro-batch sizes to choose from (4, 8 and 16 when not set).
         *
         * @param values distinct sizes, each at least 1
         * @return this builder
         * @throws InvalidArgumentException if there are none, one is below 1 or one repeats
         * @throws IllegalStateException if already set
         */
        public Builder batchSizes(int... values) {
            once("batchSizes", batchSizes);
            batchSizes = choices("batchSizes", values);
            return this;
        }

        /**
         * Sets the LoRA ranks to choose from (2, 4 and 8 when not set).
         *
         * @param values distinct ranks, each at least 1
         * @return this builder
         * @throws InvalidArgumentException if there are none, one is below 1 or one repeats
         * @throws IllegalStateException if already set
         */
        public Builder loraRanks(int... values) {
            once("loraRanks", loraRanks);
            loraRanks = choices("loraRanks", values);
            return this;
        }

        /**
         * Sets the range of optimizer steps (10 to 100 when not set).
         *
         * @param low the fewest steps, at least 1
         * @param high the most steps, at least low
         * @return this builder
         * @throws InvalidArgumentException if low is below 1 or high is below low
         * @throws IllegalStateException if already set
         */
        public Builder steps(int low, int high) {
            once("steps", steps);
            if (low < 1 || high < low) {
                throw new InvalidArgumentException("steps needs 1 <= low <= high, not [" + low + ", " + high + "]");
            }
            steps = new int[] {low, high};
            return this;
        }

        /**
         * Sets the seed of data order and dropout (the same for every trial) and of the adapters' initial weights
         * (the seed plus the trial's number); 0 when not set.
         *
         * @param value the seed
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder seed(long value) {
            once("seed", seed);
            seed = value;
            return this;
        }

        private static int[] choices(String option, int[] values) {
            if (values == null || values.length == 0) {
                throw new InvalidArgumentException(option + " needs at least one value");
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 1) {
                    throw new InvalidArgumentException(option + " must all be at least 1, but " + values[i]
                            + " was given");
                }
                for (int j = 0; j < i; j++) {
                    if (values[j] == values[i]) {
                        throw new InvalidArgumentException(option + " lists " + values[i] + " twice");
                    }
                }
            }
            return values.clone();
        }

        /**
         * Builds the tuning problem.
         *
         * @return the tuning problem
         */
        public FineTuneTuning build() {
            return new FineTuneTuning(this);
        }
    }
}
