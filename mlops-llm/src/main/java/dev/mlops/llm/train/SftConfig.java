package dev.mlops.llm.train;

import dev.mlops.api.InvalidArgumentException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a supervised fine-tuning run. Build with {@link #builder()}; every option has a default suited to
 * LoRA on a small model. Immutable.
 *
 * @param learningRate AdamW's peak learning rate (default 2e-4)
 * @param warmupSteps linear warm-up steps before cosine decay (default 0)
 * @param minLearningRateRatio the final rate as a share of the peak (default 0)
 * @param epochs passes over the training data when maxSteps is not set (default 1)
 * @param maxSteps optimizer steps in all; 0 means epochs decide (default 0)
 * @param microBatchSize rows per forward pass (default 8)
 * @param gradientAccumulation micro-batches per optimizer step (default 1)
 * @param maxGradNorm clip the global gradient norm to this; 0 turns clipping off (default 1.0)
 * @param weightDecay AdamW's decoupled weight decay, applied to matrices only (default 0)
 * @param beta1 AdamW's first-moment decay (default 0.9)
 * @param beta2 AdamW's second-moment decay (default 0.999)
 * @param epsilon AdamW's epsilon (default 1e-8)
 * @param maxLength tokens per row; longer examples are cut at the end; 0 means the model's context (default 0)
 * @param packing pack several examples into each row, with attention and positions kept apart per example, instead
 *     of one padded example per row (default false)
 * @param evalEvery measure validation loss every this many steps; 0 means after every epoch (default 0)
 * @param earlyStoppingPatience stop after this many validations without improvement; 0 turns it off (default 0)
 * @param earlyStoppingMinDelta the least decrease that counts as improvement (default 0)
 * @param restoreBestWeights when early stopping is on, end with the weights of the best validation (default true)
 * @param checkpointDir where checkpoints go, or null for none (default null)
 * @param checkpointEvery write a checkpoint every this many steps, and at the end; 0 means at the end only
 * @param keepCheckpoints how many recent checkpoints to keep; 0 keeps all (default 2)
 * @param seed the seed of data order and dropout (default 0)
 * @param precision the arithmetic (default {@link Precision#AUTO})
 * @param pricePerDeviceHour the price of one device-hour, for the cost estimate; 0 for none (default 0)
 * @param logEvery log training metrics every this many steps (default 1)
 */
public record SftConfig(double learningRate, int warmupSteps, double minLearningRateRatio, int epochs, int maxSteps,
        int microBatchSize, int gradientAccumulation, double maxGradNorm, double weightDecay, double beta1,
        double beta2, double epsilon, int maxLength, boolean packing, int evalEvery, int earlyStoppingPatience,
        double earlyStoppingMinDelta, boolean restoreBestWeights, Path checkpointDir, int checkpointEvery,
        int keepCheckpoints, long seed, Precision precision, double pricePerDeviceHour, int logEvery) {
    /**
     * Validates the settings.
     *
     * @throws InvalidArgumentException naming the first value out of range
     */
    public SftConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new InvalidArgumentException("learningRate must be positive, but was " + learningRate);
        }
        nonNegative("warmupSteps", warmupSteps);
        if (!(minLearningRateRatio >= 0 && minLearningRateRatio <= 1)) {
            throw new InvalidArgumentException("minLearningRateRatio must be in [0, 1], but was "
                    + minLearningRateRatio);
        }
        if (epochs < 1) {
            throw new InvalidArgumentException("epochs must be at least 1, but was " + epochs);
        }
        nonNegative("maxSteps", maxSteps);
        if (microBatchSize < 1) {
            throw new InvalidArgumentException("microBatchSize must be at least 1, but was " + microBatchSize);
        }
        if (gradientAccumulation < 1) {
            throw new InvalidArgumentException("gradientAccumulation must be at least 1, but was "
                    + gradientAccumulation);
        }
        if (!(maxGradNorm >= 0) || !Double.isFinite(maxGradNorm)) {
            throw new InvalidArgumentException("maxGradNorm must be 0 (off) or positive, but was " + maxGradNorm);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new InvalidArgumentException("weightDecay must be 0 or positive, but was " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new InvalidArgumentException("beta1 and beta2 must be in [0, 1), but were " + beta1 + " and "
                    + beta2);
        }
        if (!(epsilon > 0)) {
            throw new InvalidArgumentException("epsilon must be positive, but was " + epsilon);
        }
        nonNegative("maxLength", maxLength);
        if (maxLength == 1) {
            throw new InvalidArgumentException("maxLength must be 0 (the model's context) or at least 2");
        }
        nonNegative("evalEvery", evalEvery);
        nonNegative("earlyStoppingPatience", earlyStoppingPatience);
        if (!(earlyStoppingMinDelta >= 0)) {
            throw new InvalidArgumentException("earlyStoppingMinDelta must be 0 or more, but was "
                    + earlyStoppingMinDelta);
        }
        nonNegative("checkpointEvery", checkpointEvery);
        nonNegative("keepCheckpoints", keepCheckpoints);
        if (precision == null) {
            throw new InvalidArgumentException("precision must not be null");
        }
        if (!(pricePerDeviceHour >= 0) || !Double.isFinite(pricePerDeviceHour)) {
            throw new InvalidArgumentException("pricePerDeviceHour must be 0 or positive, but was "
                    + pricePerDeviceHour);
        }
        if (logEvery < 1) {
            throw new InvalidArgumentException("logEvery must be at least 1, but was " + logEvery);
        }
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new InvalidArgumentException(name + " must be 0 or more, but was " + value);
        }
    }

    /**
     * Returns the default settings.
     *
     * @return the configuration
     */
    public static SftConfig defaults() {
        return builder().build();
    }

    /**
     * Starts a configuration.
     *
     * @return a builder with every option at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the settings that determine the trajectory of a run, which a resumed run must share.
     *
     * @return values by name, as text
     */
    public Map<String, String> trajectory() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("learning_rate", Double.toString(learningRate));
        m.put("warmup_steps", Integer.toString(warmupSteps));
        m.put("min_learning_rate_ratio", Double.toString(minLearningRateRatio));
        m.put("epochs", Integer.toString(epochs));
        m.put("max_steps", Integer.toString(maxSteps));
        m.put("micro_batch_size", Integer.toString(microBatchSize));
        m.put("gradient_accumulation", Integer.toString(gradientAccumulation));
        m.put("max_grad_norm", Double.toString(maxGradNorm));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("beta1", Double.toString(beta1));
        m.put("beta2", Double.toString(beta2));
        m.put("epsilon", Double.toString(epsilon));
        m.put("max_length", Integer.toString(maxLength));
        m.put("packing", Boolean.toString(packing));
        m.put("eval_every", Integer.toString(evalEvery));
        m.put("early_stopping_patience", Integer.toString(earlyStoppingPatience));
        m.put("early_stopping_min_delta", Double.toString(earlyStoppingMinDelta));
        m.put("seed", Long.toString(seed));
        m.put("precision", precision.name());
        return m;
    }

    /** Builds a configuration. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Map<String, Object> set = new LinkedHashMap<>();
        private double learningRate = 2e-4;
        private int warmupSteps;
        private double minLearningRateRatio;
        private int epochs = 1;
        private int maxSteps;
        private int microBatchSize = 8;
        private int gradientAccumulation = 1;
        private double maxGradNorm = 1.0;
        private double weightDecay;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private int maxLength;
        private boolean packing;
        private int evalEvery;
        private int earlyStoppingPatience;
        private double earlyStoppingMinDelta;
        private boolean restoreBestWeights = true;
        private Path checkpointDir;
        private int checkpointEvery;
        private int keepCheckpoints = 2;
        private long seed;
        private Precision precision = Precision.AUTO;
        private double pricePerDeviceHour;
        private int logEvery = 1;

        private Builder() {
        }

        private void once(String name, Object value) {
            Object previous = set.putIfAbsent(name, value);
            if (previous != null) {
                throw new IllegalStateException(name + " was already set to " + previous);
            }
        }

        /**
         * Sets the peak learning rate.
         *
         * @param value the rate
         * @return this builder
         */
        public Builder learningRate(double value) {
            once("learningRate", value);
            learningRate = value;
            return this;
        }

        /**
         * Sets the warm-up steps.
         *
         * @param value steps
         * @return this builder
         */
        public Builder warmupSteps(int value) {
            once("warmupSteps", value);
            warmupSteps = value;
            return this;
        }

        /**
         * Sets the final learning rate as a share of the peak.
         *
         * @param value the ratio
         * @return this builder
         */
        public Builder minLearningRateRatio(double value) {
            once("minLearningRateRatio", value);
            minLearningRateRatio = value;
            return this;
        }

        /**
         * Sets the number of epochs.
         *
         * @param value epochs
         * @return this builder
         */
        public Builder epochs(int value) {
            once("epochs", value);
            epochs = value;
            return this;
        }

        /**
         * Sets the number of optimizer steps, overriding epochs.
         *
         * @param value steps
         * @return this builder
         */
        public Builder maxSteps(int value) {
            once("maxSteps", value);
            maxSteps = value;
            return this;
        }

        /**
         * Sets the rows per forward pass.
         *
         * @param value rows
         * @return this builder
         */
        public Builder microBatchSize(int value) {
            once("microBatchSize", value);
            microBatchSize = value;
            return this;
        }

        /**
         * Sets the micro-batches per optimizer step.
         *
         * @param value the count
         * @return this builder
         */
        public Builder gradientAccumulation(int value) {
            once("gradientAccumulation", value);
            gradientAccumulation = value;
            return this;
        }

        /**
         * Sets the global gradient-norm limit; 0 turns clipping off.
         *
         * @param value the limit
         * @return this builder
         */
        public Builder maxGradNorm(double value) {
            once("maxGradNorm", value);
            maxGradNorm = value;
            return this;
        }

        /**
         * Sets the decoupled weight decay.
         *
         * @param value the decay
         * @return this builder
         */
        public Builder weightDecay(double value) {
            once("weightDecay", value);
            weightDecay = value;
            return this;
        }

        /**
         * Sets AdamW's moment decays.
         *
         * @param first beta1
         * @param second beta2
         * @return this builder
         */
        public Builder betas(double first, double second) {
            once("betas", first + ", " + second);
            beta1 = first;
            beta2 = second;
            return this;
        }

        /**
         * Sets AdamW's epsilon.
         *
         * @param value epsilon
         * @return this builder
         */
        public Builder epsilon(double value) {
            once("epsilon", value);
            epsilon = value;
            return this;
        }

        /**
         * Sets the tokens per row.
         *
         * @param value the length
         * @return this builder
         */
        public Builder maxLength(int value) {
            once("maxLength", value);
            maxLength = value;
            return this;
        }

        /**
         * Turns packing on or off.
         *
         * @param value true to pack
         * @return this builder
         */
        public Builder packing(boolean value) {
            once("packing", value);
            packing = value;
            return this;
        }

        /**
         * Sets the validation interval in steps; 0 validates after every epoch.
         *
         * @param value steps
         * @return this builder
         */
        public Builder evalEvery(int value) {
            once("evalEvery", value);
            evalEvery = value;
            return this;
        }

        /**
         * Turns early stopping on.
         *
         * @param patience validations without improvement before stopping, at least 1
         * @param minDelta the least decrease that counts as improvement
         * @return this builder
         */
        public Builder earlyStopping(int patience, double minDelta) {
            once("earlyStopping", patience + ", " + minDelta);
            if (patience < 1) {
                throw new InvalidArgumentException("early stopping patience must be at least 1, but was " + patience);
            }
            earlyStoppingPatience = patience;
            earlyStoppingMinDelta = minDelta;
            return this;
        }

        /**
         * Sets whether early stopping ends with the best weights.
         *
         * @param value true to restore them
         * @return this builder
         */
        public Builder restoreBestWeights(boolean value) {
            once("restoreBestWeights", value);
            restoreBestWeights = value;
            return this;
        }

        /**
         * Writes checkpoints into a directory.
         *
         * @param directory where checkpoints go
         * @param every steps between checkpoints; 0 writes one at the end only
         * @return this builder
         */
        public Builder checkpoints(Path directory, int every) {
            once("checkpoints", directory + ", " + every);
            checkpointDir = directory;
            checkpointEvery = every;
            return this;
        }

        /**
         * Sets how many recent checkpoints to keep; 0 keeps all.
         *
         * @param value the count
         * @return this builder
         */
        public Builder keepCheckpoints(int value) {
            once("keepCheckpoints", value);
            keepCheckpoints = value;
            return this;
        }

        /**
         * Sets the seed of data order and dropout.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            once("seed", value);
            seed = value;
            return this;
        }

        /**
         * Sets the arithmetic.
         *
         * @param value the precision
         * @return this builder
         */
        public Builder precision(Precision value) {
            once("precision", value);
            precision = value;
            return this;
        }

        /**
         * Sets the price of one device-hour, for the cost metric.
         *
         * @param value the price, in any currency
         * @return this builder
         */
        public Builder pricePerDeviceHour(double value) {
            once("pricePerDeviceHour", value);
            pricePerDeviceHour = value;
            return this;
        }

        /**
         * Sets the metric logging interval.
         *
         * @param value steps
         * @return this builder
         */
        public Builder logEvery(int value) {
            once("logEvery", value);
            logEvery = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws InvalidArgumentException if a value is out of range
         */
        public SftConfig build() {
            return new SftConfig(learningRate, warmupSteps, minLearningRateRatio, epochs, maxSteps, microBatchSize,
                    gradientAccumulation, maxGradNorm, weightDecay, beta1, beta2, epsilon, maxLength, packing,
                    evalEvery, earlyStoppingPatience, earlyStoppingMinDelta, restoreBestWeights, checkpointDir,
                    checkpointEvery, keepCheckpoints, seed, precision, pricePerDeviceHour, logEvery);
        }
    }
}
