package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;

/**
 * The floating-point buffers one 8-bit model converts its weights into, one per weight shape, shared by all its
 * projections. Converting in place into a buffer that lives as long as the model, instead of into a new array per
 * product, keeps the native allocator from retaining a full-size copy of every layer it has passed through (measured:
 * a 32-bit model's worth of resident memory after a few generations). Products run one at a time per model.
 */
public final class Int8Workspace {
    private final Map<String, NDArray> buffers = new HashMap<>();

    /**
     * Multiplies by an 8-bit weight converted to the input's type, unscaled.
     *
     * @param x the input (..., in)
     * @param int8 the weight (in, out), INT8
     * @return {@code x} times the weight's integers
     */
    public synchronized NDArray matMul(NDArray x, NDArray int8) {
        Shape shape = int8.getShape();
        DataType type = x.getDataType();
        NDArray buffer = buffers.computeIfAbsent(shape + " " + type + " " + int8.getDevice(), k -> {
            NDArray b = int8.getManager().create(shape, type);
            NDScope.unregister(b);
            return b;
        });
        JniUtils.indexSet((PtNDArray) buffer, (PtNDArray) int8, new long[] {0}, new long[] {shape.get(0)},
                new long[] {1});
        return x.matMul(buffer);
    }

    /**
     * Returns the bytes the buffers take.
     *
     * @return the total
     */
    public synchronized long bytes() {
        return buffers.values().stream().mapToLong(b -> b.getShape().size() * b.getDataType().getNumOfBytes()).sum();
    }
}
