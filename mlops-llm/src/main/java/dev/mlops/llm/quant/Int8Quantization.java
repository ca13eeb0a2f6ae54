package dev.mlops.llm.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.HfWeights;
import dev.mlops.llm.internal.nn.Int8Weights;
import dev.mlops.llm.internal.nn.Int8Workspace;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.internal.nn.Sampling;
import dev.mlops.llm.metrics.Perplexity;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.Safetensors;
import dev.mlops.llm.model.Tensor;
import dev.mlops.llm.model.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-training 8-bit weight quantization of a {@link Gpt2Model}: the weights of every linear layer (attention query,
 * key, value and output, MLP up and down) become 8-bit integers with one 32-bit scale per output channel
 * ({@link Int8Matrix} describes the scheme), about a quarter of their 32-bit size. Token and position embeddings
 * (which double as the LM head), layer norms and biases stay 32-bit.
 *
 * <p>A quantized model keeps its integers in memory and, for each matrix product, converts one weight into a 32-bit
 * buffer shared by its layers (one buffer per weight shape, about one layer's 32-bit size in all), so generation,
 * {@link Gpt2Model#logits} and the evaluation harness work on it unchanged while the resident weights stay small.
 * Its linear layers run one product at a time, so concurrent generations on one 8-bit model take turns there. It is
 * for inference: its base weights cannot be trained.
 *
 * <pre>{@code
 * try (Gpt2Model model = Gpt2Model.load(Path.of("models/distilgpt2"), DeviceChoice.CPU)) {
 *     QuantizationReport r = Int8Quantization.quantize(model);     // in place
 *     Int8Quantization.save(model, Path.of("build/distilgpt2-int8"));
 * }
 * try (Gpt2Model int8 = Int8Quantization.load(Path.of("build/distilgpt2-int8"), DeviceChoice.CPU)) {
 *     TextGenerator generator = TextGenerator.builder(int8, tokenizer).build();
 * }
 * }</pre>
 *
 * <p>A saved model is a directory with {@value Gpt2Model#CONFIG_FILE}, {@value Gpt2Model#WEIGHTS_FILE} (Hugging Face
 * names; each linear weight as an {@code I8} tensor, its scales as an {@code F32} tensor named
 * {@code <weight>_scale}, for instance {@code h.0.attn.c_attn.weight_scale}) and the {@value #DESCRIPTOR_FILE}
 * descriptor naming the scheme, the quantized tensors and the SHA-256 of the weights file, which loading verifies.
 *
 * <p>Stateless and thread-safe; quantizing changes the model, so it must not run concurrently with other use of
 * that model. Models returned by {@link #load} belong to the caller, who closes them.
 */
public final class Int8Quantization {
    /** The scheme's name, as the descriptor and the weights file's metadata record it. */
    public static final String SCHEME = "int8-symmetric-per-output-channel";
    /** The descriptor file's name in a quantized model directory. */
    public static final String DESCRIPTOR_FILE = "quantization.json";
    /** The descriptor format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** What is appended to a weight's name to name its scales. */
    public static final String SCALE_SUFFIX = Int8Weights.SCALE_SUFFIX;

    private static final Logger LOG = LoggerFactory.getLogger(Int8Quantization.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Int8Quantization() {
    }

    /**
     * Quantizes a model's linear weights in place and frees their 32-bit arrays. Every weight is checked before any
     * is changed, so a model with a bad weight is left as it was.
     *
     * @param model the model, with no adapter attached
     * @return what changed
     * @throws InvalidArgumentException if the model is already quantized, has an adapter attached, or a weight is
     *     NaN or infinite (naming the tensor, row and column)
     */
    public static QuantizationReport quantize(Gpt2Model model) {
        Objects.requireNonNull(model, "model");
        Gpt2Net net = net(model);
        for (Map.Entry<String, Projection> e : net.projections().entrySet()) {
            if (e.getValue().isQuantized()) {
                throw new InvalidArgumentException(model + " is already quantized (" + e.getKey() + ".weight is "
                        + "8-bit)");
            }
            if (e.getValue().hasLora()) {
                throw new InvalidArgumentException(model + " has an adapter on " + e.getKey() + "; save the merged "
                        + "model and load it, or detach the adapter, before quantizing");
            }
        }
        WeightFootprint before = footprint(model);
        Map<Projection, Int8Matrix> quantized = new LinkedHashMap<>();
        double maxError = 0;
        for (Map.Entry<String, Projection> e : net.projections().entrySet()) {
            Projection p = e.getValue();
            float[] w = p.weight().getArray().toFloatArray();
            Int8Matrix m = Int8Matrix.quantize(e.getKey() + ".weight", w, p.in(), p.out());
            float[] back = m.dequantize();
            for (int i = 0; i < w.length; i++) {
                maxError = Math.max(maxError, Math.abs(w[i] - back[i]));
            }
            quantized.put(p, m);
        }
        NDManager manager = model.manager();
        Int8Workspace buffers = Int8Weights.workspace(net);
        quantized.forEach((p, m) -> Int8Weights.install(manager, p, m, buffers));
        WeightFootprint after = footprint(model);
        LOG.debug("quantized {} linear weights of {}: {} bytes -> {} bytes", quantized.size(), model,
                before.linearWeightBytes(), after.linearWeightBytes());
        return new QuantizationReport(SCHEME, quantized.size(), before, after, maxError);
    }

    /**
     * Tells whether a model's linear weights are 8-bit.
     *
     * @param model the model
     * @return true after {@link #quantize} or {@link #load}
     */
    public static boolean isQuantized(Gpt2Model model) {
        return net(model).projections().values().stream().anyMatch(Projection::isQuantized);
    }

    /**
     * Measures the bytes the model's base weights and adapters take in memory.
     *
     * @param model the model
     * @return linear weights (integers and scales when quantized) and everything else
     */
    public static WeightFootprint footprint(Gpt2Model model) {
        Gpt2Net net = net(model);
        Set<Parameter> linear = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long linearBytes = 0;
        for (Projection p : net.projections().values()) {
            linear.add(p.weight());
            linearBytes += p.isQuantized() ? bytes(p.int8Weight()) + bytes(p.int8Scale())
                    : bytes(p.weight().getArray());
        }
        long other = 0;
        for (Parameter p : net.namedParameters().values()) {
            if (!linear.contains(p)) {
                other += bytes(p.getArray());
            }
        }
        return new WeightFootprint(linearBytes, other);
    }

    private static long bytes(NDArray a) {
        return a.getShape().size() * a.getDataType().getNumOfBytes();
    }

    /**
     * Writes a quantized model as a directory (created if needed): {@value Gpt2Model#CONFIG_FILE},
     * {@value Gpt2Model#WEIGHTS_FILE} with 8-bit linear weights and their scales, and {@value #DESCRIPTOR_FILE}.
     *
     * @param model a quantized model
     * @param directory the directory
     * @return the size of the weights file in bytes
     * @throws InvalidArgumentException if the model is not quantized
     * @throws UnavailableException if writing fails
     */
    public static long save(Gpt2Model model, Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!isQuantized(model)) {
            throw new InvalidArgumentException(model + " is not quantized; call Int8Quantization.quantize first, or "
                    + "save it as 32-bit with Gpt2Model.save");
        }
        Gpt2Net net = net(model);
        Map<String, Parameter> params = net.namedParameters();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> quantizedNames = new ArrayList<>();
        for (Map.Entry<String, long[]> e : HfWeights.layout(model.config()).entrySet()) {
            String name = e.getKey();
            if (Int8Weights.isLinearWeight(name)) {
                Int8Matrix m = Int8Weights.export(net, name);
                tensors.put(name, new Tensor(TensorType.I8, e.getValue(), ByteBuffer.wrap(m.values())));
                tensors.put(name + SCALE_SUFFIX, Tensor.ofFloats(m.scales(), m.columns()));
                quantizedNames.add(name);
            } else {
                tensors.put(name, Tensor.ofFloats(floats(params, name), e.getValue()));
            }
        }
        Path weights = directory.resolve(Gpt2Model.WEIGHTS_FILE);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UnavailableException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        model.config().writeHuggingFace(directory.resolve(Gpt2Model.CONFIG_FILE));
        Safetensors.write(weights, tensors, Map.of("format", "pt", "quantization", SCHEME));
        ObjectNode d = JSON.createObjectNode();
        d.put("format_version", FORMAT_VERSION);
        d.put("scheme", SCHEME);
        d.put("bits", 8);
        d.put("weights_file", Gpt2Model.WEIGHTS_FILE);
        d.put("weights_sha256", sha256(weights));
        d.put("scale_suffix", SCALE_SUFFIX);
        ArrayNode q = d.putArray("quantized");
        quantizedNames.forEach(q::add);
        d.put("kept_float32", "token and position embeddings (also the LM head), layer norms, biases");
        try {
            Path tmp = directory.resolve(DESCRIPTOR_FILE + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(d));
            Files.move(tmp, directory.resolve(DESCRIPTOR_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return Files.size(weights);
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + directory.resolve(DESCRIPTOR_FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loads a quantized model directory written by {@link #save} onto the GPU when there is one.
     *
     * @param directory the directory
     * @return the model, 8-bit; the caller closes it
     * @throws NotFoundException if a file is missing
     * @throws IntegrityException if the weights file does not match the descriptor's digest
     * @throws DataFormatException if a file is invalid, naming the tensor at fault
     */
    public static Gpt2Model load(Path directory) {
        return load(directory, DeviceChoice.AUTO);
    }

    /**
     * Loads a quantized model directory written by {@link #save}. The descriptor's digest is checked before the
     * weights are parsed; every tensor is then checked before any weight is set: linear weights must be {@code I8} in
     * {@code [-127, 127]} with a finite, non-negative {@code F32} scale per output column (0 only over a column of
     * zeros), everything else a finite floating-point tensor of the configured shape. The 32-bit linear weights are
     * never materialized.
     *
     * @param directory the directory
     * @param device where to place the model
     * @return the model, 8-bit; the caller closes it
     * @throws NotFoundException if a file is missing
     * @throws IntegrityException if the weights file does not match the descriptor's digest
     * @throws DataFormatException if a file is invalid, naming the tensor at fault
     * @throws UnavailableException if a GPU is required and none is visible
     */
    public static Gpt2Model load(Path directory, DeviceChoice device) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(device, "device");
        Path descriptorFile = directory.resolve(DESCRIPTOR_FILE);
        JsonNode d = readDescriptor(descriptorFile);
        Path weights = directory.resolve(Gpt2Model.WEIGHTS_FILE);
        String expected = d.path("weights_sha256").asText("");
        String actual = sha256(weights);
        if (!actual.equals(expected)) {
            throw new IntegrityException(weights + " has SHA-256 " + actual + " but " + descriptorFile + " records '"
                    + expected + "'");
        }
        Gpt2Config config = Gpt2Config.readHuggingFace(directory.resolve(Gpt2Model.CONFIG_FILE));
        Safetensors.Contents contents = Safetensors.read(weights);
        String source = weights.toString();
        Map<String, long[]> layout = HfWeights.layout(config);
        Set<String> expectedNames = new LinkedHashSet<>();
        List<String> quantized = new ArrayList<>();
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            String name = e.getKey();
            expectedNames.add(name);
            Tensor t = contents.tensors().get(name);
            if (t == null) {
                throw new DataFormatException(source, 0, name, "tensor '" + name + "' is missing");
            }
            if (Int8Weights.isLinearWeight(name)) {
                expectedNames.add(name + SCALE_SUFFIX);
                if (t.type() != TensorType.I8) {
                    throw new DataFormatException(source, 0, name, "tensor '" + name + "' is " + t.type() + "; a "
                            + "quantized model's linear weights must be I8");
                }
                quantized.add(name);
            } else if (t.type().isFloatingPoint() && Arrays.equals(t.shape(), e.getValue())) {
                checkFinite(source, name, t.toFloats());
            }
        }
        for (String name : contents.tensors().keySet()) {
            if (!expectedNames.contains(name)) {
                throw new DataFormatException(source, 0, name, "tensor '" + name + "' does not belong to a quantized "
                        + "GPT-2 model of " + config);
            }
        }
        List<String> listed = new ArrayList<>();
        d.path("quantized").forEach(n -> listed.add(n.asText()));
        if (!listed.equals(quantized)) {
            throw new DataFormatException(descriptorFile.toString(), 0, "quantized", "the descriptor lists " + listed
                    + " as quantized, but the weights file quantizes " + quantized);
        }
        // shapes, scales and integer ranges are checked as the weights load
        Gpt2Model model = Gpt2Model.fromSafetensors(config, weights, device);
        LOG.debug("loaded the 8-bit {} from {}", model, directory);
        return model;
    }

    /**
     * Compares a model's next-token predictions with a reference's on token sequences, for instance a quantized
     * model with the 32-bit model it came from: perplexities, top-1 agreement and the largest logit difference.
     *
     * @param reference the reference model
     * @param model the compared model, with the same vocabulary
     * @param sequences token sequences of 2 to the context length tokens each, at least one
     * @return the comparison over every position but each sequence's last
     * @throws InvalidArgumentException if there are no sequences, one is shorter than 2 tokens or does not fit a
     *     model, or the vocabularies differ
     */
    public static QualityComparison compare(Gpt2Model reference, Gpt2Model model, List<long[]> sequences) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(model, "model");
        if (sequences == null || sequences.isEmpty()) {
            throw new InvalidArgumentException("sequences must hold at least one token sequence");
        }
        if (reference.config().vocabSize() != model.config().vocabSize()) {
            throw new InvalidArgumentException("the vocabularies differ: " + reference.config().vocabSize() + " and "
                    + model.config().vocabSize() + " tokens");
        }
        List<double[]> refLogProbs = new ArrayList<>();
        List<double[]> logProbs = new ArrayList<>();
        long agree = 0;
        long positions = 0;
        double maxDiff = 0;
        for (int s = 0; s < sequences.size(); s++) {
            long[] ids = sequences.get(s);
            if (ids == null || ids.length < 2) {
                throw new InvalidArgumentException("sequence " + s + " has " + (ids == null ? 0 : ids.length)
                        + " tokens; at least 2 are needed to predict one");
            }
            float[][] a = reference.logits(ids);
            float[][] b = model.logits(ids);
            double[] ra = new double[ids.length - 1];
            double[] rb = new double[ids.length - 1];
            for (int i = 0; i < ids.length - 1; i++) {
                int next = (int) ids[i + 1];
                ra[i] = logSoftmax(a[i], next);
                rb[i] = logSoftmax(b[i], next);
                if (argmax(a[i]) == argmax(b[i])) {
                    agree++;
                }
                for (int v = 0; v < a[i].length; v++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i][v] - b[i][v]));
                }
                positions++;
            }
            refLogProbs.add(ra);
            logProbs.add(rb);
        }
        return new QualityComparison(Perplexity.corpus(refLogProbs), Perplexity.corpus(logProbs),
                (double) agree / positions, maxDiff, positions);
    }

    private static double logSoftmax(float[] logits, int token) {
        return Math.min(0, Sampling.logSoftmax(logits)[token]);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Gpt2Net net(Gpt2Model model) {
        return (Gpt2Net) Objects.requireNonNull(model, "model").block();
    }

    private static float[] floats(Map<String, Parameter> params, String name) {
        if (name.contains(".attn.c_attn.")) {
            String prefix = name.substring(0, name.indexOf("c_attn."));
            float[] q = params.get(prefix + "q.bias").getArray().toFloatArray();
            float[] k = params.get(prefix + "k.bias").getArray().toFloatArray();
            float[] v = params.get(prefix + "v.bias").getArray().toFloatArray();
            float[] out = Arrays.copyOf(q, q.length + k.length + v.length);
            System.arraycopy(k, 0, out, q.length, k.length);
            System.arraycopy(v, 0, out, q.length + k.length, v.length);
            return out;
        }
        return params.get(name).getArray().toFloatArray();
    }

    private static void checkFinite(String source, String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new DataFormatException(source, 0, name, "tensor '" + name + "' holds " + values[i]
                        + " at element " + i + "; weights must be finite");
            }
        }
    }

    private static JsonNode readDescriptor(Path file) {
        JsonNode d;
        try {
            d = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no quantization descriptor " + file + "; is this a directory written by "
                    + "Int8Quantization.save?", e);
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, null, "not a JSON document: " + e.getMessage(), e);
        }
        if (d == null || !d.isObject()) {
            throw new DataFormatException(file.toString(), 0, null, "the descriptor must be a JSON object");
        }
        if (d.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw new DataFormatException(file.toString(), 0, "format_version", "format_version "
                    + d.get("format_version") + " is not supported; this version reads " + FORMAT_VERSION);
        }
        if (!SCHEME.equals(d.path("scheme").asText(null))) {
            throw new DataFormatException(file.toString(), 0, "scheme", "scheme " + d.get("scheme")
                    + " is not supported; this version reads '" + SCHEME + "'");
        }
        return d;
    }

    private static String sha256(Path file) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no weights file " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
