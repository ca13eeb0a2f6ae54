package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import dev.mlops.api.DataFormatException;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Tensor;
import dev.mlops.llm.model.TensorType;
import dev.mlops.llm.quant.Int8Matrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Moves weights between the network and tensors named as Hugging Face's GPT-2 names them: {@code wte.weight},
 * {@code h.0.attn.c_attn.weight} (query, key and value side by side, (d, 3d)), {@code h.0.mlp.c_fc.weight}, ...
 * Files saved from {@code GPT2LMHeadModel} carry a {@code transformer.} prefix and sometimes {@code lm_head.weight};
 * both are understood. The causal-mask buffers older checkpoints hold ({@code h.0.attn.bias},
 * {@code h.0.attn.masked_bias}) are ignored.
 */
public final class HfWeights {
    private static final Pattern BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private HfWeights() {
    }

    /**
     * Lists the expected tensor names and shapes of a configuration, in file order.
     *
     * @param c the configuration
     * @return shapes by name
     */
    public static Map<String, long[]> layout(Gpt2Config c) {
        long d = c.embeddingSize();
        long m = c.mlpSize();
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("wte.weight", new long[] {c.vocabSize(), d});
        out.put("wpe.weight", new long[] {c.contextLength(), d});
        for (int i = 0; i < c.layers(); i++) {
            String p = "h." + i + ".";
            out.put(p + "ln_1.weight", new long[] {d});
            out.put(p + "ln_1.bias", new long[] {d});
            out.put(p + "attn.c_attn.weight", new long[] {d, 3 * d});
            out.put(p + "attn.c_attn.bias", new long[] {3 * d});
            out.put(p + "attn.c_proj.weight", new long[] {d, d});
            out.put(p + "attn.c_proj.bias", new long[] {d});
            out.put(p + "ln_2.weight", new long[] {d});
            out.put(p + "ln_2.bias", new long[] {d});
            out.put(p + "mlp.c_fc.weight", new long[] {d, m});
            out.put(p + "mlp.c_fc.bias", new long[] {m});
            out.put(p + "mlp.c_proj.weight", new long[] {m, d});
            out.put(p + "mlp.c_proj.bias", new long[] {d});
        }
        out.put("ln_f.weight", new long[] {d});
        out.put("ln_f.bias", new long[] {d});
        return out;
    }

    /**
     * Exports the base weights (adapters excluded, merged or not as they stand) as 32-bit float tensors.
     *
     * @param net the network
     * @return tensors by Hugging Face name, in file order
     */
    public static Map<String, Tensor> export(Gpt2Net net) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : layout(net.config()).entrySet()) {
            out.put(e.getKey(), Tensor.ofFloats(values(net, e.getKey()), e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("try")
    private static float[] values(Gpt2Net net, String name) {
        Map<String, Parameter> params = net.namedParameters();
        if (name.contains(".attn.c_attn.")) {
            String prefix = name.substring(0, name.indexOf("c_attn."));
            String suffix = name.endsWith("weight") ? ".weight" : ".bias";
            try (NDScope scope = new NDScope()) {
                NDArray q = array(net, params, prefix + "q" + suffix);
                NDArray k = array(net, params, prefix + "k" + suffix);
                NDArray v = array(net, params, prefix + "v" + suffix);
                int axis = suffix.equals(".weight") ? 1 : 0;
                return q.concat(k, axis).concat(v, axis).toFloatArray();
            }
        }
        try (NDScope scope = new NDScope()) {
            return array(net, params, name).toFloatArray();
        }
    }

    /** Reads a parameter's values; the weight of an 8-bit projection is dequantized into a scoped array. */
    private static NDArray array(Gpt2Net net, Map<String, Parameter> params, String name) {
        if (name.endsWith(".weight")) {
            Projection p = net.projections().get(name.substring(0, name.length() - ".weight".length()));
            if (p != null && p.isQuantized()) {
                return p.weightValues();
            }
        }
        return params.get(name).getArray();
    }

    /**
     * Computes the digest of the base weights: SHA-256 over the tensors of {@link #layout} in name order, each
     * contributing its name, its shape and its 32-bit little-endian values.
     *
     * @param net the network
     * @return 64 hex characters
     */
    public static String digest(Gpt2Net net) {
        MessageDigest sha = sha256();
        Map<String, long[]> sorted = new TreeMap<>(layout(net.config()));
        for (Map.Entry<String, long[]> e : sorted.entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Arrays.toString(e.getValue()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            float[] v = values(net, e.getKey());
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            sha.update(b.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * Loads base weights into the network, converting F16, BF16 and F64 to F32. A linear weight stored as I8 with
     * its {@code <weight>_scale} tensor (as {@code Int8Quantization} saves it) is loaded as 8-bit; see
     * {@link Int8Weights}.
     *
     * @param net the network, initialized
     * @param tensors the file's tensors
     * @param source the file's name, for messages
     * @throws DataFormatException if a tensor is missing, unexpected, of the wrong shape or type, or if the file's
     *     LM head differs from its token embeddings
     */
    public static void load(Gpt2Net net, Map<String, Tensor> tensors, String source) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        Map<String, Tensor> scales = new LinkedHashMap<>();
        Map<String, Int8Matrix> int8 = new LinkedHashMap<>();
        Tensor lmHead = null;
        List<String> unknown = new ArrayList<>();
        Map<String, long[]> layout = layout(net.config());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey().startsWith("transformer.") ? e.getKey().substring("transformer.".length())
                    : e.getKey();
            if (BUFFER.matcher(name).matches()) {
                continue;
            }
            if (name.equals("lm_head.weight")) {
                lmHead = e.getValue();
                continue;
            }
            if (name.endsWith(Int8Weights.SCALE_SUFFIX) && Int8Weights.isLinearWeight(name.substring(0,
                    name.length() - Int8Weights.SCALE_SUFFIX.length()))) {
                scales.put(name, e.getValue());
                continue;
            }
            if (!layout.containsKey(name)) {
                unknown.add(e.getKey());
                continue;
            }
            if (byName.put(name, e.getValue()) != null) {
                throw new DataFormatException(source, 0, name, "tensor '" + name + "' appears twice, with and "
                        + "without the 'transformer.' prefix");
            }
        }
        if (!unknown.isEmpty()) {
            throw new DataFormatException(source, 0, unknown.get(0), "the file holds tensors a GPT-2 model of "
                    + net.config() + " does not have: " + (unknown.size() > 10 ? unknown.subList(0, 10) + " and "
                    + (unknown.size() - 10) + " more" : unknown));
        }
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            Tensor t = byName.get(e.getKey());
            if (t == null) {
                throw new DataFormatException(source, 0, e.getKey(), "tensor '" + e.getKey() + "' is missing");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new DataFormatException(source, 0, e.getKey(), "tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the configuration needs " + Arrays.toString(e.getValue()));
            }
            if (t.type() == TensorType.I8 && Int8Weights.isLinearWeight(e.getKey())) {
                int8.put(e.getKey(), Int8Weights.read(source, e.getKey(), t,
                        scales.get(e.getKey() + Int8Weights.SCALE_SUFFIX)));
            } else if (!t.type().isFloatingPoint()) {
                throw new DataFormatException(source, 0, e.getKey(), "tensor '" + e.getKey() + "' is " + t.type()
                        + "; weights must be F32, F16, BF16 or F64 (or I8 with scales, for linear weights)");
            }
        }
        for (String scale : scales.keySet()) {
            String weight = scale.substring(0, scale.length() - Int8Weights.SCALE_SUFFIX.length());
            if (!int8.containsKey(weight)) {
                throw new DataFormatException(source, 0, scale, "tensor '" + scale + "' holds scales, but '" + weight
                        + "' is not an I8 weight");
            }
        }
        Map<String, Parameter> params = net.namedParameters();
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            String name = e.getKey();
            if (int8.containsKey(name)) {
                Int8Weights.install(net, name, int8.get(name));
                continue;
            }
            float[] v = byName.get(name).toFloats();
            if (name.contains(".attn.c_attn.")) {
                String prefix = name.substring(0, name.indexOf("c_attn."));
                int d = net.config().embeddingSize();
                boolean weight = name.endsWith("weight");
                String suffix = weight ? ".weight" : ".bias";
                String[] parts = {"q", "k", "v"};
                for (int p = 0; p < 3; p++) {
                    float[] part = weight ? columns(v, d, 3 * d, p * d, d) : Arrays.copyOfRange(v, p * d, p * d + d);
                    set(params.get(prefix + parts[p] + suffix), part);
                }
            } else {
                set(params.get(name), v);
            }
        }
        if (lmHead != null) {
            float[] head = lmHead.toFloats();
            float[] wte = byName.get("wte.weight").toFloats();
            if (!Arrays.equals(lmHead.shape(), layout.get("wte.weight")) || !Arrays.equals(head, wte)) {
                throw new DataFormatException(source, 0, "lm_head.weight", "the LM head differs from the token "
                        + "embeddings; only tied heads (GPT-2's) are supported");
            }
        }
    }

    static float[] columns(float[] v, int rows, int cols, int from, int width) {
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols + from, out, r * width, width);
        }
        return out;
    }

    /**
     * Overwrites a parameter's values in place.
     *
     * @param p the parameter
     * @param values its new values, row-major
     */
    public static void set(Parameter p, float[] values) {
        NDArray a = p.getArray();
        if (a.getShape().size() != values.length) {
            throw new IllegalStateException("parameter " + p.getName() + " holds " + a.getShape().size()
                    + " values, not " + values.length);
        }
        a.set(FloatBuffer.wrap(values));
    }
}
