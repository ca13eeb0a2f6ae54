package dev.mlops.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The shape of a GPT-2 style decoder-only transformer: token and position embeddings, pre-norm blocks of causal
 * self-attention and MLP, a final layer norm, and an LM head tied to the token embeddings. Any size from a few
 * thousand parameters to GPT-2 small ({@link #gpt2Small()}) and beyond.
 *
 * <p>Reads and writes Hugging Face's {@code config.json} for GPT-2 ({@code n_embd}, {@code n_layer}, ...), so that
 * a directory holding {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} for a GPT-2-family
 * model opens as it is. Immutable.
 *
 * @param vocabSize tokens in the vocabulary ({@code vocab_size})
 * @param contextLength the longest sequence, the number of position embeddings ({@code n_positions})
 * @param embeddingSize the width of the residual stream ({@code n_embd})
 * @param layers decoder blocks ({@code n_layer})
 * @param heads attention heads per block ({@code n_head}); must divide the embedding size
 * @param mlpSize the MLP's hidden width ({@code n_inner}; four times the embedding size in GPT-2)
 * @param layerNormEpsilon the layer norms' epsilon ({@code layer_norm_epsilon})
 * @param dropout dropout on embeddings, attention weights and residual branches during training, 0 to below 1
 * @param activation the MLP's activation
 */
public record Gpt2Config(int vocabSize, int contextLength, int embeddingSize, int layers, int heads, int mlpSize,
        double layerNormEpsilon, double dropout, Activation activation) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The MLP activations GPT-2 checkpoints use. */
    public enum Activation {
        /** GELU with the tanh approximation, GPT-2's {@code gelu_new}. */
        GELU_TANH("gelu_new"),
        /** Exact GELU through the error function, {@code gelu}. */
        GELU("gelu"),
        /** ReLU, {@code relu}. */
        RELU("relu");

        private final String hfName;

        Activation(String hfName) {
            this.hfName = hfName;
        }

        /**
         * Returns the name Hugging Face configurations use.
         *
         * @return for instance {@code gelu_new}
         */
        public String huggingFaceName() {
            return hfName;
        }

        static Activation of(String name, String source) {
            return switch (name) {
                case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
                case "gelu" -> GELU;
                case "relu" -> RELU;
                default -> throw new DataFormatException(source, 0, "activation_function", "activation '" + name
                        + "' is not supported; use gelu_new, gelu_pytorch_tanh, gelu or relu");
            };
        }
    }

    /**
     * Validates the configuration.
     *
     * @throws InvalidArgumentException naming the first value out of range
     */
    public Gpt2Config {
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("embeddingSize", embeddingSize);
        positive("layers", layers);
        positive("heads", heads);
        positive("mlpSize", mlpSize);
        if (embeddingSize % heads != 0) {
            throw new InvalidArgumentException("embeddingSize " + embeddingSize + " must be a multiple of heads "
                    + heads);
        }
        if (!(layerNormEpsilon > 0) || !Double.isFinite(layerNormEpsilon)) {
            throw new InvalidArgumentException("layerNormEpsilon must be positive, but was " + layerNormEpsilon);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidArgumentException("dropout must be in [0, 1), but was " + dropout);
        }
        if (activation == null) {
            throw new InvalidArgumentException("activation must not be null");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new InvalidArgumentException(name + " must be positive, but was " + value);
        }
    }

    /**
     * Starts a configuration; the defaults are GPT-2 small's apart from dropout, which is 0.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns GPT-2 small: 124M parameters, 12 layers of width 768 with 12 heads, 1024 positions, 50257 tokens.
     *
     * @return the configuration
     */
    public static Gpt2Config gpt2Small() {
        return new Gpt2Config(50257, 1024, 768, 12, 12, 3072, 1e-5, 0.1, Activation.GELU_TANH);
    }

    /**
     * Returns the width of one attention head.
     *
     * @return embedding size divided by heads
     */
    public int headSize() {
        return embeddingSize / heads;
    }

    /**
     * Returns the number of parameters, counting the tied LM head once.
     *
     * @return the count
     */
    public long parameterCount() {
        long d = embeddingSize;
        long m = mlpSize;
        long perLayer = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * m + m) + (m * d + d);
        return (long) vocabSize * d + (long) contextLength * d + layers * perLayer + 2 * d;
    }

    /**
     * Returns a copy with another dropout rate.
     *
     * @param rate the rate, 0 to below 1
     * @return the copy
     */
    public Gpt2Config withDropout(double rate) {
        return new Gpt2Config(vocabSize, contextLength, embeddingSize, layers, heads, mlpSize, layerNormEpsilon, rate,
                activation);
    }

    /**
     * Reads a Hugging Face GPT-2 {@code config.json}. Options that change the architecture beyond what is modelled
     * here (untied embeddings, attention scaled by layer index, unscaled attention) are refused.
     *
     * @param file the configuration file
     * @return the configuration
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if it is not a GPT-2 configuration this class can represent
     */
    public static Gpt2Config readHuggingFace(Path file) {
        String source = file.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model configuration not found: " + file, e);
        } catch (IOException e) {
            throw new DataFormatException(source, 0, null, "not a JSON configuration: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DataFormatException(source, 0, null, "the configuration must be a JSON object");
        }
        String type = root.path("model_type").asText("gpt2");
        if (!type.equals("gpt2")) {
            throw new DataFormatException(source, 0, "model_type", "model_type '" + type + "' is not gpt2");
        }
        refuse(root, source, "tie_word_embeddings", false, "untied LM heads are not supported");
        refuse(root, source, "scale_attn_by_inverse_layer_idx", true, "attention scaled by layer index is not "
                + "supported");
        refuse(root, source, "reorder_and_upcast_attn", true, "reordered, upcast attention is not supported");
        refuse(root, source, "scale_attn_weights", false, "unscaled attention is not supported");
        int d = integer(root, source, "n_embd", 768);
        JsonNode inner = root.get("n_inner");
        int m = inner == null || inner.isNull() ? 4 * d : integer(root, source, "n_inner", 4 * d);
        double dropout = Math.max(number(root, source, "resid_pdrop", 0.1), Math.max(number(root, source,
                "embd_pdrop", 0.1), number(root, source, "attn_pdrop", 0.1)));
        try {
            return new Gpt2Config(integer(root, source, "vocab_size", 50257), integer(root, source, "n_positions",
                    1024), d, integer(root, source, "n_layer", 12), integer(root, source, "n_head", 12), m,
                    number(root, source, "layer_norm_epsilon", 1e-5), dropout,
                    Activation.of(root.path("activation_function").asText("gelu_new"), source));
        } catch (InvalidArgumentException e) {
            if (e instanceof DataFormatException) {
                throw e;
            }
            throw new DataFormatException(source, 0, null, e.getMessage(), e);
        }
    }

    private static void refuse(JsonNode root, String source, String key, boolean bad, String why) {
        JsonNode v = root.get(key);
        if (v != null && v.isBoolean() && v.asBoolean() == bad) {
            throw new DataFormatException(source, 0, key, why + " (" + key + " = " + bad + ")");
        }
    }

    private static int integer(JsonNode root, String source, String key, int fallback) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new DataFormatException(source, 0, key, key + " must be an integer, but is " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode root, String source, String key, double fallback) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new DataFormatException(source, 0, key, key + " must be a number, but is " + v);
        }
        return v.asDouble();
    }

    /**
     * Returns the configuration as a Hugging Face GPT-2 {@code config.json} document.
     *
     * @return the JSON text
     */
    public String toHuggingFaceJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("vocab_size", vocabSize);
        o.put("n_positions", contextLength);
        o.put("n_ctx", contextLength);
        o.put("n_embd", embeddingSize);
        o.put("n_layer", layers);
        o.put("n_head", heads);
        if (mlpSize == 4 * embeddingSize) {
            o.putNull("n_inner");
        } else {
            o.put("n_inner", mlpSize);
        }
        o.put("activation_function", activation.huggingFaceName());
        o.put("resid_pdrop", dropout);
        o.put("embd_pdrop", dropout);
        o.put("attn_pdrop", dropout);
        o.put("layer_norm_epsilon", layerNormEpsilon);
        o.put("tie_word_embeddings", true);
        o.put("scale_attn_weights", true);
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the configuration as JSON", e);
        }
    }

    /**
     * Writes the configuration as a Hugging Face {@code config.json}.
     *
     * @param file the file to write
     * @throws UnavailableException if the file cannot be written
     */
    public void writeHuggingFace(Path file) {
        try {
            Files.writeString(file, toHuggingFaceJson());
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Gpt2Config[vocab=%d, context=%d, d=%d, layers=%d, heads=%d, mlp=%d, "
                + "params=%d]", vocabSize, contextLength, embeddingSize, layers, heads, mlpSize, parameterCount());
    }

    /** Builds a configuration. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private Integer vocabSize;
        private Integer contextLength;
        private Integer embeddingSize;
        private Integer layers;
        private Integer heads;
        private Integer mlpSize;
        private Double layerNormEpsilon;
        private Double dropout;
        private Activation activation;

        private Builder() {
        }

        private static <T> T once(T current, T value, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
            return value;
        }

        /**
         * Sets the vocabulary size.
         *
         * @param value tokens in the vocabulary
         * @return this builder
         */
        public Builder vocabSize(int value) {
            vocabSize = once(vocabSize, value, "vocabSize");
            return this;
        }

        /**
         * Sets the context length.
         *
         * @param value the number of positions
         * @return this builder
         */
        public Builder contextLength(int value) {
            contextLength = once(contextLength, value, "contextLength");
            return this;
        }

        /**
         * Sets the embedding size.
         *
         * @param value the residual width
         * @return this builder
         */
        public Builder embeddingSize(int value) {
            embeddingSize = once(embeddingSize, value, "embeddingSize");
            return this;
        }

        /**
         * Sets the number of decoder blocks.
         *
         * @param value the layer count
         * @return this builder
         */
        public Builder layers(int value) {
            layers = once(layers, value, "layers");
            return this;
        }

        /**
         * Sets the number of attention heads.
         *
         * @param value heads per block
         * @return this builder
         */
        public Builder heads(int value) {
            heads = once(heads, value, "heads");
            return this;
        }

        /**
         * Sets the MLP's hidden width; four times the embedding size when not set.
         *
         * @param value the width
         * @return this builder
         */
        public Builder mlpSize(int value) {
            mlpSize = once(mlpSize, value, "mlpSize");
            return this;
        }

        /**
         * Sets the layer norms' epsilon (1e-5 when not set).
         *
         * @param value the epsilon
         * @return this builder
         */
        public Builder layerNormEpsilon(double value) {
            layerNormEpsilon = once(layerNormEpsilon, value, "layerNormEpsilon");
            return this;
        }

        /**
         * Sets the dropout rate used in training (0 when not set).
         *
         * @param value the rate
         * @return this builder
         */
        public Builder dropout(double value) {
            dropout = once(dropout, value, "dropout");
            return this;
        }

        /**
         * Sets the MLP activation ({@link Activation#GELU_TANH} when not set).
         *
         * @param value the activation
         * @return this builder
         */
        public Builder activation(Activation value) {
            activation = once(activation, value, "activation");
            return this;
        }

        /**
         * Builds the configuration; unset sizes take GPT-2 small's values.
         *
         * @return the configuration
         * @throws InvalidArgumentException if a value is out of range
         */
        public Gpt2Config build() {
            int d = embeddingSize == null ? 768 : embeddingSize;
            return new Gpt2Config(vocabSize == null ? 50257 : vocabSize, contextLength == null ? 1024 : contextLength,
                    d, layers == null ? 12 : layers, heads == null ? 12 : heads, mlpSize == null ? 4 * d : mlpSize,
                    layerNormEpsilon == null ? 1e-5 : layerNormEpsilon, dropout == null ? 0.0 : dropout,
                    activation == null ? Activation.GELU_TANH : activation);
        }
    }
}
