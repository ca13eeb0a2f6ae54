package dev.mlops.llm.lora;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.quant.Int8Quantization;
import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes an adapter, a merged model or a fully fine-tuned model as a model-package directory in the registry's
 * format: the files under {@code model/}, the tokenizer, a model card, and the {@value #DESCRIPTOR} descriptor with
 * the SHA-256 and size of every file. This module does not depend on the registry; the host application opens the
 * directory with {@code ModelPackage.open(dir)} and registers it with {@code registry.register(name, pkg)}.
 *
 * <p>Lineage names the base: the package's datasets include the base model as a reference with context
 * {@value #BASE_CONTEXT} and the base weights' digest, next to the training data, so that {@code registry.lineage}
 * lists it and {@code registry.versionsTrainedOn(baseDigest)} finds every adapter of a base.
 *
 * <pre>{@code
 * Path dir = LlmPackage.builder().adapter(lora).baseName("gpt2").tokenizer(tokenizer).format(format)
 *         .dataset(split.train().ref("training")).metrics(Map.of("exact_match", 0.93))
 *         .build(Path.of("build/pkg"));
 * ModelVersion v = registry.register("reverse-lora", ModelPackage.open(dir));   // in the host application
 * }</pre>
 *
 * <p>Not thread-safe; each option may be set once.
 */
public final class LlmPackage {
    /** The descriptor file, as the registry names it. */
    public static final String DESCRIPTOR = "mlops-model.json";
    /** The dataset context that marks the base model in lineage. */
    public static final String BASE_CONTEXT = "base-model";
    /** The flavor of an adapter package. */
    public static final String LORA_FLAVOR = "gpt2-lora";
    /** The flavor of a full model package. */
    public static final String MODEL_FLAVOR = "gpt2";
    /** The flavor of a model whose linear weights are int8 ({@code Int8Quantization.load} reads its directory). */
    public static final String INT8_FLAVOR = "gpt2-int8";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private LoraAdapter adapter;
    private boolean merged;
    private Gpt2Model model;
    private String baseName;
    private String baseDigest;
    private TextTokenizer tokenizer;
    private PromptFormat format;
    private String description;
    private final Map<String, Double> metrics = new TreeMap<>();
    private final Map<String, String> params = new TreeMap<>();
    private final List<DatasetRef> datasets = new ArrayList<>();

    private LlmPackage() {
    }

    /**
     * Starts a package.
     *
     * @return a builder
     */
    public static LlmPackage builder() {
        return new LlmPackage();
    }

    private void checkNoModel() {
        if (adapter != null || model != null) {
            throw new IllegalStateException("the package already holds " + (adapter != null ? adapter : model));
        }
    }

    /**
     * Packages an adapter alone: its safetensors file and descriptor; the base is named in lineage.
     *
     * @param value the adapter
     * @return this builder
     */
    public LlmPackage adapter(LoraAdapter value) {
        checkNoModel();
        adapter = Objects.requireNonNull(value, "adapter");
        return this;
    }

    /**
     * Packages the model an adapter is merged into, as full weights; the base is named in lineage.
     *
     * @param value a merged adapter
     * @return this builder
     * @throws IllegalStateException if the adapter is not merged
     */
    public LlmPackage merged(LoraAdapter value) {
        checkNoModel();
        if (!value.isMerged()) {
            throw new IllegalStateException("merge the adapter before packaging the merged model");
        }
        adapter = value;
        merged = true;
        return this;
    }

    /**
     * Packages a model's full weights, for instance after full fine-tuning. A model quantized with
     * {@link Int8Quantization} keeps its 8-bit weights, scales and descriptor, under the {@value #INT8_FLAVOR} flavor.
     *
     * @param value the model
     * @return this builder
     */
    public LlmPackage model(Gpt2Model value) {
        checkNoModel();
        model = Objects.requireNonNull(value, "model");
        return this;
    }

    /**
     * Names the base model for lineage ({@code base-model} when not set). For adapters its digest comes from the
     * adapter; for {@link #model} give it with {@link #base(String, String)}.
     *
     * @param name the base's name, for instance {@code gpt2}
     * @return this builder
     */
    public LlmPackage baseName(String name) {
        if (baseName != null) {
            throw new IllegalStateException("the base name was already set to " + baseName);
        }
        baseName = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Names the base model and its weights digest, for a fully fine-tuned model.
     *
     * @param name the base's name
     * @param digest the base's {@link Gpt2Model#weightsDigest()}
     * @return this builder
     */
    public LlmPackage base(String name, String digest) {
        baseName(name);
        if (!Objects.requireNonNull(digest, "digest").matches("[0-9a-f]{64}")) {
            throw new InvalidArgumentException("a weights digest is 64 lower-case hex characters, not '" + digest
                    + "'");
        }
        baseDigest = digest;
        return this;
    }

    /**
     * Includes the tokenizer's {@code tokenizer.json}.
     *
     * @param value the tokenizer
     * @return this builder
     */
    public LlmPackage tokenizer(TextTokenizer value) {
        if (tokenizer != null) {
            throw new IllegalStateException("the tokenizer was already set");
        }
        tokenizer = Objects.requireNonNull(value, "tokenizer");
        return this;
    }

    /**
     * Records the prompt format the model was trained with.
     *
     * @param value the format
     * @return this builder
     */
    public LlmPackage format(PromptFormat value) {
        if (format != null) {
            throw new IllegalStateException("the format was already set to " + format);
        }
        format = Objects.requireNonNull(value, "format");
        return this;
    }

    /**
     * Sets the description.
     *
     * @param text the description
     * @return this builder
     */
    public LlmPackage description(String text) {
        if (description != null) {
            throw new IllegalStateException("the description was already set");
        }
        description = Objects.requireNonNull(text, "description");
        return this;
    }

    /**
     * Records evaluation metrics, which registry policies can check.
     *
     * @param values finite values by name
     * @return this builder
     */
    public LlmPackage metrics(Map<String, ? extends Number> values) {
        values.forEach((k, v) -> {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidArgumentException("metric '" + k + "' must be finite, but was " + d);
            }
            if (metrics.put(k, d) != null) {
                throw new IllegalStateException("metric '" + k + "' was already set");
            }
        });
        return this;
    }

    /**
     * Records training parameters.
     *
     * @param values values by name
     * @return this builder
     */
    public LlmPackage params(Map<String, ?> values) {
        values.forEach((k, v) -> params.put(k, String.valueOf(v)));
        return this;
    }

    /**
     * Records a dataset used in training or evaluation.
     *
     * @param ref the reference, for instance {@code dataset.ref("training")}
     * @return this builder
     */
    public LlmPackage dataset(DatasetRef ref) {
        datasets.add(Objects.requireNonNull(ref, "dataset"));
        return this;
    }

    /**
     * Writes the package into a directory that must be absent or empty, through a staging directory renamed into
     * place.
     *
     * @param directory the package directory
     * @return the directory
     * @throws IllegalStateException if no adapter or model was given
     * @throws AlreadyExistsException if the directory holds files
     * @throws UnavailableException if writing fails
     */
    public Path build(Path directory) {
        if (adapter == null && model == null) {
            throw new IllegalStateException("add an adapter, a merged adapter or a model before build()");
        }
        Path target = directory.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(target)) {
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent()) {
                        throw new AlreadyExistsException(target + " is not empty; a package needs an empty directory");
                    }
                }
            }
            Path staging = target.resolveSibling("." + target.getFileName() + ".staging");
            deleteTree(staging);
            Files.createDirectories(staging.resolve("model"));
            Map<String, Object> flavorProps = new TreeMap<>();
            String flavor;
            String file;
            String digest = baseDigest;
            Gpt2Model weightsOf = model;
            if (adapter != null) {
                digest = adapter.baseDigest();
                weightsOf = adapter.model();
                flavorProps.put("base_model_digest", digest);
                flavorProps.put("rank", adapter.config().rank());
                flavorProps.put("alpha", adapter.config().alpha());
                flavorProps.put("targets", adapter.config().targets().stream().map(Enum::name).toList());
            }
            if (adapter != null && !merged) {
                Path tmp = Files.createTempDirectory(staging, "adapter");
                adapter.save(tmp);
                Files.move(tmp.resolve(LoraAdapter.WEIGHTS_FILE), staging.resolve("model/adapter.safetensors"));
                Files.move(tmp.resolve(LoraAdapter.DESCRIPTOR_FILE), staging.resolve("model/adapter.json"));
                Files.delete(tmp);
                flavor = LORA_FLAVOR;
                file = "model/adapter.safetensors";
                flavorProps.put("descriptor", "model/adapter.json");
                flavorProps.put("base_model_config", "model/config.json");
                weightsOf.config().writeHuggingFace(staging.resolve("model/config.json"));
            } else if (Int8Quantization.isQuantized(weightsOf)) {
                Int8Quantization.save(weightsOf, staging.resolve("model"));
                flavor = INT8_FLAVOR;
                file = "model/" + Gpt2Model.WEIGHTS_FILE;
                flavorProps.put("config", "model/" + Gpt2Model.CONFIG_FILE);
                flavorProps.put("descriptor", "model/" + Int8Quantization.DESCRIPTOR_FILE);
                flavorProps.put("scheme", Int8Quantization.SCHEME);
                flavorProps.put("weights_digest", weightsOf.weightsDigest());
            } else {
                weightsOf.save(staging.resolve("model"));
                flavor = MODEL_FLAVOR;
                file = "model/" + Gpt2Model.WEIGHTS_FILE;
                flavorProps.put("config", "model/" + Gpt2Model.CONFIG_FILE);
                flavorProps.put("weights_digest", weightsOf.weightsDigest());
                if (merged) {
                    flavorProps.put("merged_adapter", true);
                }
            }
            if (tokenizer != null) {
                Files.copy(tokenizer.file(), staging.resolve("model/tokenizer.json"));
                flavorProps.put("tokenizer", "model/tokenizer.json");
            }
            if (format != null) {
                flavorProps.put("prompt_format", format.describe());
            }
            List<DatasetRef> refs = new ArrayList<>();
            if (digest != null) {
                refs.add(new DatasetRef(baseName == null ? "base-model" : baseName, digest, BASE_CONTEXT));
                params.putIfAbsent("base_model_digest", digest);
            }
            refs.addAll(datasets);
            Files.writeString(staging.resolve("MODEL_CARD.md"), card(flavor, digest, refs));
            Signature signature = new Signature(Schema.of(List.of(Field.required("prompt", DataType.STRING))),
                    Schema.of(List.of(Field.required("completion", DataType.STRING))));
            ObjectNode d = JSON.createObjectNode();
            d.put("formatVersion", 1);
            d.put("created", Instant.now().toString());
            if (description != null) {
                d.put("description", description);
            }
            ObjectNode flavors = d.putObject("flavors");
            ObjectNode spec = flavors.putObject(flavor);
            spec.put("file", file);
            spec.set("properties", JSON.valueToTree(flavorProps));
            d.set("signature", JSON.valueToTree(signature));
            d.set("metrics", JSON.valueToTree(metrics));
            d.set("params", JSON.valueToTree(params));
            d.set("datasets", JSON.valueToTree(refs));
            d.set("environment", JSON.valueToTree(environment()));
            d.set("files", JSON.valueToTree(digestAll(staging)));
            Files.write(staging.resolve(DESCRIPTOR), JSON.writeValueAsBytes(d));
            if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UnavailableException("cannot write package " + target + ": " + e.getMessage(), e);
        }
    }

    private String card(String flavor, String digest, List<DatasetRef> refs) {
        StringBuilder sb = new StringBuilder("# ").append(flavor.equals(LORA_FLAVOR) ? "LoRA adapter"
                : flavor.equals(INT8_FLAVOR) ? "GPT-2 model with int8 linear weights" : "GPT-2 model")
                .append("\n\n");
        if (description != null) {
            sb.append(description).append("\n\n");
        }
        if (digest != null) {
            sb.append("Base model: ").append(baseName == null ? "base-model" : baseName).append(", weights SHA-256 `")
                    .append(digest).append("`\n\n");
        }
        if (adapter != null) {
            sb.append("LoRA: rank ").append(adapter.config().rank()).append(", alpha ").append(adapter.config().alpha())
                    .append(", targets ").append(adapter.config().targets()).append(merged ? ", merged" : "")
                    .append("\n\n");
        }
        if (!metrics.isEmpty()) {
            sb.append("## Metrics\n\n");
            metrics.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
            sb.append('\n');
        }
        if (!refs.isEmpty()) {
            sb.append("## Lineage\n\n");
            for (DatasetRef r : refs) {
                sb.append("- ").append(r.context()).append(": ").append(r.name()).append(" (`").append(r.digest())
                        .append("`)\n");
            }
        }
        return sb.toString();
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        Package p = LlmPackage.class.getPackage();
        env.put("sdk", p.getImplementationVersion() == null ? "unknown" : p.getImplementationVersion());
        env.put("java", System.getProperty("java.version"));
        env.put("javaVendor", System.getProperty("java.vendor"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        Package djl = ai.djl.engine.Engine.class.getPackage();
        env.put("djl", djl.getImplementationVersion() == null ? "unknown" : djl.getImplementationVersion());
        return env;
    }

    private static Map<String, Map<String, Object>> digestAll(Path dir) throws IOException {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
            if (name.equals(DESCRIPTOR)) {
                continue;
            }
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform provides SHA-256", e);
            }
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
                size = in.transferTo(OutputStream.nullOutputStream());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sha256", HexFormat.of().formatHex(sha.digest()));
            entry.put("size", size);
            out.put(name, entry);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
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
