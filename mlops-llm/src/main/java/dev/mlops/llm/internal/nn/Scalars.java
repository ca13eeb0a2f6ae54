package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Multiplication by a constant that is safe under autograd. DJL's {@code mul(Number)} wraps the number in a tensor
 * that borrows a Java direct buffer and closes it straight after the product; the graph keeps that tensor for the
 * backward pass, so a garbage collection between forward and backward frees memory the backward still reads, and
 * gradients turn to garbage (seen as sporadic infinite gradient norms and NaN losses). Here the constant is copied
 * into memory PyTorch owns, which the graph keeps alive by reference count.
 */
public final class Scalars {
    private Scalars() {
    }

    /**
     * Multiplies by a constant.
     *
     * @param x the array
     * @param factor the constant
     * @return {@code x * factor}, in x's type
     */
    public static NDArray times(NDArray x, double factor) {
        NDArray borrowed = x.getManager().create((float) factor);
        // a clone, or a conversion to another type, allocates PyTorch memory; toType to the same type would not
        NDArray owned = x.getDataType() == DataType.FLOAT32 ? borrowed.duplicate()
                : borrowed.toType(x.getDataType(), false);
        borrowed.close();
        try {
            return x.mul(owned);
        } finally {
            owned.close();
        }
    }
}
