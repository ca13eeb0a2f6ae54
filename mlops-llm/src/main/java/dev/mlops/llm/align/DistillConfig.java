package dev.mlops.llm.align;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.train.SftConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of knowledge distillation: per completion token the student minimizes
 * {@code alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE(label, student)}, where {@code _T} marks
 * distributions of logits divided by the temperature {@code T}; the {@code T^2} factor keeps the soft term's
 * gradients on the scale of the hard term's as T changes. The optimizer and loop settings are shared with supervised
 * fine-tuning; packing is supported, early stopping, checkpoints and 16-bit precision are not and are refused.
 * Immutable.
 *
 * @param temperature the softening temperature T, finite and positive (default 2)
 * @param alpha the weight of the soft (teacher) term, in [0, 1]; 0 is plain training on the labels (default 0.5)
 * @param training the loop settings (default {@link SftConfig#defaults()})
 */
public record DistillConfig(double temperature, double alpha, SftConfig training) {
    /**
     * Validates the settings.
     *
     * @throws InvalidArgumentException if the temperature is not finite and positive, alpha is outside [0, 1], or the
     *     loop settings ask for something the trainer does not support, naming the value
     */
    public DistillConfig {
        checkTemperature(temperature);
        checkAlpha(alpha);
        LoopSettings.check("distillation", training, true);
    }

    private static void checkTemperature(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidArgumentException("temperature must be a finite positive number, but was " + value);
        }
    }

    private static void checkAlpha(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidArgumentException("alpha must be in [0, 1], but was " + value);
        }
    }

    /**
     * Returns the default settings.
     *
     * @return the configuration
     */
    public static DistillConfig defaults() {
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
        m.put("temperature", Double.toString(temperature));
        m.put("alpha", Double.toString(alpha));
        m.putAll(training.trajectory());
        return m;
    }

    /** Builds a configuration. Not thread-safe; each option may be set once, and bad values fail at once. */
    public static final class Builder {
        private Double temperature;
        private Double alpha;
        private SftConfig training;

        private Builder() {
        }

        /**
         * Sets the temperature.
         *
         * @param value a finite positive number
         * @return this builder
         * @throws IllegalStateException if it was already set
         * @throws InvalidArgumentException if the value is not finite and positive
         */
        public Builder temperature(double value) {
            if (temperature != null) {
                throw new IllegalStateException("temperature was already set to " + temperature);
            }
            checkTemperature(value);
            temperature = value;
            return this;
        }

        /**
         * Sets the weight of the soft term.
         *
         * @param value in [0, 1]
         * @return this builder
         * @throws IllegalStateException if it was already set
         * @throws InvalidArgumentException if the value is outside [0, 1]
         */
        public Builder alpha(double value) {
            if (alpha != null) {
                throw new IllegalStateException("alpha was already set to " + alpha);
            }
            checkAlpha(value);
            alpha = value;
            return this;
        }

        /**
         * Sets the loop settings.
         *
         * @param value the settings
         * @return this builder
         * @throws IllegalStateException if they were already set
         * @throws InvalidArgumentException if they ask for early stopping, checkpoints or 16-bit precision
         */
        public Builder training(SftConfig value) {
            if (training != null) {
                throw new IllegalStateException("training was already set to " + training);
            }
            training = LoopSettings.check("distillation", Objects.requireNonNull(value, "training"), true);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public DistillConfig build() {
            return new DistillConfig(temperature == null ? 2.0 : temperature, alpha == null ? 0.5 : alpha,
                    training == null ? SftConfig.defaults() : training);
        }
    }
}
