package dev.mlops.llm.model;

import java.util.Optional;

/**
 * The element types of the safetensors format, by the names its headers use ({@code "F32"}, {@code "BF16"}, ...).
 */
public enum TensorType {
    /** 64-bit IEEE float. */
    F64(8, true),
    /** 32-bit IEEE float. */
    F32(4, true),
    /** 16-bit IEEE float (half precision). */
    F16(2, true),
    /** bfloat16: the upper half of a 32-bit float. */
    BF16(2, true),
    /** Signed 64-bit integer. */
    I64(8, false),
    /** Signed 32-bit integer. */
    I32(4, false),
    /** Signed 16-bit integer. */
    I16(2, false),
    /** Signed 8-bit integer. */
    I8(1, false),
    /** Unsigned 64-bit integer. */
    U64(8, false),
    /** Unsigned 32-bit integer. */
    U32(4, false),
    /** Unsigned 16-bit integer. */
    U16(2, false),
    /** Unsigned 8-bit integer. */
    U8(1, false),
    /** Boolean, one byte each. */
    BOOL(1, false),
    /** 8-bit float, 4 exponent and 3 mantissa bits. */
    F8_E4M3(1, false),
    /** 8-bit float, 5 exponent and 2 mantissa bits. */
    F8_E5M2(1, false);

    private final int bytes;
    private final boolean convertible;

    TensorType(int bytes, boolean convertible) {
        this.bytes = bytes;
        this.convertible = convertible;
    }

    /**
     * Returns the size of one element.
     *
     * @return bytes per element
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Tells whether values of this type can be read as 32-bit floats by {@link Tensor#toFloats()}.
     *
     * @return true for F64, F32, F16 and BF16
     */
    public boolean isFloatingPoint() {
        return convertible;
    }

    /**
     * Finds a type by its header name.
     *
     * @param name the name as written in a header, for instance {@code "F32"}
     * @return the type, or empty when the name is unknown
     */
    public static Optional<TensorType> byName(String name) {
        for (TensorType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
