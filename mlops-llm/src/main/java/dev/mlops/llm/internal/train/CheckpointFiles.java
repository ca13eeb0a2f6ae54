package dev.mlops.llm.internal.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.llm.model.Safetensors;
import dev.mlops.llm.model.Tensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint directories: {@code step-00000012/} holding {@value #TRAINABLE}, {@value #OPTIMIZER}, optionally
 * {@value #BEST}, and {@value #STATE}. Each is written into a hidden staging directory and renamed into place, so a
 * checkpoint either exists completely or not at all.
 */
public final class CheckpointFiles {
    /** The trainable weights. */
    public static final String TRAINABLE = "trainable.safetensors";
    /** The optimizer moments. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** The weights of the best validation so far. */
    public static final String BEST = "best.safetensors";
    /** Counters, history and settings. */
    public static final String STATE = "state.json";
    /** The state format. */
    public static final int FORMAT_VERSION = 1;

    private static final Pattern NAME = Pattern.compile("step-\\d{8}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointFiles() {
    }

    /** @return a JSON mapper for state documents */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Writes a checkpoint atomically and removes old ones beyond {@code keep}.
     *
     * @param root the checkpoint directory
     * @param step the step
     * @param trainable the trainable weights
     * @param optimizer the optimizer state
     * @param best the best weights, or null
     * @param state the state document
     * @param keep how many to keep, 0 for all
     * @return the checkpoint's directory
     */
    public static Path write(Path root, long step, Map<String, Tensor> trainable, Map<String, Tensor> optimizer,
            Map<String, Tensor> best, ObjectNode state, int keep) {
        Path target = root.resolve(String.format("step-%08d", step));
        Path staging = root.resolve(".staging-" + target.getFileName());
        try {
            Files.createDirectories(root);
            deleteTree(staging);
            Files.createDirectories(staging);
            Safetensors.write(staging.resolve(TRAINABLE), trainable, Map.of("format", "pt"));
            Safetensors.write(staging.resolve(OPTIMIZER), optimizer, Map.of("format", "pt"));
            if (best != null) {
                Safetensors.write(staging.resolve(BEST), best, Map.of("format", "pt"));
            }
            Files.write(staging.resolve(STATE), JSON.writeValueAsBytes(state));
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            if (keep > 0) {
                List<Path> all = list(root);
                for (int i = 0; i < all.size() - keep; i++) {
                    if (!all.get(i).equals(target)) {
                        deleteTree(all.get(i));
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UnavailableException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists the checkpoints of a directory, oldest first.
     *
     * @param root the checkpoint directory
     * @return checkpoint directories
     */
    public static List<Path> list(Path root) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /**
     * Resolves a checkpoint: the directory itself when it holds {@value #STATE}, else its latest checkpoint.
     *
     * @param path a checkpoint or a checkpoint directory
     * @return the checkpoint
     * @throws NotFoundException if there is none
     */
    public static Path resolve(Path path) {
        if (Files.isRegularFile(path.resolve(STATE))) {
            return path;
        }
        List<Path> all = list(path);
        if (all.isEmpty()) {
            throw new NotFoundException("no checkpoint in " + path);
        }
        return all.get(all.size() - 1);
    }

    /**
     * Reads a checkpoint's state document.
     *
     * @param checkpoint the checkpoint
     * @return the document
     */
    public static JsonNode readState(Path checkpoint) {
        Path file = checkpoint.resolve(STATE);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject() || n.path("format_version").asInt() != FORMAT_VERSION) {
                throw new DataFormatException(file.toString(), 0, "format_version", "not a checkpoint state of "
                        + "format " + FORMAT_VERSION);
            }
            return n;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("checkpoint state not found: " + file, e);
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, null, "not a JSON document: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an optional tensor file of a checkpoint.
     *
     * @param checkpoint the checkpoint
     * @param name the file name
     * @return the tensors, or empty when the file is absent
     */
    public static Optional<Map<String, Tensor>> tensors(Path checkpoint, String name) {
        Path file = checkpoint.resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Safetensors.read(file).tensors());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
