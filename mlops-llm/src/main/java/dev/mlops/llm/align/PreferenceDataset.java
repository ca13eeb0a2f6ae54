package dev.mlops.llm.align;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.llm.feedback.FeedbackStore;
import dev.mlops.llm.internal.JsonLinesData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A preference dataset for {@link DpoTrainer}: a named, ordered list of {@link PreferencePair}s, built in memory or
 * read from the JSON lines that {@link FeedbackStore#exportPreferences(java.io.Writer)} writes, with a seeded
 * train/validation split and a content digest for lineage. Immutable and thread-safe.
 *
 * <pre>{@code
 * PreferenceDataset all = PreferenceDataset.fromFeedback(store);      // or readJsonl(Path.of("dpo.jsonl"))
 * PreferenceDataset.Split split = all.split(0.1, 42);
 * }</pre>
 */
public final class PreferenceDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<PreferencePair> pairs;

    private PreferenceDataset(String name, List<PreferencePair> pairs) {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("a dataset needs a non-blank name, but got '" + name + "'");
        }
        this.name = name;
        this.pairs = List.copyOf(pairs);
    }

    /**
     * Creates a dataset from pairs.
     *
     * @param name the dataset's name, for lineage
     * @param pairs the pairs
     * @return the dataset
     * @throws InvalidArgumentException if the name is blank
     */
    public static PreferenceDataset of(String name, List<PreferencePair> pairs) {
        return new PreferenceDataset(name, Objects.requireNonNull(pairs, "pairs"));
    }

    /**
     * Reads a JSON-lines file of {@code {"prompt", "chosen", "rejected"}} objects; blank lines are skipped and unknown
     * keys ignored. The dataset is named after the file.
     *
     * @param file the file
     * @return the dataset
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException naming the line and key of the first malformed line, or a line whose chosen
     *     completion equals its rejected one
     * @throws UnavailableException if reading fails
     */
    public static PreferenceDataset readJsonl(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.getFileName().toString(), file.toString(), r);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("preference file not found: " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads JSON lines of {@code {"prompt", "chosen", "rejected"}} objects from a reader.
     *
     * @param name the dataset's name, also used as the source in error messages
     * @param in the reader; not closed
     * @return the dataset
     * @throws DataFormatException naming the line and key of the first malformed line
     * @throws UnavailableException if reading fails
     */
    public static PreferenceDataset readJsonl(String name, Reader in) {
        try {
            return read(name, name, new BufferedReader(in));
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Exports the preference pairs of a feedback store (pairwise judgements with a winner, and corrections) and reads
     * them as a dataset named {@code feedback}.
     *
     * @param store the store
     * @return the dataset, in the export's order
     * @throws UnavailableException if the store cannot be read
     */
    public static PreferenceDataset fromFeedback(FeedbackStore store) {
        StringWriter out = new StringWriter();
        store.exportPreferences(out);
        return readJsonl("feedback", new StringReader(out.toString()));
    }

    private static PreferenceDataset read(String name, String source, BufferedReader r) throws IOException {
        List<PreferencePair> out = new ArrayList<>();
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (!line.isBlank()) {
                out.add(parse(source, n, line));
            }
        }
        return new PreferenceDataset(name, out);
    }

    private static PreferencePair parse(String source, long line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new DataFormatException(source, line, null, "not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException(source, line, null, "each line must be a JSON object");
        }
        String[] values = new String[3];
        String[] keys = {"prompt", "chosen", "rejected"};
        for (int i = 0; i < keys.length; i++) {
            JsonNode v = node.get(keys[i]);
            if (v == null || !v.isTextual()) {
                throw new DataFormatException(source, line, keys[i], "a line needs string 'prompt', 'chosen' and "
                        + "'rejected'");
            }
            values[i] = v.asText();
        }
        try {
            return new PreferencePair(values[0], values[1], values[2]);
        } catch (InvalidArgumentException e) {
            throw new DataFormatException(source, line, "rejected", e.getMessage(), e);
        }
    }

    /**
     * Writes the dataset as JSON lines.
     *
     * @param file the file
     * @return the number of lines written
     * @throws UnavailableException if writing fails
     */
    public long writeJsonl(Path file) {
        return JsonLinesData.write(file, pairs, PreferencePair::toJsonLine);
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
     * Returns the pairs.
     *
     * @return an unmodifiable list
     */
    public List<PreferencePair> pairs() {
        return pairs;
    }

    /**
     * Returns the number of pairs.
     *
     * @return the size
     */
    public int size() {
        return pairs.size();
    }

    /**
     * A train/validation split.
     *
     * @param train the training part
     * @param validation the validation part
     */
    public record Split(PreferenceDataset train, PreferenceDataset validation) {
    }

    /**
     * Removes exact duplicates, then splits with a seeded shuffle: {@code round(size * fraction)} pairs (at least one
     * when the fraction is positive and there are two or more) go to validation, the rest to training, each keeping
     * the original order.
     *
     * @param validationFraction the validation share, in [0, 1)
     * @param seed the shuffle seed
     * @return the split; the parts are named {@code <name>#train} and {@code <name>#validation}
     * @throws InvalidArgumentException if the fraction is out of range
     */
    public Split split(double validationFraction, long seed) {
        List<List<PreferencePair>> parts = JsonLinesData.split(new ArrayList<>(new LinkedHashSet<>(pairs)),
                validationFraction, seed);
        return new Split(new PreferenceDataset(name + "#train", parts.get(0)),
                new PreferenceDataset(name + "#validation", parts.get(1)));
    }

    /**
     * Returns the SHA-256 of the dataset's JSON lines: equal pairs in equal order give equal digests.
     *
     * @return 64 hex characters
     */
    public String digest() {
        return JsonLinesData.digest(pairs, PreferencePair::toJsonLine);
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

    @Override
    public String toString() {
        return "PreferenceDataset[" + name + ", " + pairs.size() + " pairs]";
    }
}
