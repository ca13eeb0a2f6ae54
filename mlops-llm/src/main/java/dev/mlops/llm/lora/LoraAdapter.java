package dev.mlops.llm.lora;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.HfWeights;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.Safetensors;
import dev.mlops.llm.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Low-rank adapters attached to a {@link Gpt2Model}: every targeted linear layer gains {@code A} (r, in) and
 * {@code B} (out, r), and computes {@code x W + b + (alpha / r) x A^T B^T}. Attaching freezes the base weights, so
 * training updates the adapters only and the base stays bit-identical.
 *
 * <pre>{@code
 * LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 42);
 * // ... train with SftTrainer ...
 * lora.save(Path.of("build/adapter"));          // adapter.safetensors + adapter.json (with the base's digest)
 * lora.merge();                                 // fold into the base weights for serving
 * LoraAdapter again = LoraAdapter.load(otherCopyOfBase, Path.of("build/adapter"));
 * }</pre>
 *
 * <p>An adapter saves alone: a small safetensors file of its tensors and a JSON descriptor that names the base
 * model's weights digest ({@link Gpt2Model#weightsDigest()}), the configuration and the adapter file's SHA-256.
 * Loading checks both, and refuses a base with another digest. Not thread-safe: attach, merge, unmerge and detach
 * change the model and must not run while it generates or trains.
 */
public final class LoraAdapter {
    /** The adapter weights file in an adapter directory. */
    public static final String WEIGHTS_FILE = "adapter.safetensors";
    /** The descriptor file in an adapter directory. */
    public static final String DESCRIPTOR_FILE = "adapter.json";
    /** The descriptor format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(LoraAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final long MAX_DESCRIPTOR_BYTES = 1 << 20;

    private final Gpt2Model model;
    private final LoraConfig config;
    private final String baseDigest;
    private final Map<String, Projection> projections;
    private boolean attached = true;

    private LoraAdapter(Gpt2Model model, LoraConfig config, String baseDigest, Map<String, Projection> projections) {
        this.model = model;
        this.config = config;
        this.baseDigest = baseDigest;
        this.projections = projections;
    }

    /**
     * Attaches new adapters: {@code A} uniform in +-1/sqrt(in) from the seed, {@code B} zero, so the model's output
     * is unchanged until training moves {@code B}. Freezes the base weights.
     *
     * @param model the model; it must have no adapter attached
     * @param config the adaptation
     * @param seed the seed of {@code A}
     * @return the adapter
     * @throws ConflictException if the model already has an adapter
     */
    public static LoraAdapter attach(Gpt2Model model, LoraConfig config, long seed) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Gpt2Net net = (Gpt2Net) model.block();
        if (net.projections().values().stream().anyMatch(Projection::hasLora)) {
            throw new ConflictException("the model already has an adapter attached; detach it first");
        }
        String digest = model.weightsDigest();
        Map<String, Projection> chosen = new LinkedHashMap<>();
        Map<String, Projection> all = net.projections();
        for (int i = 0; i < model.config().layers(); i++) {
            for (LoraTarget t : config.targets()) {
                String name = "h." + i + "." + t.module();
                chosen.put(name, all.get(name));
            }
        }
        for (Map.Entry<String, Projection> e : chosen.entrySet()) {
            e.getValue().attachLora(model.manager(), config.rank(), config.alpha(), config.dropout(), seed,
                    e.getKey());
        }
        model.setBaseTrainable(false);
        LoraAdapter adapter = new LoraAdapter(model, config, digest, chosen);
        LOG.debug("attached LoRA r={} alpha={} on {} layers of {} ({} trainable parameters)", config.rank(),
                config.alpha(), chosen.size(), model, adapter.trainableParameterCount());
        return adapter;
    }

    /**
     * Loads a saved adapter onto a model whose base weights match the ones it was trained on.
     *
     * @param model the base model, without an adapter
     * @param directory the adapter directory ({@value #DESCRIPTOR_FILE} and {@value #WEIGHTS_FILE})
     * @return the attached adapter, with its saved values
     * @throws NotFoundException if a file is missing
     * @throws DataFormatException if the descriptor or weights are malformed or do not fit the model's shape
     * @throws IntegrityException if the weights file does not match the digest in the descriptor
     * @throws ConflictException if the model's weights digest differs from the base the adapter was trained on,
     *     naming both digests, or the model already has an adapter
     */
    public static LoraAdapter load(Gpt2Model model, Path directory) {
        Path descriptorFile = directory.resolve(DESCRIPTOR_FILE);
        String source = descriptorFile.toString();
        JsonNode d = readDescriptor(descriptorFile);
        if (d.path("format_version").asInt(-1) != FORMAT_VERSION || !d.path("type").asText().equals("lora")) {
            throw new DataFormatException(source, 0, "format_version", "not a LoRA adapter descriptor of format "
                    + FORMAT_VERSION);
        }
        String expectedBase = d.path("base_model_digest").asText("");
        String actualBase = model.weightsDigest();
        if (!expectedBase.equals(actualBase)) {
            throw new ConflictException("the adapter in " + directory + " was trained on base weights with digest "
                    + expectedBase + ", but this model's weights have digest " + actualBase);
        }
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (JsonNode t : d.path("targets")) {
            try {
                targets.add(LoraTarget.valueOf(t.asText()));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(source, 0, "targets", "unknown target '" + t.asText() + "'", e);
            }
        }
        LoraConfig config;
        try {
            config = new LoraConfig(d.path("rank").asInt(-1), d.path("alpha").asDouble(-1),
                    d.path("dropout").asDouble(0), targets);
        } catch (InvalidArgumentException e) {
            throw new DataFormatException(source, 0, null, e.getMessage(), e);
        }
        Path weights = directory.resolve(WEIGHTS_FILE);
        String sha = sha256(weights);
        if (!sha.equals(d.path("weights_sha256").asText())) {
            throw new IntegrityException(WEIGHTS_FILE + " in " + directory + " has SHA-256 " + sha + " but the "
                    + "descriptor records " + d.path("weights_sha256").asText());
        }
        Safetensors.Contents contents = Safetensors.read(weights);
        LoraAdapter adapter = attach(model, config, 0);
        try {
            adapter.setValues(contents.tensors(), weights.toString());
        } catch (RuntimeException e) {
            adapter.detach();
            throw e;
        }
        return adapter;
    }

    private static JsonNode readDescriptor(Path file) {
        try {
            if (Files.size(file) > MAX_DESCRIPTOR_BYTES) {
                throw new DataFormatException(file.toString(), 0, null, "the descriptor is larger than "
                        + MAX_DESCRIPTOR_BYTES + " bytes");
            }
            JsonNode d = JSON.readTree(Files.readAllBytes(file));
            if (d == null || !d.isObject()) {
                throw new DataFormatException(file.toString(), 0, null, "the descriptor must be a JSON object");
            }
            return d;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("adapter descriptor not found: " + file, e);
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, null, "not a JSON descriptor: " + e.getMessage(), e);
        }
    }

    private void setValues(Map<String, Tensor> tensors, String source) {
        Map<String, Parameter> expected = parameters();
        List<String> extra = new ArrayList<>(tensors.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new DataFormatException(source, 0, extra.get(0), "the adapter file holds tensors its descriptor's "
                    + "configuration does not have: " + extra);
        }
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new DataFormatException(source, 0, e.getKey(), "tensor '" + e.getKey() + "' is missing");
            }
            long[] shape = e.getValue().getArray().getShape().getShape();
            if (!Arrays.equals(t.shape(), shape) || !t.type().isFloatingPoint()) {
                throw new DataFormatException(source, 0, e.getKey(), "tensor '" + e.getKey() + "' is " + t.type()
                        + " " + Arrays.toString(t.shape()) + " but the model needs floats of shape "
                        + Arrays.toString(shape));
            }
            HfWeights.set(e.getValue(), t.toFloats());
        }
    }

    /**
     * Lists the adapter's parameters by tensor name ({@code h.0.attn.q.lora_A.weight}, ...).
     *
     * @return the parameters in a fixed order
     */
    Map<String, Parameter> parameters() {
        checkAttached();
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Projection> e : projections.entrySet()) {
            out.put(e.getKey() + ".lora_A.weight", e.getValue().loraA());
            out.put(e.getKey() + ".lora_B.weight", e.getValue().loraB());
        }
        return out;
    }

    /**
     * Writes {@value #WEIGHTS_FILE} and {@value #DESCRIPTOR_FILE} into a directory (created if needed). Works merged
     * or not: the adapter's own values are saved either way.
     *
     * @param directory the directory
     * @return the directory
     * @throws UnavailableException if writing fails
     */
    public Path save(Path directory) {
        checkAttached();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UnavailableException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            tensors.put(e.getKey(), Tensor.ofFloats(e.getValue().getArray().toFloatArray(),
                    e.getValue().getArray().getShape().getShape()));
        }
        Path weights = directory.resolve(WEIGHTS_FILE);
        Safetensors.write(weights, tensors, Map.of("format", "pt", "base_model_digest", baseDigest));
        ObjectNode d = JSON.createObjectNode();
        d.put("format_version", FORMAT_VERSION);
        d.put("type", "lora");
        d.put("base_model_digest", baseDigest);
        d.put("rank", config.rank());
        d.put("alpha", config.alpha());
        d.put("dropout", config.dropout());
        ArrayNode targets = d.putArray("targets");
        ArrayNode modules = d.putArray("target_modules");
        for (LoraTarget t : config.targets()) {
            targets.add(t.name());
            modules.add(t.module());
        }
        d.put("trainable_parameters", trainableParameterCount());
        d.put("weights_file", WEIGHTS_FILE);
        d.put("weights_sha256", sha256(weights));
        d.put("created", Instant.now().toString());
        try {
            d.set("base_model_config", JSON.readTree(model.config().toHuggingFaceJson()));
            Files.write(directory.resolve(DESCRIPTOR_FILE), JSON.writeValueAsBytes(d));
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + directory.resolve(DESCRIPTOR_FILE) + ": "
                    + e.getMessage(), e);
        }
        return directory;
    }

    static String sha256(Path file) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = new java.security.DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchFileException e) {
            throw new NotFoundException("file not found: " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * Counts the adapter's parameters.
     *
     * @return the count, equal to {@link LoraConfig#parameterCount}
     */
    public long trainableParameterCount() {
        long n = 0;
        for (Parameter p : parameters().values()) {
            n += p.getArray().getShape().size();
        }
        return n;
    }

    /**
     * Folds the adapters into the base weights ({@code W += (alpha / r) A^T B^T}), so inference costs no more than
     * the base model's. The model's weights digest changes accordingly.
     */
    public void merge() {
        checkAttached();
        projections.values().forEach(Projection::merge);
    }

    /** Takes merged adapters out of the base weights again (up to float rounding). */
    public void unmerge() {
        checkAttached();
        projections.values().forEach(Projection::unmerge);
    }

    /**
     * Tells whether the adapters are merged.
     *
     * @return true when merged
     */
    public boolean isMerged() {
        checkAttached();
        return projections.values().iterator().next().isMerged();
    }

    /**
     * Removes the adapters (unmerging them first) and makes the base weights trainable again. The adapter object is
     * then spent.
     */
    public void detach() {
        if (!attached) {
            return;
        }
        projections.values().forEach(Projection::detachLora);
        model.setBaseTrainable(true);
        attached = false;
    }

    /**
     * Returns the digest of the base weights the adapter belongs to.
     *
     * @return 64 hex characters
     */
    public String baseDigest() {
        return baseDigest;
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public LoraConfig config() {
        return config;
    }

    /**
     * Returns the model the adapter is attached to.
     *
     * @return the model
     */
    public Gpt2Model model() {
        return model;
    }

    private void checkAttached() {
        if (!attached) {
            throw new IllegalStateException("the adapter was detached");
        }
    }

    @Override
    public String toString() {
        return "LoraAdapter[r=" + config.rank() + ", alpha=" + config.alpha() + ", targets=" + config.targets()
                + ", base=" + baseDigest.substring(0, 12) + "..., attached=" + attached + "]";
    }
}
