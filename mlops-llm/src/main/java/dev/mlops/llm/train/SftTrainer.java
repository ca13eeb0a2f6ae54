package dev.mlops.llm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ConflictException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.api.spi.Progress;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.llm.internal.SplitMix;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.HfWeights;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.llm.internal.train.AdamW;
import dev.mlops.llm.internal.train.Batch;
import dev.mlops.llm.internal.train.CheckpointFiles;
import dev.mlops.llm.internal.train.Encoded;
import dev.mlops.llm.internal.train.LossScaler;
import dev.mlops.llm.internal.train.Plan;
import dev.mlops.llm.internal.train.Updater;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.Tensor;
import dev.mlops.llm.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised fine-tuning of a {@link Gpt2Model}: whatever parameters are trainable (all of them for full
 * fine-tuning, only the adapters once a {@code LoraAdapter} is attached) are trained on prompt/completion or chat
 * examples with the loss on completion tokens only.
 *
 * <pre>{@code
 * LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 7);
 * SftTrainer trainer = SftTrainer.builder(model, tokenizer)
 *         .format(PromptFormat.template("Reverse: {prompt}\n"))
 *         .config(SftConfig.builder().learningRate(3e-3).epochs(5).warmupSteps(10)
 *                 .earlyStopping(3, 0.0).checkpoints(Path.of("build/ckpt"), 50).build())
 *         .sink(run)                                   // any MetricSink, for instance a tracking Run
 *         .build();
 * TrainingResult result = trainer.fit(split.train(), split.validation());
 * // after an interruption:  trainer.resume(Path.of("build/ckpt"), split.train(), split.validation());
 * }</pre>
 *
 * <p>The loop: AdamW with warm-up and cosine decay, gradient accumulation and global-norm clipping, 32-bit on the CPU
 * and 16-bit mixed precision with dynamic loss scaling on a GPU, validation loss with early stopping, checkpoints that
 * resume exactly (data order, dropout and optimizer state all follow from the seed and the step, so a resumed run
 * reproduces the uninterrupted run's losses), progress through a {@link ProgressListener}, and metrics through a
 * {@link MetricSink}: {@code train/loss}, {@code train/learning_rate}, {@code train/grad_norm},
 * {@code train/tokens_per_second}, {@code validation/loss}, {@code memory/*} and, with a price,
 * {@code cost/estimated}.
 *
 * <p>Immutable; a trainer may run several fits, one at a time: PyTorch records gradients for one fit per process.
 */
public final class SftTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);
    private static final double INITIAL_LOSS_SCALE = 65536;
    private static final int LOSS_SCALE_GROWTH = 2000;

    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final SftConfig config;
    private final MetricSink sink;
    private final ProgressListener progress;
    private final TimeSource clock;

    private SftTrainer(Builder b) {
        this.model = b.model;
        this.tokenizer = b.tokenizer;
        this.format = b.format == null ? PromptFormat.plain() : b.format;
        this.config = b.config == null ? SftConfig.defaults() : b.config;
        this.sink = b.sink == null ? MetricSink.noop() : b.sink;
        this.progress = b.progress == null ? ProgressListener.logging() : b.progress;
        this.clock = b.clock == null ? TimeSource.system() : b.clock;
    }

    /**
     * Starts configuring a trainer.
     *
     * @param model the model to train; its trainable parameters are what gets trained
     * @param tokenizer its tokenizer
     * @return a builder
     * @throws InvalidArgumentException if the tokenizer's vocabulary is larger than the model's
     */
    public static Builder builder(Gpt2Model model, TextTokenizer tokenizer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new InvalidArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                    + "only " + model.config().vocabSize());
        }
        return new Builder(model, tokenizer);
    }

    /**
     * Returns the configuration.
     *
     * @return the settings
     */
    public SftConfig config() {
        return config;
    }

    /**
     * Trains from the start.
     *
     * @param train the training examples, at least one
     * @param validation the validation examples, or null or empty for none
     * @return the outcome
     * @throws InvalidArgumentException if there is nothing to train on or no trainable parameter, or the loss
     *     diverges
     */
    public TrainingResult fit(SftDataset train, SftDataset validation) {
        return new Session(train, validation).run(null);
    }

    /**
     * Resumes from a checkpoint written by a run with the same settings, data and starting weights, and continues
     * to the planned end exactly as the interrupted run would have.
     *
     * @param checkpoint a checkpoint, or a checkpoint directory (its latest checkpoint is used)
     * @param train the same training examples
     * @param validation the same validation examples
     * @return the outcome, with the history from step 1
     * @throws dev.mlops.api.NotFoundException if there is no checkpoint
     * @throws ConflictException if settings, data, starting weights or trainable parameters differ from the
     *     checkpoint's, naming what differs
     */
    public TrainingResult resume(Path checkpoint, SftDataset train, SftDataset validation) {
        return new Session(train, validation).run(CheckpointFiles.resolve(checkpoint));
    }

    /**
     * Measures the mean loss per completion token over a dataset, without training.
     *
     * @param data the examples
     * @return the loss
     * @throws InvalidArgumentException if the dataset has no usable example
     */
    public double loss(SftDataset data) {
        Session s = new Session(data, null);
        return s.validationLoss(s.batchesOf(s.encode(data)));
    }

    /** Everything one fit holds. */
    private final class Session {
        private final SftDataset train;
        private final SftDataset validation;
        private final Gpt2Net net = (Gpt2Net) model.block();
        private final NDManager manager = model.manager();
        private final Device device = model.device();
        private final Precision precision;
        private final boolean mixed;
        private final DataType computeType;
        private final int rowLength;
        private final Map<Parameter, NDArray> halves = new IdentityHashMap<>();
        private Updater updater;
        private Map<String, Parameter> trainables = Map.of();
        private AdamW adam;
        private final LossScaler scaler = new LossScaler(INITIAL_LOSS_SCALE, LOSS_SCALE_GROWTH);
        private final List<StepRecord> history = new ArrayList<>();
        private final boolean needsRandom;
        private Plan plan;
        private long total;
        private LearningRateSchedule schedule;
        private List<Batch> validationBatches = List.of();
        private long step;
        private double bestLoss = Double.NaN;
        private long bestStep;
        private int badEvals;
        private boolean stoppedEarly;
        private Map<String, float[]> best;
        private long elapsedNanos;
        private long stepNanos;
        private long tokens;
        private String startDigest;
        private Path lastCheckpoint;

        Session(SftDataset train, SftDataset validation) {
            this.train = Objects.requireNonNull(train, "train");
            this.validation = validation;
            this.precision = config.precision() == Precision.AUTO
                    ? (device.isGpu() ? Precision.FP16_MIXED : Precision.FP32) : config.precision();
            this.mixed = precision == Precision.FP16_MIXED;
            this.computeType = mixed ? DataType.FLOAT16 : DataType.FLOAT32;
            int context = model.config().contextLength();
            if (config.maxLength() > context) {
                throw new InvalidArgumentException("maxLength " + config.maxLength() + " exceeds the model's context "
                        + "length " + context);
            }
            this.rowLength = config.maxLength() == 0 ? context : config.maxLength();
            boolean loraDropout = false;
            for (Projection p : net.projections().values()) {
                loraDropout |= p.loraDropout() > 0;
            }
            this.needsRandom = model.config().dropout() > 0 || loraDropout;
        }

        List<Encoded> encode(SftDataset data) {
            List<Encoded> out = new ArrayList<>();
            int truncated = 0;
            int dropped = 0;
            for (SftExample e : data.examples()) {
                Encoded enc = Encoded.of(e.render(format), tokenizer, rowLength + 1);
                if (enc.truncated()) {
                    truncated++;
                }
                if (enc.targets() == 0 || enc.positions() == 0) {
                    dropped++;
                    continue;
                }
                out.add(enc);
            }
            if (truncated > 0 || dropped > 0) {
                LOG.warn("{}: {} examples cut to {} tokens, {} dropped for want of completion tokens", data.name(),
                        truncated, rowLength + 1, dropped);
            }
            if (out.isEmpty()) {
                throw new InvalidArgumentException("dataset '" + data.name() + "' has no example with completion "
                        + "tokens inside maxLength " + rowLength);
            }
            return out;
        }

        List<Batch> batchesOf(List<Encoded> examples) {
            List<Batch> out = new ArrayList<>();
            for (int i = 0; i < examples.size(); i += config.microBatchSize()) {
                out.add(Batch.padded(examples.subList(i, Math.min(examples.size(), i + config.microBatchSize()))));
            }
            return out;
        }

        TrainingResult run(Path checkpoint) {
            List<Encoded> encoded = encode(train);
            plan = new Plan(encoded, config.microBatchSize(), config.gradientAccumulation(), config.packing(),
                    rowLength, config.seed());
            total = config.maxSteps() > 0 ? config.maxSteps() : plan.stepsFor(config.epochs());
            schedule = new LearningRateSchedule(config.learningRate(), config.warmupSteps(), (int) Math.min(total,
                    Integer.MAX_VALUE), config.minLearningRateRatio());
            if (validation != null && validation.size() > 0) {
                validationBatches = batchesOf(encode(validation));
            } else if (config.earlyStoppingPatience() > 0) {
                LOG.warn("early stopping is configured but there is no validation data; it stays off");
            }
            updater = new Updater(net, config.beta1(), config.beta2(), config.epsilon(), config.weightDecay(),
                    config.maxGradNorm());
            trainables = updater.trainables();
            adam = updater.adam();
            if (config.checkpointDir() != null || checkpoint != null) {
                startDigest = model.weightsDigest();
            }
            if (checkpoint != null) {
                restore(checkpoint);
            }
            logParams(encoded.size());
            try (Progress p = Progress.start(progress, "fine-tune " + train.name(), total, clock)) {
                if (step > 0) {
                    p.advance(step, "resumed at step " + step);
                }
                zeroGrads();
                if (mixed) {
                    makeHalves();
                }
                while (step < total && !stoppedEarly) {
                    long s = step + 1;
                    long t0 = clock.nanoTime();
                    StepRecord rec = trainStep(s);
                    long t1 = clock.nanoTime();
                    stepNanos += t1 - t0;
                    tokens += rec.tokens();
                    step = s;
                    history.add(rec);
                    if (!validationBatches.isEmpty() && validationDue(s)) {
                        double vl = validationLoss(validationBatches);
                        rec = rec.withValidationLoss(vl);
                        history.set(history.size() - 1, rec);
                        track(s, vl);
                    }
                    elapsedNanos += clock.nanoTime() - t0;
                    logMetrics(rec, (t1 - t0));
                    if (config.checkpointDir() != null && (s == total || stoppedEarly
                            || (config.checkpointEvery() > 0 && s % config.checkpointEvery() == 0))) {
                        long c0 = clock.nanoTime();
                        lastCheckpoint = writeCheckpoint();
                        elapsedNanos += clock.nanoTime() - c0;
                    }
                    p.advance(1, String.format(Locale.ROOT, "loss %.4f lr %.3g%s", rec.trainLoss(),
                            rec.learningRate(), Double.isNaN(rec.validationLoss()) ? ""
                                    : String.format(Locale.ROOT, " val %.4f", rec.validationLoss())));
                }
                if (config.earlyStoppingPatience() > 0 && config.restoreBestWeights() && best != null
                        && bestStep != step) {
                    LOG.info("restoring the weights of step {} (validation loss {})", bestStep, bestLoss);
                    best.forEach((name, values) -> HfWeights.set(trainables.get(name), values));
                }
                p.finish();
            } finally {
                closeHalves();
                updater.close();
            }
            return result();
        }

        private boolean validationDue(long s) {
            if (s == total) {
                return true;
            }
            return config.evalEvery() > 0 ? s % config.evalEvery() == 0 : plan.endsEpoch(s);
        }

        private void track(long s, double loss) {
            if (Double.isNaN(bestLoss) || loss < bestLoss - config.earlyStoppingMinDelta()) {
                bestLoss = loss;
                bestStep = s;
                badEvals = 0;
                if (config.earlyStoppingPatience() > 0 && config.restoreBestWeights()) {
                    best = new LinkedHashMap<>();
                    trainables.forEach((name, p) -> best.put(name, p.getArray().toFloatArray()));
                }
            } else {
                badEvals++;
                if (config.earlyStoppingPatience() > 0 && badEvals >= config.earlyStoppingPatience()) {
                    stoppedEarly = true;
                    LOG.info("early stopping at step {}: validation loss has not improved on {} (step {}) for {} "
                            + "validations", s, bestLoss, bestStep, badEvals);
                }
            }
        }

        private StepRecord trainStep(long s) {
            List<Batch> batches = plan.step(s);
            int targets = 0;
            long stepTokens = 0;
            for (Batch b : batches) {
                targets += b.targets();
                stepTokens += b.tokens();
            }
            double lr = schedule.at(s);
            if (needsRandom) {
                Engine.getEngine("PyTorch").setRandomSeed((int) new SplitMix(config.seed() ^ (s * 0x2545F4914F6CDD1DL))
                        .nextLong());
            }
            double scale = mixed ? scaler.scale() : 1.0;
            double nll = 0;
            for (Batch b : batches) {
                nll += microStep(b, targets, scale);
            }
            double loss = nll / targets;
            if (!mixed && !Double.isFinite(loss)) {
                throw new InvalidArgumentException("training diverged at step " + s + ": the loss is " + loss
                        + "; lower the learning rate (" + config.learningRate() + ") or clip gradients harder");
            }
            if (!mixed) {
                return new StepRecord(s, loss, lr, updater.step(lr), stepTokens, Double.NaN, false);
            }
            double norm = updater.update(lr, p -> halves.get(p).getGradient().toType(DataType.FLOAT32, true)
                    .div(scale), true);
            if (!Double.isFinite(norm)) {
                scaler.update(true);
                refreshHalves();
                LOG.debug("step {}: gradient overflow at loss scale {}, step skipped", s, scale);
                return new StepRecord(s, loss, lr, Double.NaN, stepTokens, Double.NaN, true);
            }
            scaler.update(false);
            refreshHalves();
            return new StepRecord(s, loss, lr, norm, stepTokens, Double.NaN, false);
        }

        @SuppressWarnings("try")
        private double microStep(Batch b, int targets, double scale) {
            Weights w = mixed ? halves::get : Weights.DIRECT;
            try (NDScope scope = new NDScope();
                    GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray picked = pick(w, b, true);
                float[] weights = new float[b.mask().length];
                float f = (float) (scale / targets);
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = b.mask()[i] * f;
                }
                NDArray wa = manager.create(weights, new Shape(b.rows(), b.length()));
                if (mixed) {
                    wa = wa.toType(DataType.FLOAT16, false);
                }
                gc.backward(picked.mul(wa).sum().neg());
                NDArray mask = manager.create(b.mask(), new Shape(b.rows(), b.length()));
                NDArray p32 = mixed ? picked.toType(DataType.FLOAT32, false) : picked;
                return -p32.mul(mask).sum().getFloat();
            }
        }

        /** Runs the forward pass and returns the log-probability of each label, (B, T). */
        private NDArray pick(Weights w, Batch b, boolean training) {
            Shape bt = new Shape(b.rows(), b.length());
            DataType type = w == Weights.DIRECT ? DataType.FLOAT32 : computeType;
            NDArray ids = manager.create(b.inputs(), bt);
            NDArray positions = manager.create(b.positions(), bt);
            NDArray bias = b.segments() != null ? Gpt2Net.segmentMask(manager, b.segments(), type)
                    : Gpt2Net.causalMask(manager, 0, b.length(), type);
            NDArray h = net.hidden(w, ids, positions, bias, null, training);
            NDArray logProbs = net.logits(w, h).logSoftmax(-1);
            NDArray labels = manager.create(b.labels(), new Shape(b.rows(), b.length(), 1));
            return logProbs.gather(labels, -1).reshape(bt);
        }

        @SuppressWarnings("try")
        double validationLoss(List<Batch> batches) {
            double nll = 0;
            long count = 0;
            for (Batch b : batches) {
                try (NDScope scope = new NDScope()) {
                    NDArray picked = pick(Weights.DIRECT, b, false);
                    NDArray mask = manager.create(b.mask(), new Shape(b.rows(), b.length()));
                    nll -= picked.mul(mask).sum().getFloat();
                    count += b.targets();
                }
            }
            return nll / count;
        }

        private void zeroGrads() {
            updater.zeroGrads();
        }

        private void makeHalves() {
            for (Parameter p : net.namedParameters().values()) {
                NDArray h = p.getArray().toType(DataType.FLOAT16, true);
                NDScope.unregister(h);
                if (p.requiresGradient()) {
                    h.setRequiresGradient(true);
                }
                halves.put(p, h);
            }
        }

        private void refreshHalves() {
            for (Parameter p : trainables.values()) {
                NDArray old = halves.get(p);
                NDArray h = p.getArray().toType(DataType.FLOAT16, true);
                NDScope.unregister(h);
                h.setRequiresGradient(true);
                halves.put(p, h);
                old.close();
            }
        }

        private void closeHalves() {
            halves.values().forEach(NDArray::close);
            halves.clear();
        }

        private void logParams(int trainExamples) {
            Map<String, Object> params = new LinkedHashMap<>();
            config.trajectory().forEach((k, v) -> params.put("sft/" + k, v));
            params.put("sft/format", format.describe());
            params.put("sft/train_dataset", train.name());
            params.put("sft/train_dataset_digest", train.digest());
            params.put("sft/train_examples", trainExamples);
            params.put("sft/validation_examples", validationBatches.stream().mapToInt(Batch::rows).sum());
            params.put("sft/device", device.toString());
            params.put("sft/precision_used", precision.name());
            params.put("model/config", model.config().toString());
            params.put("model/parameters", model.parameterCount());
            params.put("model/trainable_parameters", trainableCount());
            sink.logParams(params);
        }

        private long trainableCount() {
            long n = 0;
            for (Parameter p : trainables.values()) {
                n += p.getArray().getShape().size();
            }
            return n;
        }

        private void logMetrics(StepRecord rec, long nanos) {
            long s = rec.step();
            if (!Double.isNaN(rec.validationLoss())) {
                sink.logMetric("validation/loss", rec.validationLoss(), s);
            }
            if (s % config.logEvery() != 0 && s != total && !stoppedEarly) {
                return;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train/loss", rec.trainLoss());
            m.put("train/learning_rate", rec.learningRate());
            if (!Double.isNaN(rec.gradNorm())) {
                m.put("train/grad_norm", rec.gradNorm());
            }
            m.put("train/tokens_per_second", nanos > 0 ? rec.tokens() * 1e9 / nanos : 0);
            m.put("train/tokens", (double) tokens);
            if (mixed) {
                m.put("train/loss_scale", scaler.scale());
            }
            long params = 0;
            for (Parameter p : net.namedParameters().values()) {
                params += p.getArray().getShape().size();
            }
            long trainable = trainableCount();
            m.put("memory/parameter_bytes", (double) params * 4 + (mixed ? params * 2 : 0));
            m.put("memory/gradient_bytes", (double) trainable * (mixed ? 2 : 4));
            m.put("memory/optimizer_state_bytes", (double) adam.stateBytes());
            long rss = residentBytes();
            if (rss > 0) {
                m.put("memory/process_rss_bytes", (double) rss);
            }
            if (device.isGpu()) {
                m.put("memory/gpu_used_bytes", (double) CudaUtils.getGpuMemory(device).getUsed());
            }
            double hours = elapsedNanos / 3.6e12;
            m.put("cost/device_hours", hours);
            if (config.pricePerDeviceHour() > 0) {
                m.put("cost/estimated", hours * config.pricePerDeviceHour());
            }
            sink.logMetrics(m, s);
        }

        private ObjectNode state() {
            ObjectNode o = CheckpointFiles.json().createObjectNode();
            o.put("format_version", CheckpointFiles.FORMAT_VERSION);
            o.put("created", Instant.now().toString());
            o.put("step", step);
            o.put("total_steps", total);
            ObjectNode traj = o.putObject("trajectory");
            config.trajectory().forEach(traj::put);
            o.put("start_digest", startDigest);
            o.put("train_digest", train.digest());
            o.put("validation_digest", validation == null ? "" : validation.digest());
            ObjectNode shapes = o.putObject("trainable");
            trainables.forEach((k, p) -> shapes.put(k, Arrays.toString(p.getArray().getShape().getShape())));
            ArrayNode h = o.putArray("history");
            for (StepRecord r : history) {
                ObjectNode n = h.addObject();
                n.put("step", r.step());
                number(n, "train_loss", r.trainLoss());
                number(n, "learning_rate", r.learningRate());
                number(n, "grad_norm", r.gradNorm());
                n.put("tokens", r.tokens());
                number(n, "validation_loss", r.validationLoss());
                n.put("skipped", r.skipped());
            }
            number(o, "best_validation_loss", bestLoss);
            o.put("best_step", bestStep);
            o.put("bad_evals", badEvals);
            o.put("stopped_early", stoppedEarly);
            o.put("loss_scale", scaler.scale());
            o.put("good_steps", scaler.goodSteps());
            o.put("elapsed_nanos", elapsedNanos);
            o.put("step_nanos", stepNanos);
            o.put("tokens", tokens);
            o.put("optimizer_steps", adam.step());
            return o;
        }

        private static void number(ObjectNode n, String key, double v) {
            if (Double.isFinite(v)) {
                n.put(key, v);
            } else {
                n.putNull(key);
            }
        }

        private static double number(JsonNode n, String key) {
            JsonNode v = n.get(key);
            return v == null || v.isNull() ? Double.NaN : v.asDouble();
        }

        private Path writeCheckpoint() {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            trainables.forEach((k, p) -> weights.put(k, Tensor.ofFloats(p.getArray().toFloatArray(),
                    p.getArray().getShape().getShape())));
            Map<String, Tensor> bestTensors = null;
            if (best != null) {
                bestTensors = new LinkedHashMap<>();
                for (Map.Entry<String, float[]> e : best.entrySet()) {
                    bestTensors.put(e.getKey(), Tensor.ofFloats(e.getValue(),
                            trainables.get(e.getKey()).getArray().getShape().getShape()));
                }
            }
            Path dir = CheckpointFiles.write(config.checkpointDir(), step, weights, adam.export(), bestTensors,
                    state(), config.keepCheckpoints());
            LOG.debug("checkpoint written: {}", dir);
            return dir;
        }

        private void restore(Path checkpoint) {
            JsonNode st = CheckpointFiles.readState(checkpoint);
            Map<String, String> expected = new TreeMap<>(config.trajectory());
            Map<String, String> found = new TreeMap<>();
            st.path("trajectory").properties().forEach(e -> found.put(e.getKey(), e.getValue().asText()));
            if (!expected.equals(found)) {
                List<String> diff = new ArrayList<>();
                for (String k : expected.keySet()) {
                    if (!Objects.equals(expected.get(k), found.get(k))) {
                        diff.add(k + ": checkpoint " + found.get(k) + ", now " + expected.get(k));
                    }
                }
                throw new ConflictException("checkpoint " + checkpoint + " was written with other settings: " + diff);
            }
            if (!st.path("start_digest").asText().equals(startDigest)) {
                throw new ConflictException("checkpoint " + checkpoint + " continues a run that started from weights "
                        + "with digest " + st.path("start_digest").asText() + ", but this model's weights have digest "
                        + startDigest);
            }
            if (!st.path("train_digest").asText().equals(train.digest())) {
                throw new ConflictException("checkpoint " + checkpoint + " was trained on data with digest "
                        + st.path("train_digest").asText() + ", not on '" + train.name() + "' (" + train.digest()
                        + ")");
            }
            String valDigest = validation == null ? "" : validation.digest();
            if (!st.path("validation_digest").asText().equals(valDigest)) {
                throw new ConflictException("checkpoint " + checkpoint + " was validated on data with digest "
                        + st.path("validation_digest").asText() + ", not " + valDigest);
            }
            Map<String, String> shapes = new TreeMap<>();
            trainables.forEach((k, p) -> shapes.put(k, Arrays.toString(p.getArray().getShape().getShape())));
            Map<String, String> saved = new TreeMap<>();
            st.path("trainable").properties().forEach(e -> saved.put(e.getKey(), e.getValue().asText()));
            if (!shapes.equals(saved)) {
                throw new ConflictException("checkpoint " + checkpoint + " trains " + saved.size() + " parameters "
                        + "that differ from this model's " + shapes.size() + " trainable ones (attach the same adapter "
                        + "configuration, or train the same parameters)");
            }
            Map<String, Tensor> weights = CheckpointFiles.tensors(checkpoint, CheckpointFiles.TRAINABLE)
                    .orElseThrow(() -> new dev.mlops.api.NotFoundException(CheckpointFiles.TRAINABLE + " is missing "
                            + "from " + checkpoint));
            trainables.forEach((k, p) -> HfWeights.set(p, weights.get(k).toFloats()));
            Map<String, NDArray> like = new LinkedHashMap<>();
            trainables.forEach((k, p) -> like.put(k, p.getArray()));
            adam.restore(CheckpointFiles.tensors(checkpoint, CheckpointFiles.OPTIMIZER).orElse(Map.of()),
                    st.path("optimizer_steps").asLong(), like);
            CheckpointFiles.tensors(checkpoint, CheckpointFiles.BEST).ifPresent(b -> {
                best = new LinkedHashMap<>();
                b.forEach((k, t) -> best.put(k, t.toFloats()));
            });
            step = st.path("step").asLong();
            for (JsonNode n : st.path("history")) {
                history.add(new StepRecord(n.path("step").asLong(), number(n, "train_loss"),
                        number(n, "learning_rate"), number(n, "grad_norm"), n.path("tokens").asLong(),
                        number(n, "validation_loss"), n.path("skipped").asBoolean()));
            }
            bestLoss = number(st, "best_validation_loss");
            bestStep = st.path("best_step").asLong();
            badEvals = st.path("bad_evals").asInt();
            stoppedEarly = st.path("stopped_early").asBoolean();
            scaler.restore(st.path("loss_scale").asDouble(INITIAL_LOSS_SCALE), st.path("good_steps").asInt());
            elapsedNanos = st.path("elapsed_nanos").asLong();
            stepNanos = st.path("step_nanos").asLong();
            tokens = st.path("tokens").asLong();
            lastCheckpoint = checkpoint;
            LOG.info("resuming from {} at step {} of {}", checkpoint, step, total);
        }

        private TrainingResult result() {
            double finalLoss = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainLoss();
            double hours = elapsedNanos / 3.6e12;
            return new TrainingResult(step, total, stoppedEarly, bestLoss, bestStep, finalLoss, history,
                    trainableCount(), AdamW.stateBytesFor(trainableCount()), tokens,
                    stepNanos > 0 ? tokens * 1e9 / stepNanos : 0, Duration.ofNanos(elapsedNanos),
                    hours * config.pricePerDeviceHour(), precision, device.toString(), lastCheckpoint);
        }
    }

    static long residentBytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Configures a trainer. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Gpt2Model model;
        private final TextTokenizer tokenizer;
        private PromptFormat format;
        private SftConfig config;
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
         */
        public Builder format(PromptFormat value) {
            once(format, "format");
            format = Objects.requireNonNull(value, "format");
            return this;
        }

        /**
         * Sets the training settings ({@link SftConfig#defaults()} when not set).
         *
         * @param value the settings
         * @return this builder
         */
        public Builder config(SftConfig value) {
            once(config, "config");
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * Sets where parameters and metrics go (nowhere when not set); a tracking run is a sink.
         *
         * @param value the sink
         * @return this builder
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
        public SftTrainer build() {
            return new SftTrainer(this);
        }
    }
}
