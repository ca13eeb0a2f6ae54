package dev.mlops.llm.align;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.train.SftConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of direct preference optimization: the strength {@code beta} of the implicit KL penalty towards the
 * reference, and the optimizer and loop settings shared with supervised fine-tuning (learning rate, warm-up and cosine
 * decay, epochs or steps, micro-batch size in pairs, accumulation, clipping, weight decay, maximum length, validation
 * interval, seed, logging interval). Packing, early stopping, checkpoints and 16-bit precision are not supported and
 * are refused. Immutable.
 *
 * @param beta the inverse temperature of the implicit reward {@code beta * (log pi(y|x) - log ref(y|x))}, finite and
 *     positive (default 0.1)
 * @param training the loop settings (default {@link SftConfig#defaults()}); {@code microBatchSize} counts pairs
 */
public record DpoConfig(double beta, SftConfig training) {
    /**
     * Validates the settings.
     *
     * @throws InvalidArgumentException if beta is not a finite positive number, or the loop settings ask for
     *     something the trainer does not support, naming the value
     */
    public DpoConfig {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new InvalidArgumentException("beta must be a finite positive number, but was " + beta);
        }
        LoopSettings.check("DPO", training, false);
    }

    /**
     * Returns the default settings.
     *
     * @return the configuration
     */
    public static DpoConfig defaults() {
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
     * Returns the settings as text, for logging as run parameters.
     *
     * @return values by name
     */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beta", Double.toString(beta));
        m.putAll(training.trajectory());
        return m;
    }

    /** Builds a configuration. Not thread-safe; each option may be set once, and bad values fail at once. */
    public static final class Builder {
        private Double beta;
        private SftConfig training;

        private Builder() {
        }

        /**
         * Sets beta.
         *
         * @param value a finite positive number
         * @return this builder
         * @throws IllegalStateException if beta was already set
         * @throws InvalidArgumentException if the value is not finite and positive
         */
        public Builder beta(double value) {
            if (beta != null) {
                throw new IllegalStateException("beta was already set to " + beta);
            }
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new InvalidArgumentException("beta must be a finite positive number, but was " + value);
            }
            beta = value;
            return this;
        }

        /**
         * Sets the loop settings.
         *
         * @param value the settings
         * @return this builder
         * @throws IllegalStateException if they were already set
         * @throws InvalidArgumentException if they ask for packing, early stopping, checkpoints or 16-bit precision
         */
        public Builder training(SftConfig value) {
            if (training != null) {
                throw new IllegalStateException("training was already set to " + training);
            }
            training = LoopSettings.check("DPO", Objects.requireNonNull(value, "training"), false);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public DpoConfig build() {
            return new DpoConfig(beta == null ? 0.1 : beta, training == null ? SftConfig.defaults() : training);
        }
    }
}
