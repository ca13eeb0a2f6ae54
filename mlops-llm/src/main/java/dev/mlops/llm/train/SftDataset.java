package dev.mlops.llm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.llm.EvalDataset;
import dev.mlops.llm.EvalExample;
import dev.mlops.llm.internal.JsonLinesData;
import dev.mlops.llm.model.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A supervised fine-tuning dataset: a named, ordered list of {@link SftExample}s, read from JSON lines of
 * {@code {"prompt": ..., "completion": ...}} or {@code {"messages": [{"role": ..., "content": ...}, ...]}} (the two
 * shapes the feedback store exports; the shapes may mix), with de-duplication, a seeded train/validation split that
 * never puts the same example on both sides, and a content digest for lineage. Immutable and thread-safe.
 *
 * <pre>{@code
 * SftDataset all = SftDataset.readJsonl(Path.of("sft.jsonl"));
 * SftDataset.Split split = all.split(0.1, 42);     // de-duplicates first
 * }</pre>
 */
public final class SftDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<SftExample> examples;

    private SftDataset(String name, List<SftExample> examples) {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("a dataset needs a non-blank name");
        }
        this.name = name;
        this.examples = List.copyOf(examples);
    }

    /**
     * Creates a dataset from examples.
     *
     * @param name the dataset's name, for lineage
     * @param examples the examples
     * @return the dataset
     */
    public static SftDataset of(String name, List<SftExample> examples) {
        return new SftDataset(name, examples);
    }

    /**
     * Reads a JSON-lines file; blank lines are skipped and unknown keys ignored. The dataset is named after the file.
     *
     * @param file the file
     * @return the dataset
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException naming the line and key of the first malformed line
     */
    public static SftDataset readJsonl(Path file) {
        String source = file.toString();
        List<SftExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(source, n, line));
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("dataset file not found: " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new SftDataset(file.getFileName().toString(), out);
    }

    private static SftExample parse(String source, long line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new DataFormatException(source, line, null, "not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException(source, line, null, "each line must be a JSON object");
        }
        JsonNode messages = node.get("messages");
        if (messages != null) {
            if (!messages.isArray() || messages.isEmpty()) {
                throw new DataFormatException(source, line, "messages", "messages must be a non-empty array");
            }
            List<ChatMessage> list = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                JsonNode m = messages.get(i);
                JsonNode role = m.get("role");
                JsonNode content = m.get("content");
                if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
                    throw new DataFormatException(source, line, "messages[" + i + "]", "a message needs string "
                            + "'role' and 'content'");
                }
                try {
                    list.add(new ChatMessage(role.asText(), content.asText()));
                } catch (InvalidArgumentException e) {
                    throw new DataFormatException(source, line, "messages[" + i + "]", e.getMessage(), e);
                }
            }
            try {
                return SftExample.chat(list);
            } catch (InvalidArgumentException e) {
                throw new DataFormatException(source, line, "messages", e.getMessage(), e);
            }
        }
        JsonNode prompt = node.get("prompt");
        JsonNode completion = node.get("completion");
        if (prompt == null || !prompt.isTextual()) {
            throw new DataFormatException(source, line, "prompt", "a line needs a string 'prompt' and 'completion', "
                    + "or 'messages'");
        }
        if (completion == null || !completion.isTextual()) {
            throw new DataFormatException(source, line, "completion", "a line needs a string 'completion' next to "
                    + "'prompt'");
        }
        return SftExample.of(prompt.asText(), completion.asText());
    }

    /**
     * Writes the dataset as JSON lines.
     *
     * @param file the file
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public long writeJsonl(Path file) {
        return JsonLinesData.write(file, examples, SftExample::toJsonLine);
    }

    /**
     * Returns the name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the examples.
     *
     * @return an unmodifiable list
     */
    public List<SftExample> examples() {
        return examples;
    }

    /**
     * Returns the number of examples.
     *
     * @return the size
     */
    public int size() {
        return examples.size();
    }

    /**
     * Removes exact duplicates (equal prompt and completion, or equal messages), keeping the first of each.
     *
     * @return the de-duplicated dataset, with the same name
     */
    public SftDataset deduplicate() {
        Set<SftExample> seen = new LinkedHashSet<>(examples);
        return seen.size() == examples.size() ? this : new SftDataset(name, new ArrayList<>(seen));
    }

    /**
     * A train/validation split.
     *
     * @param train the training part
     * @param validation the validation part
     */
    public record Split(SftDataset train, SftDataset validation) {
    }

    /**
     * De-duplicates, then splits with a seeded shuffle: {@code round(size * fraction)} examples (at least one when
     * the fraction is positive and there are two or more) go to validation, the rest to training, each keeping the
     * original order. No example appears on both sides.
     *
     * @param validationFraction the validation share, in [0, 1)
     * @param seed the shuffle seed
     * @return the split; the parts are named {@code <name>#train} and {@code <name>#validation}
     * @throws InvalidArgumentException if the fraction is out of range
     */
    public Split split(double validationFraction, long seed) {
        List<List<SftExample>> parts = JsonLinesData.split(deduplicate().examples, validationFraction, seed);
        return new Split(new SftDataset(name + "#train", parts.get(0)),
                new SftDataset(name + "#validation", parts.get(1)));
    }

    /**
     * Returns the SHA-256 of the dataset's JSON lines: equal examples in equal order give equal digests.
     *
     * @return 64 hex characters
     */
    public String digest() {
        return JsonLinesData.digest(examples, SftExample::toJsonLine);
    }

    /**
     * Returns a lineage reference to this dataset.
     *
     * @param context the role it played, for instance {@code "training"}
     * @return the reference
     */
    public DatasetRef ref(String context) {
        return new DatasetRef(name, digest(), Objects.requireNonNull(context, "context"));
    }

    /**
     * Turns the dataset into an evaluation set for the harness: each example's prompt (or last user message) with
     * its completion (or final assistant message) as reference; ids are {@code <name>-<index>}.
     *
     * @return the evaluation dataset
     */
    public EvalDataset toEvalDataset() {
        List<EvalExample> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            SftExample e = examples.get(i);
            out.add(EvalExample.of(name.replaceAll("[^A-Za-z0-9_.\\-]", "_") + "-" + i, e.promptText(),
                    e.reference()));
        }
        return EvalDataset.of(Collections.unmodifiableList(out));
    }

    @Override
    public String toString() {
        return "SftDataset[" + name + ", " + examples.size() + " examples]";
    }
}
