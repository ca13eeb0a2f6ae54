package dev.mlops.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.Generation;
import dev.mlops.llm.Generator;
import dev.mlops.llm.internal.SplitMix;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.KvCache;
import dev.mlops.llm.internal.nn.Sampling;
import dev.mlops.llm.internal.nn.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Generates text with a {@link Gpt2Model}: the prompt goes through the {@link PromptFormat} and the tokenizer, new
 * tokens are chosen as the {@link GenerationConfig} says, with a key/value cache so that each step costs one token's
 * forward pass. As a {@link Generator} it plugs into the evaluation harness and reports token counts and the
 * log-probabilities of the generated tokens, from which the harness computes perplexity.
 *
 * <pre>{@code
 * TextGenerator generator = TextGenerator.builder(model, tokenizer)
 *         .format(PromptFormat.template("Reverse: {prompt}\n"))
 *         .config(GenerationConfig.greedy(16).withStopSequences("\n"))
 *         .build();
 * EvaluationResult r = Evaluator.builder().metrics(TextMetrics.exactMatch()).build()
 *         .evaluate("reverse-lora", dataset, generator);
 * }</pre>
 *
 * <p>Immutable and thread-safe; calls may run concurrently. The model and tokenizer stay owned by the caller.
 */
public final class TextGenerator implements Generator {
    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final GenerationConfig config;

    private TextGenerator(Gpt2Model model, TextTokenizer tokenizer, PromptFormat format, GenerationConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.format = format;
        this.config = config;
    }

    /**
     * Starts configuring a generator.
     *
     * @param model the model
     * @param tokenizer its tokenizer; its vocabulary must fit the model's
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
     * Returns a copy with another configuration.
     *
     * @param value the configuration
     * @return the copy
     */
    public TextGenerator withConfig(GenerationConfig value) {
        return new TextGenerator(model, tokenizer, format, Objects.requireNonNull(value, "config"));
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public GenerationConfig config() {
        return config;
    }

    /**
     * Generates a completion for a prompt, rendered through the format.
     *
     * @param prompt the prompt
     * @return the text with token counts and log-probabilities
     * @throws InvalidArgumentException if the rendered prompt is empty or fills the context
     */
    @Override
    public Generation generate(String prompt) {
        Generated g = complete(prompt);
        return new Generation(g.text(), g.promptTokens(), g.tokenIds().length, g.logProbs());
    }

    /**
     * Generates a completion for a prompt, with the details.
     *
     * @param prompt the prompt
     * @return the outcome
     * @throws InvalidArgumentException if the rendered prompt is empty or fills the context
     */
    public Generated complete(String prompt) {
        return generateFrom(tokenizer.encode(format.prompt(prompt)));
    }

    /**
     * Generates the assistant's next reply in a conversation.
     *
     * @param history the conversation so far
     * @return the outcome
     * @throws InvalidArgumentException if the history does not suit the format or fills the context
     */
    public Generated chat(List<ChatMessage> history) {
        return generateFrom(tokenizer.encode(format.prompt(history)));
    }

    /**
     * Generates from token ids, without the format.
     *
     * @param promptIds the prompt's ids, at least one and fewer than the context length
     * @return the outcome
     * @throws InvalidArgumentException if the prompt is empty, fills the context, or holds an id outside the
     *     vocabulary
     */
    public Generated generateFrom(long[] promptIds) {
        int context = model.config().contextLength();
        model.checkIds(promptIds);
        if (promptIds.length >= context) {
            throw new InvalidArgumentException("the prompt has " + promptIds.length + " tokens, which leaves no room "
                    + "in the context of " + context);
        }
        Gpt2Net net = (Gpt2Net) model.block();
        NDManager manager = model.manager();
        SplitMix rng = new SplitMix(config.seed());
        long eos = tokenizer.endOfTextId();
        List<Long> out = new ArrayList<>();
        List<Double> logProbs = new ArrayList<>();
        Generated.FinishReason reason = Generated.FinishReason.MAX_TOKENS;
        String text = "";
        long[] sequence = promptIds.clone();
        try (KvCache cache = config.useCache() ? new KvCache(model.config().layers()) : null) {
            float[] logits = nextLogits(net, manager, cache, sequence, 0, sequence.length);
            while (true) {
                int token = Sampling.choose(logits, config.temperature(), config.topK(), config.topP(), rng);
                logProbs.add(Sampling.logSoftmax(logits)[token]);
                out.add((long) token);
                if (token == eos) {
                    reason = Generated.FinishReason.END_OF_TEXT;
                    text = decode(out, true);
                    break;
                }
                text = decode(out, false);
                int cut = firstStop(text);
                if (cut >= 0) {
                    text = text.substring(0, cut);
                    reason = Generated.FinishReason.STOP_SEQUENCE;
                    break;
                }
                if (out.size() >= config.maxNewTokens()) {
                    reason = Generated.FinishReason.MAX_TOKENS;
                    break;
                }
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = token;
                if (sequence.length >= context) {
                    reason = Generated.FinishReason.CONTEXT_FULL;
                    break;
                }
                logits = cache != null ? nextLogits(net, manager, cache, sequence, sequence.length - 1, 1)
                        : nextLogits(net, manager, null, sequence, 0, sequence.length);
            }
        }
        if (format.isChat() && reason == Generated.FinishReason.END_OF_TEXT && !format.turnEnd().isEmpty()
                && text.endsWith(format.turnEnd())) {
            text = text.substring(0, text.length() - format.turnEnd().length());
        }
        long[] ids = out.stream().mapToLong(Long::longValue).toArray();
        return new Generated(text, ids, logProbs, promptIds.length, reason);
    }

    private String decode(List<Long> ids, boolean dropLast) {
        long[] a = ids.stream().mapToLong(Long::longValue).toArray();
        return tokenizer.decode(dropLast ? Arrays.copyOf(a, a.length - 1) : a);
    }

    private int firstStop(String text) {
        int best = -1;
        for (String s : config.stopSequences()) {
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    @SuppressWarnings("try")
    private static float[] nextLogits(Gpt2Net net, NDManager manager, KvCache cache, long[] sequence, int from,
            int count) {
        try (NDScope scope = new NDScope()) {
            long[] ids = Arrays.copyOfRange(sequence, from, from + count);
            long[] pos = new long[count];
            for (int i = 0; i < count; i++) {
                pos[i] = from + i;
            }
            NDArray idArray = manager.create(ids, new Shape(1, count));
            NDArray posArray = manager.create(pos, new Shape(1, count));
            NDArray mask = count == 1 ? null : Gpt2Net.causalMask(manager, from, count, DataType.FLOAT32);
            NDArray h = net.hidden(Weights.DIRECT, idArray, posArray, mask, cache, false);
            NDArray last = h.get(new NDIndex(":, -1, :"));
            return net.logits(Weights.DIRECT, last).toFloatArray();
        }
    }

    /** Configures a generator. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private final Gpt2Model model;
        private final TextTokenizer tokenizer;
        private PromptFormat format;
        private GenerationConfig config;

        private Builder(Gpt2Model model, TextTokenizer tokenizer) {
            this.model = model;
            this.tokenizer = tokenizer;
        }

        /**
         * Sets the prompt format ({@link PromptFormat#plain()} when not set).
         *
         * @param value the format
         * @return this builder
         */
        public Builder format(PromptFormat value) {
            if (format != null) {
                throw new IllegalStateException("format was already set to " + format);
            }
            format = Objects.requireNonNull(value, "format");
            return this;
        }

        /**
         * Sets the generation configuration (greedy, 64 new tokens when not set).
         *
         * @param value the configuration
         * @return this builder
         */
        public Builder config(GenerationConfig value) {
            if (config != null) {
                throw new IllegalStateException("config was already set to " + config);
            }
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * Builds the generator.
         *
         * @return the generator
         */
        public TextGenerator build() {
            return new TextGenerator(model, tokenizer, format == null ? PromptFormat.plain() : format,
                    config == null ? GenerationConfig.greedy(64) : config);
        }
    }
}
