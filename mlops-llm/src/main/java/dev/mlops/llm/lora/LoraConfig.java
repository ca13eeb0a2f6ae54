package dev.mlops.llm.lora;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.model.Gpt2Config;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A low-rank adaptation: which linear layers get adapters, their rank r, the scaling numerator alpha (the update is
 * scaled by alpha / r) and dropout on the adapters' input. The default follows the LoRA paper's GPT setting: query and
 * value projections, rank 8, alpha 16, no dropout.
 *
 * @param rank r, 1 or more
 * @param alpha the scaling numerator, above 0
 * @param dropout dropout on the adapter input during training, 0 to below 1
 * @param targets the adapted layers, at least one
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<LoraTarget> targets) {
    /**
     * Validates the configuration.
     *
     * @throws InvalidArgumentException naming the first value out of range
     */
    public LoraConfig {
        if (rank < 1) {
            throw new InvalidArgumentException("rank must be at least 1, but was " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new InvalidArgumentException("alpha must be positive, but was " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidArgumentException("dropout must be in [0, 1), but was " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new InvalidArgumentException("at least one target layer is needed");
        }
        targets = Collections.unmodifiableSet(EnumSet.copyOf(targets));
    }

    /**
     * Returns the default: rank 8, alpha 16, no dropout, query and value.
     *
     * @return the configuration
     */
    public static LoraConfig defaults() {
        return builder().build();
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
     * Returns the factor applied to the adapter's product.
     *
     * @return alpha / rank
     */
    public double scaling() {
        return alpha / rank;
    }

    /**
     * Counts the adapter parameters on a model: for every block and target, r * (in + out).
     *
     * @param model the model's shape
     * @return the count
     */
    public long parameterCount(Gpt2Config model) {
        long perLayer = 0;
        for (LoraTarget t : targets) {
            int[] io = inOut(t, model);
            perLayer += (long) rank * (io[0] + io[1]);
        }
        return perLayer * model.layers();
    }

    static int[] inOut(LoraTarget t, Gpt2Config c) {
        int d = c.embeddingSize();
        return switch (t) {
            case QUERY, KEY, VALUE, ATTENTION_OUTPUT -> new int[] {d, d};
            case MLP_IN -> new int[] {d, c.mlpSize()};
            case MLP_OUT -> new int[] {c.mlpSize(), d};
        };
    }

    /** Builds a configuration. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private Integer rank;
        private Double alpha;
        private Double dropout;
        private Set<LoraTarget> targets;

        private Builder() {
        }

        /**
         * Sets the rank (8 when not set).
         *
         * @param value r
         * @return this builder
         */
        public Builder rank(int value) {
            if (rank != null) {
                throw new IllegalStateException("rank was already set to " + rank);
            }
            rank = value;
            return this;
        }

        /**
         * Sets alpha (twice the rank when not set).
         *
         * @param value alpha
         * @return this builder
         */
        public Builder alpha(double value) {
            if (alpha != null) {
                throw new IllegalStateException("alpha was already set to " + alpha);
            }
            alpha = value;
            return this;
        }

        /**
         * Sets the adapter dropout (0 when not set).
         *
         * @param value the rate
         * @return this builder
         */
        public Builder dropout(double value) {
            if (dropout != null) {
                throw new IllegalStateException("dropout was already set to " + dropout);
            }
            dropout = value;
            return this;
        }

        /**
         * Sets the adapted layers (query and value when not set).
         *
         * @param first a target
         * @param more further targets
         * @return this builder
         */
        public Builder targets(LoraTarget first, LoraTarget... more) {
            if (targets != null) {
                throw new IllegalStateException("targets were already set to " + targets);
            }
            targets = EnumSet.of(first, more);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws InvalidArgumentException if a value is out of range
         */
        public LoraConfig build() {
            int r = rank == null ? 8 : rank;
            return new LoraConfig(r, alpha == null ? 2.0 * r : alpha, dropout == null ? 0.0 : dropout,
                    targets == null ? EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE) : targets);
        }
    }
}
