package dev.mlops.llm.model;

import dev.mlops.api.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named array of a safetensors file: its element type, its shape and its raw little-endian bytes. Immutable; the
 * bytes are held in a read-only buffer (memory-mapped when read from a file), so instances are thread-safe.
 */
public final class Tensor {
    private final TensorType type;
    private final long[] shape;
    private final ByteBuffer data;

    /**
     * Creates a tensor over raw little-endian bytes.
     *
     * @param type the element type
     * @param shape the shape; every dimension 0 or more (an empty shape is a scalar)
     * @param data the bytes, exactly the element count times the element size; copied when writable
     * @throws InvalidArgumentException if a dimension is negative or the byte count does not match the shape
     */
    public Tensor(TensorType type, long[] shape, ByteBuffer data) {
        this.type = Objects.requireNonNull(type, "type");
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        long n = elementCount(this.shape);
        Objects.requireNonNull(data, "data");
        long expected;
        try {
            expected = Math.multiplyExact(n, type.bytes());
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("shape " + Arrays.toString(shape) + " is too large", e);
        }
        if (data.remaining() != expected) {
            throw new InvalidArgumentException("a " + type + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, but " + data.remaining() + " were given");
        }
        ByteBuffer view = data.isReadOnly() ? data.slice() : copy(data);
        this.data = view.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer copy(ByteBuffer data) {
        ByteBuffer c = ByteBuffer.allocate(data.remaining());
        c.put(data.duplicate());
        c.flip();
        return c;
    }

    /**
     * Creates a 32-bit float tensor.
     *
     * @param values the values in row-major order
     * @param shape the shape
     * @return the tensor
     * @throws InvalidArgumentException if the value count does not match the shape
     */
    public static Tensor ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(TensorType.F32, shape, b);
    }

    /**
     * Creates a 64-bit integer tensor.
     *
     * @param values the values in row-major order
     * @param shape the shape
     * @return the tensor
     * @throws InvalidArgumentException if the value count does not match the shape
     */
    public static Tensor ofLongs(long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(TensorType.I64, shape, b);
    }

    /**
     * Returns the number of elements a shape holds.
     *
     * @param shape the shape
     * @return the product of the dimensions (1 for a scalar)
     * @throws InvalidArgumentException if a dimension is negative or the product overflows
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new InvalidArgumentException("shape " + Arrays.toString(shape) + " holds more elements than a "
                        + "long can count", e);
            }
        }
        return n;
    }

    /**
     * Returns the element type.
     *
     * @return the type
     */
    public TensorType type() {
        return type;
    }

    /**
     * Returns the shape.
     *
     * @return a copy of the dimensions
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements.
     *
     * @return the count
     */
    public long elementCount() {
        return elementCount(shape);
    }

    /**
     * Returns the raw bytes.
     *
     * @return a read-only little-endian view, positioned at the first byte
     */
    public ByteBuffer bytes() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the values as 32-bit floats, converting F64, F16 and BF16.
     *
     * @return the values in row-major order
     * @throws InvalidArgumentException if the type is not a floating-point type or the tensor has more than
     *     {@code Integer.MAX_VALUE - 8} elements
     */
    public float[] toFloats() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("a tensor of " + n + " elements does not fit in one Java array");
        }
        float[] out = new float[(int) n];
        ByteBuffer b = bytes();
        switch (type) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            default -> throw new InvalidArgumentException("a " + type + " tensor cannot be read as floats");
        }
        return out;
    }

    /**
     * Returns the values as 64-bit integers.
     *
     * @return the values in row-major order
     * @throws InvalidArgumentException if the type is not I64 or I32
     */
    public long[] toLongs() {
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        ByteBuffer b = bytes();
        switch (type) {
            case I64 -> b.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            default -> throw new InvalidArgumentException("a " + type + " tensor cannot be read as integers");
        }
        return out;
    }

    /**
     * Converts an IEEE half-precision value to a float, exactly.
     *
     * @param bits the 16 bits
     * @return the value
     */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Converts a float to IEEE half precision, rounding to nearest even.
     *
     * @param value the value
     * @return the 16 bits
     */
    public static short floatToHalf(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xFF;
        int mant = f & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /**
     * Compares type, shape and bytes.
     *
     * @param o the other object
     * @return true when equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.type == type && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "Tensor[" + type + " " + Arrays.toString(shape) + "]";
    }
}
