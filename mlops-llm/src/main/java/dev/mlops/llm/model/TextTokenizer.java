package dev.mlops.llm.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A tokenizer read from a local Hugging Face {@code tokenizer.json} (BPE, WordLevel, WordPiece or Unigram, as the
 * Rust {@code tokenizers} library runs them through DJL); nothing is downloaded. It knows its vocabulary size and
 * its end-of-text token, which generation stops on and fine-tuning appends to completions.
 *
 * <p>{@link #characterLevel(Path, String)} writes a GPT-2-style byte-level tokenizer whose tokens are single
 * characters, handy for synthetic tasks and tests.
 *
 * <p>Thread-safe; owns a native tokenizer until {@link #close()}.
 */
public final class TextTokenizer implements AutoCloseable {
    /** The end-of-text token of GPT-2 and of {@link #characterLevel}. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EOS_CANDIDATES = List.of(END_OF_TEXT, "</s>", "<eos>", "<|end|>", "[SEP]");

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final int vocabSize;
    private final Map<String, Long> tokens;
    private final long eosId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path file, int vocabSize, Map<String, Long> tokens,
            long eosId) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.vocabSize = vocabSize;
        this.tokens = tokens;
        this.eosId = eosId;
    }

    /**
     * Loads a {@code tokenizer.json}, taking the first of {@code <|endoftext|>}, {@code </s>}, {@code <eos>},
     * {@code <|end|>}, {@code [SEP]} that it holds as the end-of-text token.
     *
     * @param file the tokenizer file
     * @return the tokenizer
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if it is not a tokenizer file or holds none of those tokens
     */
    public static TextTokenizer load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a {@code tokenizer.json} with a given end-of-text token.
     *
     * @param file the tokenizer file
     * @param endOfText the token generation stops on and fine-tuning appends, or null to look for a usual one
     * @return the tokenizer
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if it is not a tokenizer file or lacks the end-of-text token
     */
    public static TextTokenizer load(Path file, String endOfText) {
        String source = file.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("tokenizer file not found: " + file, e);
        } catch (IOException e) {
            throw new DataFormatException(source, 0, null, "not a JSON tokenizer file: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new DataFormatException(source, 0, "model", "a tokenizer file needs a 'model' object");
        }
        Map<String, Long> tokens = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        long max = -1;
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                tokens.put(e.getKey(), e.getValue().asLong());
                max = Math.max(max, e.getValue().asLong());
            }
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                JsonNode piece = vocab.get(i);
                tokens.put(piece.isArray() ? piece.path(0).asText() : piece.asText(), (long) i);
            }
            max = vocab.size() - 1;
        } else {
            throw new DataFormatException(source, 0, "model.vocab", "the tokenizer has no vocabulary");
        }
        for (JsonNode added : root.path("added_tokens")) {
            tokens.put(added.path("content").asText(), added.path("id").asLong());
            max = Math.max(max, added.path("id").asLong());
        }
        long eos = -1;
        if (endOfText != null) {
            Long id = tokens.get(endOfText);
            if (id == null) {
                throw new DataFormatException(source, 0, null, "the end-of-text token '" + endOfText + "' is not in "
                        + "the vocabulary");
            }
            eos = id;
        } else {
            for (String c : EOS_CANDIDATES) {
                if (tokens.containsKey(c)) {
                    eos = tokens.get(c);
                    break;
                }
            }
            if (eos < 0) {
                throw new DataFormatException(source, 0, null, "no end-of-text token found (looked for "
                        + EOS_CANDIDATES + "); name one with load(file, token)");
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("truncation", "false");
        options.put("padding", "false");
        options.put("maxLength", "1000000");
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataFormatException(source, 0, null, "the tokenizers library refused the file: "
                    + e.getMessage(), e);
        }
        return new TextTokenizer(hf, file, (int) (max + 1), Map.copyOf(tokens), eos);
    }

    /**
     * Writes a character-level tokenizer: GPT-2's byte-level pre-tokenizer and decoder with a BPE model that has one
     * token per character of the alphabet and no merges, plus {@value #END_OF_TEXT} (id 0) and {@code <unk>} (id 1),
     * which stands for any character outside the alphabet. Then loads it.
     *
     * @param file where to write {@code tokenizer.json}
     * @param alphabet the characters, each from U+0020 to U+007E or a newline, without repeats
     * @return the loaded tokenizer, with {@code alphabet.length() + 2} tokens
     * @throws InvalidArgumentException if a character is outside that range or repeated
     */
    public static TextTokenizer characterLevel(Path file, String alphabet) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 0).put("content", END_OF_TEXT).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.put("unk_token", "<unk>").putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put(END_OF_TEXT, 0);
        vocab.put("<unk>", 1);
        int id = 2;
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            String symbol;
            if (c == ' ') {
                symbol = "\u0120";
            } else if (c == '\n') {
                symbol = "\u010A";
            } else if (c > ' ' && c <= '~') {
                symbol = String.valueOf(c);
            } else {
                throw new InvalidArgumentException("character U+" + String.format("%04X", (int) c) + " at " + i
                        + " is outside the printable ASCII range and not a newline");
            }
            if (vocab.has(symbol)) {
                throw new InvalidArgumentException("character '" + c + "' appears twice in the alphabet");
            }
            vocab.put(symbol, id++);
        }
        model.putArray("merges");
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(file, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return load(file, END_OF_TEXT);
    }

    /**
     * Encodes text, adding no special tokens.
     *
     * @param text the text
     * @return token ids
     */
    public long[] encode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return new long[0];
        }
        return tokenizer.encode(text, false, false).getIds();
    }

    /**
     * Decodes ids into text, leaving out special tokens such as the end-of-text token.
     *
     * @param ids token ids
     * @return the text
     */
    public String decode(long[] ids) {
        if (ids.length == 0) {
            return "";
        }
        return tokenizer.decode(ids, true);
    }

    /**
     * Returns the vocabulary size: one more than the largest id.
     *
     * @return the size
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Returns the end-of-text token's id.
     *
     * @return the id
     */
    public long endOfTextId() {
        return eosId;
    }

    /**
     * Looks up a token's id.
     *
     * @param token the token as the vocabulary spells it
     * @return the id, or empty
     */
    public OptionalLong tokenId(String token) {
        Long id = tokens.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /**
     * Returns the file this tokenizer was read from.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "TextTokenizer[" + file.getFileName() + ", vocab=" + vocabSize + "]";
    }
}
