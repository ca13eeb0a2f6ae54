package dev.mlops.llm.quant;

import dev.mlops.api.InvalidArgumentException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A weight matrix in 8-bit integers with one 32-bit scale per column, laid out as GPT-2 stores its linear layers
 * ({@code (in, out)}, so a column is an output channel): {@code w[r][c] ~= values[r * columns + c] * scales[c]}.
 *
 * <p>{@link #quantize} uses symmetric per-output-channel scales: {@code scale = max|w[., c]| / 127} and
 * {@code q = round(w / scale)} (half to even) clamped to {@code [-127, 127]}. A column of zeros gets scale 0 and
 * integer values 0, so nothing divides by zero. Immutable: the arrays are copied in and out, so instances are
 * thread-safe.
 *
 * @param rows the input width, at least 1
 * @param columns the output width, at least 1
 * @param values the integers in row-major order, {@code rows * columns} of them, each in {@code [-127, 127]}
 * @param scales one finite scale of 0 or more per column; a column whose scale is 0 holds only zeros
 */
public record Int8Matrix(int rows, int columns, byte[] values, float[] scales) {
    /** The largest integer magnitude; -128 is never used, so that the scheme stays symmetric. */
    public static final int MAX_MAGNITUDE = 127;

    /**
     * Validates and copies the arrays.
     *
     * @throws InvalidArgumentException if a size does not match, an integer is -128, or a scale is negative, NaN or
     *     infinite, or is 0 over a column that holds a non-zero integer; the message names the row and column
     */
    public Int8Matrix {
        if (rows < 1 || columns < 1) {
            throw new InvalidArgumentException("an int8 matrix needs at least one row and one column, not " + rows
                    + " x " + columns);
        }
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(scales, "scales");
        if (values.length != (long) rows * columns) {
            throw new InvalidArgumentException("a " + rows + " x " + columns + " int8 matrix needs "
                    + (long) rows * columns + " values, but has " + values.length);
        }
        if (scales.length != columns) {
            throw new InvalidArgumentException("a " + rows + " x " + columns + " int8 matrix needs " + columns
                    + " scales, one per column, but has " + scales.length);
        }
        values = values.clone();
        scales = scales.clone();
        for (int c = 0; c < columns; c++) {
            float s = scales[c];
            if (!(s >= 0) || Float.isInfinite(s)) {
                throw new InvalidArgumentException("the scale of column " + c + " is " + s
                        + "; scales must be finite and 0 or more");
            }
        }
        for (int i = 0; i < values.length; i++) {
            int c = i % columns;
            if (values[i] == Byte.MIN_VALUE) {
                throw new InvalidArgumentException("value -128 at row " + i / columns + ", column " + c
                        + " is outside the symmetric range [-127, 127]");
            }
            if (values[i] != 0 && scales[c] == 0) {
                throw new InvalidArgumentException("column " + c + " has scale 0 but holds the value " + values[i]
                        + " at row " + i / columns);
            }
        }
    }

    /**
     * Quantizes a matrix with symmetric per-column scales.
     *
     * @param name the tensor's name, for messages
     * @param weights the values in row-major order, {@code rows * columns} of them
     * @param rows the input width
     * @param columns the output width
     * @return the quantized matrix
     * @throws InvalidArgumentException if the sizes do not match or a weight is NaN or infinite, naming the tensor,
     *     the row and the column
     */
    public static Int8Matrix quantize(String name, float[] weights, int rows, int columns) {
        Objects.requireNonNull(weights, "weights");
        if (rows < 1 || columns < 1 || weights.length != (long) rows * columns) {
            throw new InvalidArgumentException("tensor '" + name + "' has " + weights.length + " values, which is "
                    + "not a " + rows + " x " + columns + " matrix");
        }
        float[] max = new float[columns];
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            if (!Float.isFinite(w)) {
                throw new InvalidArgumentException("tensor '" + name + "' holds " + w + " at row " + i / columns
                        + ", column " + i % columns + "; only finite weights can be quantized");
            }
            int c = i % columns;
            max[c] = Math.max(max[c], Math.abs(w));
        }
        float[] scales = new float[columns];
        for (int c = 0; c < columns; c++) {
            scales[c] = max[c] / MAX_MAGNITUDE;
        }
        byte[] q = new byte[weights.length];
        for (int i = 0; i < weights.length; i++) {
            float s = scales[i % columns];
            // a zero scale means a zero column (or one below float's range once divided); its integers stay 0
            if (s > 0) {
                double r = Math.rint(weights[i] / s);
                q[i] = (byte) Math.max(-MAX_MAGNITUDE, Math.min(MAX_MAGNITUDE, r));
            }
        }
        return new Int8Matrix(rows, columns, q, scales);
    }

    /**
     * Returns the integers.
     *
     * @return a copy, row-major
     */
    @Override
    public byte[] values() {
        return values.clone();
    }

    /**
     * Returns the column scales.
     *
     * @return a copy
     */
    @Override
    public float[] scales() {
        return scales.clone();
    }

    /**
     * Returns the values the matrix stands for.
     *
     * @return {@code values[i] * scales[i % columns]}, row-major
     */
    public float[] dequantize() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] * scales[i % columns];
        }
        return out;
    }

    /**
     * Returns the storage this matrix takes: one byte per value and four per scale.
     *
     * @return bytes
     */
    public long bytes() {
        return (long) values.length + 4L * scales.length;
    }

    /**
     * Compares sizes, integers and scales.
     *
     * @param o the other object
     * @return true when equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Int8Matrix m && m.rows == rows && m.columns == columns && Arrays.equals(m.values, values)
                && Arrays.equals(m.scales, scales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hash(rows, columns) + Arrays.hashCode(values)) + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "Int8Matrix[" + rows + " x " + columns + "]";
    }
}
