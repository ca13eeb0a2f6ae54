package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.mlops.llm.model.Gpt2Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPT-2 network as DJL blocks: token and position embeddings, decoder blocks, the final layer norm and the LM
 * head tied to the token embeddings. As a DJL {@code Block} it maps token ids (B, T) to logits (B, T, vocab) with a
 * causal mask; the methods below add position ids, packing masks, a key/value cache and half-precision weights.
 */
public final class Gpt2Net extends NetBlock {
    private static final float MASKED = -1e9f;
    private static final float MASKED_HALF = -6e4f;

    private final Gpt2Config config;
    private final Parameter wte;
    private final Parameter wpe;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final LayerNormBlock lnF;
    private final float dropout;

    /**
     * Declares the network; {@link #initialize} creates the arrays.
     *
     * @param config the shape
     * @param seed the seed of the initial weights (GPT-2's: normal 0.02, residual projections scaled down by
     *     sqrt(2 * layers), biases zero, norms one)
     * @param zeros when true, weights are left unwritten, for loading from a file, which overwrites every one
     */
    public Gpt2Net(Gpt2Config config, long seed, boolean zeros) {
        this.config = config;
        this.dropout = (float) config.dropout();
        int d = config.embeddingSize();
        double std = 0.02;
        double residualStd = std / Math.sqrt(2.0 * config.layers());
        this.wte = param("wte", Parameter.Type.WEIGHT, init(zeros, std, seed, "wte.weight"), config.vocabSize(), d);
        this.wpe = param("wpe", Parameter.Type.WEIGHT, init(zeros, std, seed, "wpe.weight"), config.contextLength(),
                d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "h." + i + ".";
            Projection q = new Projection(d, d, init(zeros, std, seed, p + "attn.q"), Initializer.ZEROS);
            Projection k = new Projection(d, d, init(zeros, std, seed, p + "attn.k"), Initializer.ZEROS);
            Projection v = new Projection(d, d, init(zeros, std, seed, p + "attn.v"), Initializer.ZEROS);
            Projection o = new Projection(d, d, init(zeros, residualStd, seed, p + "attn.c_proj"),
                    Initializer.ZEROS);
            Attention attn = new Attention(d, config.heads(), config.dropout(), q, k, v, o);
            Projection up = new Projection(d, config.mlpSize(), init(zeros, std, seed, p + "mlp.c_fc"),
                    Initializer.ZEROS);
            Projection down = new Projection(config.mlpSize(), d, init(zeros, residualStd, seed, p + "mlp.c_proj"),
                    Initializer.ZEROS);
            DecoderLayer layer = new DecoderLayer(new LayerNormBlock(d, config.layerNormEpsilon()), attn,
                    new LayerNormBlock(d, config.layerNormEpsilon()), new Mlp(up, down, config.activation()),
                    config.dropout());
            layers.add(addChildBlock("h" + i, layer));
        }
        this.lnF = addChildBlock("ln_f", new LayerNormBlock(d, config.layerNormEpsilon()));
    }

    private static Initializer init(boolean zeros, double std, long seed, String name) {
        return new SeededInitializer(zeros ? SeededInitializer.Kind.UNSET : SeededInitializer.Kind.NORMAL, std, seed,
                name);
    }

    /**
     * Creates every parameter's array.
     *
     * @param manager the manager that owns them
     */
    public void initializeAll(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    }

    /** @return the configuration */
    public Gpt2Config config() {
        return config;
    }

    /** @return the token embeddings (vocab, d), also the LM head */
    public Parameter tokenEmbedding() {
        return wte;
    }

    /** @return the position embeddings (positions, d) */
    public Parameter positionEmbedding() {
        return wpe;
    }

    /** @return the decoder blocks */
    public List<DecoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** @return the final layer norm */
    public LayerNormBlock finalNorm() {
        return lnF;
    }

    /**
     * Lists every projection by its name ({@code h.0.attn.q}, {@code h.0.mlp.c_fc}, ...).
     *
     * @return the projections in layer order
     */
    public Map<String, Projection> projections() {
        Map<String, Projection> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            out.putAll(projections(layers.get(i), "h." + i + "."));
        }
        return out;
    }

    /**
     * Lists every parameter by name: base weights under GPT-2's names with the query, key and value split
     * ({@code h.0.attn.q.weight}), adapters as {@code h.0.attn.q.lora_A.weight}.
     *
     * @return the parameters in a fixed order
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("wte.weight", wte);
        out.put("wpe.weight", wpe);
        for (int i = 0; i < layers.size(); i++) {
            DecoderLayer l = layers.get(i);
            String p = "h." + i + ".";
            out.put(p + "ln_1.weight", l.ln1().weight());
            out.put(p + "ln_1.bias", l.ln1().bias());
            for (Map.Entry<String, Projection> e : projections(l, p).entrySet()) {
                out.put(e.getKey() + ".weight", e.getValue().weight());
                out.put(e.getKey() + ".bias", e.getValue().bias());
                if (e.getValue().hasLora()) {
                    out.put(e.getKey() + ".lora_A.weight", e.getValue().loraA());
                    out.put(e.getKey() + ".lora_B.weight", e.getValue().loraB());
                }
            }
            out.put(p + "ln_2.weight", l.ln2().weight());
            out.put(p + "ln_2.bias", l.ln2().bias());
        }
        out.put("ln_f.weight", lnF.weight());
        out.put("ln_f.bias", lnF.bias());
        return out;
    }

    private static Map<String, Projection> projections(DecoderLayer l, String p) {
        Map<String, Projection> out = new LinkedHashMap<>();
        out.put(p + "attn.q", l.attention().query());
        out.put(p + "attn.k", l.attention().key());
        out.put(p + "attn.v", l.attention().value());
        out.put(p + "attn.c_proj", l.attention().output());
        out.put(p + "mlp.c_fc", l.mlp().up());
        out.put(p + "mlp.c_proj", l.mlp().down());
        return out;
    }

    /**
     * Runs the network to the final layer norm.
     *
     * @param w where parameter values come from
     * @param ids token ids (B, T), int64
     * @param positions position ids (B, T), int64
     * @param bias the additive attention mask (B or 1, 1, T, S), or null
     * @param cache past keys and values, or null
     * @param training whether dropout applies
     * @return hidden states (B, T, d)
     */
    public NDArray hidden(Weights w, NDArray ids, NDArray positions, NDArray bias, KvCache cache, boolean training) {
        NDArray x = w.get(wte).get(ids).add(w.get(wpe).get(positions));
        if (training && dropout > 0) {
            x = x.getNDArrayInternal().dropout(x, dropout, true).get(0);
        }
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).apply(w, x, bias, cache, i, training);
        }
        return lnF.apply(w, x);
    }

    /**
     * Applies the tied LM head.
     *
     * @param w where parameter values come from
     * @param hidden hidden states (..., d)
     * @return logits (..., vocab)
     */
    public NDArray logits(Weights w, NDArray hidden) {
        return hidden.matMul(w.get(wte).transpose());
    }

    /**
     * Builds the additive causal mask for queries at positions {@code past .. past + t - 1} over keys
     * {@code 0 .. past + t - 1}.
     *
     * @param manager where to create it
     * @param past cached positions
     * @param t new positions
     * @param type the compute type
     * @return the mask (1, 1, t, past + t)
     */
    public static NDArray causalMask(NDManager manager, int past, int t, DataType type) {
        int s = past + t;
        float masked = type == DataType.FLOAT16 ? MASKED_HALF : MASKED;
        float[] m = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = past + i + 1; j < s; j++) {
                m[i * s + j] = masked;
            }
        }
        NDArray a = manager.create(m, new Shape(1, 1, t, s));
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    /**
     * Builds the additive mask for packed rows: a query sees earlier keys of the same segment only.
     *
     * @param manager where to create it
     * @param segments segment ids per row (B rows of T)
     * @param type the compute type
     * @return the mask (B, 1, T, T)
     */
    public static NDArray segmentMask(NDManager manager, int[][] segments, DataType type) {
        int b = segments.length;
        int t = segments[0].length;
        float masked = type == DataType.FLOAT16 ? MASKED_HALF : MASKED;
        float[] m = new float[b * t * t];
        for (int r = 0; r < b; r++) {
            int[] seg = segments[r];
            int base = r * t * t;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    if (j > i || seg[j] != seg[i]) {
                        m[base + i * t + j] = masked;
                    }
                }
            }
        }
        NDArray a = manager.create(m, new Shape(b, 1, t, t));
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDManager m = ids.getManager();
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        NDArray positions = m.arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
        Weights w = p -> ps.getValue(p, ids.getDevice(), training);
        NDArray h = hidden(w, ids, positions, causalMask(m, 0, t, DataType.FLOAT32), null, training);
        return new NDList(logits(w, h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};
    }
}
