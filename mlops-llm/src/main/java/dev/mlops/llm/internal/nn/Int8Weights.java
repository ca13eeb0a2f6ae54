package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.model.Tensor;
import dev.mlops.llm.model.TensorType;
import dev.mlops.llm.quant.Int8Matrix;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Moves 8-bit linear weights between the network and Hugging Face-named tensors: each linear weight
 * ({@code h.N.attn.c_attn.weight}, {@code h.N.attn.c_proj.weight}, {@code h.N.mlp.c_fc.weight},
 * {@code h.N.mlp.c_proj.weight}) as an {@code I8} tensor and its per-column scales as an {@code F32} tensor named
 * {@code <weight>_scale}. The fused {@code c_attn} splits into the query, key and value projections by columns, which
 * per-column scales allow exactly.
 */
public final class Int8Weights {
    /** What is appended to a weight's name to name its scales. */
    public static final String SCALE_SUFFIX = "_scale";

    private static final List<String> LINEAR = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    private Int8Weights() {
    }

    /**
     * Tells whether a Hugging Face tensor name is a linear layer's weight.
     *
     * @param name the name, without a {@code transformer.} prefix
     * @return true for the four weights of each block that quantization applies to
     */
    public static boolean isLinearWeight(String name) {
        if (!name.startsWith("h.") || !name.endsWith(".weight")) {
            return false;
        }
        int dot = name.indexOf('.', 2);
        return dot > 0 && LINEAR.contains(name.substring(dot + 1, name.length() - ".weight".length()));
    }

    /**
     * Lists the projections behind a linear weight: query, key and value for {@code c_attn}, else the one of the
     * same name.
     *
     * @param net the network
     * @param name the weight's Hugging Face name
     * @return the projections, in column order
     */
    public static List<Projection> parts(Gpt2Net net, String name) {
        Map<String, Projection> projections = net.projections();
        String base = name.substring(0, name.length() - ".weight".length());
        if (base.endsWith(".attn.c_attn")) {
            String prefix = base.substring(0, base.length() - "c_attn".length());
            return List.of(projections.get(prefix + "q"), projections.get(prefix + "k"), projections.get(prefix + "v"));
        }
        return List.of(projections.get(base));
    }

    /**
     * Checks a file's 8-bit weight and its scales and reads them.
     *
     * @param source the file, for messages
     * @param name the weight's name
     * @param weight the weight, of the configured shape
     * @param scale its scales, or null when the file has none
     * @return the matrix
     * @throws DataFormatException naming the tensor at fault: scales missing, not F32, of the wrong shape, negative,
     *     NaN or infinite, 0 over a non-zero column, or a value of -128
     */
    public static Int8Matrix read(String source, String name, Tensor weight, Tensor scale) {
        String scaleName = name + SCALE_SUFFIX;
        if (scale == null) {
            throw new DataFormatException(source, 0, scaleName, "tensor '" + scaleName + "', the scales of the I8 "
                    + "weight '" + name + "', is missing");
        }
        long[] shape = weight.shape();
        if (scale.type() != TensorType.F32) {
            throw new DataFormatException(source, 0, scaleName, "tensor '" + scaleName + "' is " + scale.type()
                    + "; scales must be F32");
        }
        if (shape.length != 2 || !Arrays.equals(scale.shape(), new long[] {shape[1]})) {
            throw new DataFormatException(source, 0, scaleName, "tensor '" + scaleName + "' has shape "
                    + Arrays.toString(scale.shape()) + " but '" + name + "' of shape " + Arrays.toString(shape)
                    + " needs one scale per output column");
        }
        byte[] values = new byte[Math.toIntExact(weight.elementCount())];
        weight.bytes().get(values);
        try {
            return new Int8Matrix((int) shape[0], (int) shape[1], values, scale.toFloats());
        } catch (InvalidArgumentException e) {
            throw new DataFormatException(source, 0, name, "tensor '" + name + "' or its scales '" + scaleName
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * Installs a linear weight's integers and scales into its projections, freeing their 32-bit arrays.
     *
     * @param net the network, initialized
     * @param name the weight's Hugging Face name
     * @param m the matrix, of the weight's shape
     */
    public static void install(Gpt2Net net, String name, Int8Matrix m) {
        Int8Workspace buffers = workspace(net);
        int from = 0;
        for (Projection p : parts(net, name)) {
            install(p.weight().getArray().getManager(), p, columns(m, from, p.out()), buffers);
            from += p.out();
        }
    }

    /**
     * Returns the conversion buffers of a network's 8-bit projections, new when none is quantized yet.
     *
     * @param net the network
     * @return the buffers
     */
    public static Int8Workspace workspace(Gpt2Net net) {
        return net.projections().values().stream().filter(Projection::isQuantized).findFirst()
                .map(Projection::int8Workspace).orElseGet(Int8Workspace::new);
    }

    /**
     * Installs integers and scales into one projection, freeing its 32-bit array.
     *
     * @param manager the manager that owns the model's weights
     * @param p the projection
     * @param m the matrix, of the projection's shape
     * @param buffers the model's conversion buffers
     */
    public static void install(NDManager manager, Projection p, Int8Matrix m, Int8Workspace buffers) {
        NDArray values = manager.create(ByteBuffer.wrap(m.values()), new Shape(m.rows(), m.columns()),
                DataType.INT8);
        NDArray scales = manager.create(m.scales(), new Shape(m.columns()));
        p.quantize(values, scales, buffers);
    }

    /**
     * Reads a linear weight back from quantized projections, joining query, key and value by columns.
     *
     * @param net the network
     * @param name the weight's Hugging Face name
     * @return the matrix
     */
    public static Int8Matrix export(Gpt2Net net, String name) {
        List<Projection> parts = parts(net, name);
        int rows = parts.get(0).in();
        int columns = parts.stream().mapToInt(Projection::out).sum();
        byte[] values = new byte[rows * columns];
        float[] scales = new float[columns];
        int from = 0;
        for (Projection p : parts) {
            byte[] v = p.int8Weight().toByteArray();
            float[] s = p.int8Scale().toFloatArray();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(v, r * p.out(), values, r * columns + from, p.out());
            }
            System.arraycopy(s, 0, scales, from, p.out());
            from += p.out();
        }
        return new Int8Matrix(rows, columns, values, scales);
    }

    private static Int8Matrix columns(Int8Matrix m, int from, int width) {
        if (from == 0 && width == m.columns()) {
            return m;
        }
        byte[] all = m.values();
        byte[] values = new byte[m.rows() * width];
        for (int r = 0; r < m.rows(); r++) {
            System.arraycopy(all, r * m.columns() + from, values, r * width, width);
        }
        return new Int8Matrix(m.rows(), width, values, Arrays.copyOfRange(m.scales(), from, from + width));
    }
}
