package dev.mlops.llm.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Scalars;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.llm.internal.train.AdamW;
import dev.mlops.llm.internal.train.Batch;
import dev.mlops.llm.internal.train.Encoded;
import dev.mlops.llm.internal.train.Forward;
import dev.mlops.llm.internal.train.Plan;
import dev.mlops.llm.internal.train.Updater;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.train.LearningRateSchedule;
import dev.mlops.llm.train.Precision;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import dev.mlops.llm.train.StepRecord;
import dev.mlops.llm.train.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knowledge distillation: trains a student {@link Gpt2Model} to match a frozen teacher's next-token distributions
 * on completion tokens, mixed with the usual cross-entropy on the labels (see {@link DistillConfig} for the loss). The
 * student is any configuration of the same family, typically with fewer layers or a smaller width; both must share
 * one vocabulary and one tokenizer. Whatever parameters of the student are trainable are trained, so a student may
 * also carry LoRA adapters.
 *
 * <pre>{@code
 * Gpt2Config smaller = Gpt2Config.builder().vocabSize(teacher.config().vocabSize()).layers(2).embeddingSize(128)
 *         .heads(4).build();
 * try (Gpt2Model student = Gpt2Model.create(smaller, 7)) {
 *     Distiller distiller = Distiller.builder(teacher, student, tokenizer)
 *             .format(format)
 *             .config(DistillConfig.builder().temperature(2).alpha(0.7)
 *                     .training(SftConfig.builder().learningRate(3e-3).epochs(3).build()).build())
 *             .sink(run)
 *             .build();
 *     TrainingResult result = distiller.fit(split.train(), split.validation());
 *     DistillationReport report = distiller.report(split.validation());   // size, speed, loss, KL, agreement
 * }
 * }</pre>
 *
 * <p>The teacher runs without gradients and is never updated. The loop is the one supervised fine-tuning uses: AdamW
 * with warm-up and cosine decay, gradient accumulation, global-norm clipping, packing, seeded data order and dropout,
 * progress through a {@link ProgressListener} and metrics through a {@link MetricSink}: {@code distill/loss},
 * {@code distill/kl}, {@code distill/hard_loss}, {@code train/learning_rate}, {@code train/grad_norm},
 * {@code train/tokens_per_second} and {@code validation/loss} (the student's cross-entropy on the labels).
 *
 * <p>Immutable; a distiller may run several fits, one at a time: PyTorch records gradients for one fit per process.
 * It closes neither model.
 */
public final class Distiller {
    private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);

    private final Gpt2Model teacher;
    private final Gpt2Model student;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final DistillConfig config;
    private final MetricSink sink;
    private final ProgressListener progress;
    private final TimeSource clock;

    private Distiller(Builder b) {
        this.teacher = b.teacher;
        this.student = b.student;
        this.tokenizer = b.tokenizer;
        this.format = b.format == null ? PromptFormat.plain() : b.format;
        this.config = b.config == null ? DistillConfig.defaults() : b.config;
        this.sink = b.sink == null ? MetricSink.noop() : b.sink;
        this.progress = b.progress == null ? ProgressListener.logging() : b.progress;
        this.clock = b.clock == null ? TimeSource.system() : b.clock;
    }

    /**
     * Starts configuring a distiller.
     *
     * @param teacher the frozen teacher
     * @param student the model to train; its trainable parameters are what gets trained
     * @param tokenizer the tokenizer both share
     * @return a builder
     * @throws InvalidArgumentException if the two vocabularies differ (naming both sizes), the tokenizer's vocabulary
     *     is larger than theirs, the models live on different devices, or the teacher is the student
     */
    public static Builder builder(Gpt2Model teacher, Gpt2Model student, TextTokenizer tokenizer) {
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (teacher == student) {
            throw new InvalidArgumentException("the teacher and the student are the same model " + teacher);
        }
        int tv = teacher.config().vocabSize();
        int sv = student.config().vocabSize();
        if (tv != sv) {
            throw new InvalidArgumentException("the student's vocabulary has " + sv + " tokens but the teacher's has "
                    + tv + "; distillation needs one vocabulary and tokenizer for both");
        }
        if (tokenizer.vocabSize() > sv) {
            throw new InvalidArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the models "
                    + "only " + sv);
        }
        if (!teacher.device().equals(student.device())) {
            throw new InvalidArgumentException("the teacher is on " + teacher.device() + " but the student on "
                    + student.device() + "; place both on one device");
        }
        if (student.parameterCount() >= teacher.parameterCount()) {
            LOG.warn("the student ({} parameters) is not smaller than the teacher ({})", student.parameterCount(),
                    teacher.parameterCount());
        }
        return new Builder(teacher, student, tokenizer);
    }

    /**
     * Returns the configuration.
     *
     * @return the settings
     */
    public DistillConfig config() {
        return config;
    }

    /**
     * Trains the student.
     *
     * @param train the training examples, at least one
     * @param validation the validation examples, or null or empty for none
     * @return the outcome; each step's {@code trainLoss} is the mixed loss, and {@code validationLoss} the student's
     *     cross-entropy on the labels
     * @throws InvalidArgumentException if the dataset is empty or has no example with completion tokens inside the
     *     maximum length, the student has no trainable parameter, or the loss diverges
     */
    public TrainingResult fit(SftDataset train, SftDataset validation) {
        return new Session().fit(train, validation);
    }

    /**
     * Measures teacher and student on a validation set: parameters, bytes, forward-pass speed, loss and token
     * accuracy of each, and how closely the student follows the teacher.
     *
     * @param validation the examples
     * @return the report
     * @throws InvalidArgumentException if the dataset is empty or has no usable example
     */
    public DistillationReport report(SftDataset validation) {
        return new Session().report(validation);
    }

    /** Everything one fit holds. */
    private final class Session {
        private final Gpt2Net teacherNet = (Gpt2Net) teacher.block();
        private final Gpt2Net studentNet = (Gpt2Net) student.block();
        private final NDManager teacherManager = teacher.manager();
        private final NDManager manager = student.manager();
        private final SftConfig t = config.training();
        private final double temperature = config.temperature();
        private final double alpha = config.alpha();
        private final int rowLength;

        Session() {
            int context = Math.min(teacher.config().contextLength(), student.config().contextLength());
            if (t.maxLength() > context) {
                throw new InvalidArgumentException("maxLength " + t.maxLength() + " exceeds the context length "
                        + context + " of the shorter of teacher and student");
            }
            this.rowLength = t.maxLength() == 0 ? context : t.maxLength();
        }

        List<Encoded> encode(SftDataset data) {
            Objects.requireNonNull(data, "data");
            if (data.size() == 0) {
                throw new InvalidArgumentException("dataset '" + data.name() + "' is empty");
            }
            List<Encoded> out = new ArrayList<>();
            int dropped = 0;
            for (SftExample e : data.examples()) {
                Encoded enc = Encoded.of(e.render(format), tokenizer, rowLength + 1);
                if (enc.targets() == 0 || enc.positions() == 0) {
                    dropped++;
                } else {
                    out.add(enc);
                }
            }
            if (dropped > 0) {
                LOG.warn("{}: {} examples dropped for want of completion tokens", data.name(), dropped);
            }
            if (out.isEmpty()) {
                throw new InvalidArgumentException("dataset '" + data.name() + "' has no example with completion "
                        + "tokens inside maxLength " + rowLength);
            }
            return out;
        }

        List<Batch> batches(List<Encoded> examples) {
            List<Batch> out = new ArrayList<>();
            for (int i = 0; i < examples.size(); i += t.microBatchSize()) {
                out.add(Batch.padded(examples.subList(i, Math.min(examples.size(), i + t.microBatchSize()))));
            }
            return out;
        }

        TrainingResult fit(SftDataset train, SftDataset validation) {
            long start = clock.nanoTime();
            List<Encoded> encoded = encode(train);
            List<Batch> validationBatches = validation == null || validation.size() == 0 ? List.of()
                    : batches(encode(validation));
            Plan plan = new Plan(encoded, t.microBatchSize(), t.gradientAccumulation(), t.packing(), rowLength,
                    t.seed());
            long total = t.maxSteps() > 0 ? t.maxSteps() : plan.stepsFor(t.epochs());
            LearningRateSchedule schedule = new LearningRateSchedule(t.learningRate(), t.warmupSteps(),
                    (int) Math.min(total, Integer.MAX_VALUE), t.minLearningRateRatio());
            boolean needsRandom = student.config().dropout() > 0
                    || studentNet.projections().values().stream().anyMatch(p -> p.loraDropout() > 0);
            List<StepRecord> history = new ArrayList<>();
            double best = Double.NaN;
            long bestStep = 0;
            long tokens = 0;
            long stepNanos = 0;
            try (Updater updater = new Updater(studentNet, t.beta1(), t.beta2(), t.epsilon(), t.weightDecay(),
                    t.maxGradNorm())) {
                logParams(train, encoded.size(), validationBatches, updater.trainableCount());
                updater.zeroGrads();
                try (Progress prog = Progress.start(progress, "distill " + train.name(), total, clock)) {
                    for (long s = 1; s <= total; s++) {
                        long t0 = clock.nanoTime();
                        if (needsRandom) {
                            Forward.seedStep(t.seed(), s);
                        }
                        List<Batch> step = plan.step(s);
                        int targets = 0;
                        long stepTokens = 0;
                        for (Batch b : step) {
                            targets += b.targets();
                            stepTokens += b.tokens();
                        }
                        double[] sums = new double[3];
                        for (Batch b : step) {
                            double[] m = microStep(b, targets);
                            for (int i = 0; i < 3; i++) {
                                sums[i] += m[i];
                            }
                        }
                        double loss = sums[0] / targets;
                        if (!Double.isFinite(loss)) {
                            throw new InvalidArgumentException("training diverged at step " + s + ": the loss is "
                                    + loss + "; lower the learning rate (" + t.learningRate() + ")");
                        }
                        double lr = schedule.at(s);
                        double norm = updater.step(lr);
                        long t1 = clock.nanoTime();
                        stepNanos += t1 - t0;
                        tokens += stepTokens;
                        StepRecord rec = new StepRecord(s, loss, lr, norm, stepTokens, Double.NaN, false);
                        boolean due = s == total || (t.evalEvery() > 0 ? s % t.evalEvery() == 0 : plan.endsEpoch(s));
                        if (!validationBatches.isEmpty() && due) {
                            double vl = hardLoss(studentNet, manager, validationBatches);
                            rec = rec.withValidationLoss(vl);
                            if (Double.isNaN(best) || vl < best) {
                                best = vl;
                                bestStep = s;
                            }
                        }
                        history.add(rec);
                        logMetrics(rec, sums[1] / targets, sums[2] / targets, t1 - t0, total);
                        prog.advance(1, String.format(Locale.ROOT, "loss %.4f kl %.4f lr %.3g", loss,
                                sums[1] / targets, lr));
                    }
                    prog.finish();
                }
                long trainable = updater.trainableCount();
                double hours = (clock.nanoTime() - start) / 3.6e12;
                return new TrainingResult(total, total, false, best, bestStep,
                        history.get(history.size() - 1).trainLoss(), history, trainable,
                        AdamW.stateBytesFor(trainable), tokens, stepNanos > 0 ? tokens * 1e9 / stepNanos : 0,
                        Duration.ofNanos(clock.nanoTime() - start), hours * t.pricePerDeviceHour(), Precision.FP32,
                        student.device().toString(), null);
            }
        }

        /** Runs one micro-batch forward and backward; returns the summed mixed loss, KL and cross-entropy. */
        @SuppressWarnings("try")
        private double[] microStep(Batch b, int targets) {
            try (NDScope scope = new NDScope()) {
                NDArray teacherLog = null;
                NDArray teacherProb = null;
                if (alpha > 0) {
                    // outside the gradient collector: the teacher records no graph
                    teacherLog = Scalars.times(Forward.logits(teacherNet, Weights.DIRECT, teacherManager, b, false),
                            1 / temperature).logSoftmax(-1).stopGradient();
                    teacherProb = teacherLog.exp();
                }
                try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                    NDArray logits = Forward.logits(studentNet, Weights.DIRECT, manager, b, true);
                    NDArray mask = Forward.mask(manager, b);
                    NDArray ce = Forward.labelLogProbs(logits, manager, b).neg();
                    NDArray perToken = Scalars.times(ce, 1 - alpha);
                    NDArray kl = null;
                    if (alpha > 0) {
                        NDArray studentLog = Scalars.times(logits, 1 / temperature).logSoftmax(-1);
                        kl = teacherProb.mul(teacherLog.sub(studentLog)).sum(new int[] {2});
                        perToken = perToken.add(Scalars.times(kl, alpha * temperature * temperature));
                    }
                    NDArray total = perToken.mul(mask).sum();
                    gc.backward(Scalars.times(total, 1.0 / targets));
                    return new double[] {total.getFloat(), kl == null ? 0 : kl.mul(mask).sum().getFloat(),
                            ce.mul(mask).sum().getFloat()};
                }
            }
        }

        @SuppressWarnings("try")
        double hardLoss(Gpt2Net net, NDManager m, List<Batch> batches) {
            double nll = 0;
            long count = 0;
            for (Batch b : batches) {
                try (NDScope scope = new NDScope()) {
                    NDArray logits = Forward.logits(net, Weights.DIRECT, m, b, false);
                    nll -= Forward.labelLogProbs(logits, m, b).mul(Forward.mask(m, b)).sum().getFloat();
                    count += b.targets();
                }
            }
            return nll / count;
        }

        @SuppressWarnings("try")
        DistillationReport report(SftDataset validation) {
            List<Batch> batches = batches(encode(validation));
            long teacherNanos = 0;
            long studentNanos = 0;
            long inputTokens = 0;
            long targets = 0;
            double[] teacherSums = new double[2];
            double[] studentSums = new double[2];
            double kl = 0;
            long agree = 0;
            try (NDScope warm = new NDScope()) {
                Forward.logits(teacherNet, Weights.DIRECT, teacherManager, batches.get(0), false).getFloat(0, 0, 0);
                Forward.logits(studentNet, Weights.DIRECT, manager, batches.get(0), false).getFloat(0, 0, 0);
            }
            for (Batch b : batches) {
                try (NDScope scope = new NDScope()) {
                    long t0 = clock.nanoTime();
                    NDArray tl = Forward.logits(teacherNet, Weights.DIRECT, teacherManager, b, false);
                    tl.getFloat(0, 0, 0);
                    long t1 = clock.nanoTime();
                    NDArray sl = Forward.logits(studentNet, Weights.DIRECT, manager, b, false);
                    sl.getFloat(0, 0, 0);
                    long t2 = clock.nanoTime();
                    teacherNanos += t1 - t0;
                    studentNanos += t2 - t1;
                    inputTokens += b.tokens();
                    targets += b.targets();
                    NDArray mask = Forward.mask(manager, b);
                    quality(tl, b, mask, teacherSums);
                    quality(sl, b, mask, studentSums);
                    NDArray tLog = tl.logSoftmax(-1);
                    NDArray sLog = sl.logSoftmax(-1);
                    kl += tLog.exp().mul(tLog.sub(sLog)).sum(new int[] {2}).mul(mask).sum().getFloat();
                    agree += tl.argMax(2).eq(sl.argMax(2)).toType(DataType.FLOAT32, false)
                            .mul(mask).sum().getFloat();
                }
            }
            ModelSummary ts = summary(teacher, inputTokens, teacherNanos, teacherSums, targets);
            ModelSummary ss = summary(student, inputTokens, studentNanos, studentSums, targets);
            return new DistillationReport(ts, ss, kl / targets, (double) agree / targets, targets);
        }

        private void quality(NDArray logits, Batch b, NDArray mask, double[] sums) {
            NDManager m = logits.getManager();
            sums[0] -= Forward.labelLogProbs(logits, m, b).mul(mask).sum().getFloat();
            NDArray labels = m.create(b.labels(), new Shape(b.rows(), b.length()));
            sums[1] += logits.argMax(2).eq(labels).toType(DataType.FLOAT32, false).mul(mask)
                    .sum().getFloat();
        }

        private ModelSummary summary(Gpt2Model model, long tokens, long nanos, double[] sums, long targets) {
            return new ModelSummary(model.parameterCount(), model.parameterCount() * 4,
                    nanos > 0 ? tokens * 1e9 / nanos : 0, sums[0] / targets, sums[1] / targets);
        }

        private void logParams(SftDataset train, int examples, List<Batch> validationBatches, long trainable) {
            Map<String, Object> params = new LinkedHashMap<>();
            config.describe().forEach((k, v) -> params.put("distill/" + k, v));
            params.put("distill/format", format.describe());
            params.put("distill/train_dataset", train.name());
            params.put("distill/train_dataset_digest", train.digest());
            params.put("distill/train_examples", examples);
            params.put("distill/validation_examples", validationBatches.stream().mapToInt(Batch::rows).sum());
            params.put("distill/device", student.device().toString());
            params.put("teacher/config", teacher.config().toString());
            params.put("teacher/parameters", teacher.parameterCount());
            params.put("model/config", student.config().toString());
            params.put("model/parameters", student.parameterCount());
            params.put("model/trainable_parameters", trainable);
            sink.logParams(params);
        }

        private void logMetrics(StepRecord rec, double kl, double hard, long nanos, long total) {
            long s = rec.step();
            if (!Double.isNaN(rec.validationLoss())) {
                sink.logMetric("validation/loss", rec.validationLoss(), s);
            }
            if (s % t.logEvery() != 0 && s != total) {
                return;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("distill/loss", rec.trainLoss());
            m.put("distill/kl", kl);
            m.put("distill/hard_loss", hard);
            m.put("train/learning_rate", rec.learningRate());
            m.put("train/grad_norm", rec.gradNorm());
            m.put("train/tokens_per_second", nanos > 0 ? rec.tokens() * 1e9 / nanos : 0);
            sink.logMetrics(m, s);
        }
    }

    /** Configures a distiller. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Gpt2Model teacher;
        private final Gpt2Model student;
        private final TextTokenizer tokenizer;
        private PromptFormat format;
        private DistillConfig config;
        private MetricSink sink;
        private ProgressListener progress;
        private TimeSource clock;

        private Builder(Gpt2Model teacher, Gpt2Model student, TextTokenizer tokenizer) {
            this.teacher = teacher;
            this.student = student;
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
         * Sets the settings ({@link DistillConfig#defaults()} when not set).
         *
         * @param value the settings
         * @return this builder
         * @throws IllegalStateException if they were already set
         */
        public Builder config(DistillConfig value) {
            once(config, "config");
            config = Objects.requireNonNull(value, "config");
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
         * Builds the distiller.
         *
         * @return the distiller
         */
        public Distiller build() {
            return new Distiller(this);
        }
    }
}
