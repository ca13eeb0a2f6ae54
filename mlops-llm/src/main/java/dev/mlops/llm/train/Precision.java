package dev.mlops.llm.train;

/** The arithmetic of training. */
public enum Precision {
    /** {@link #FP16_MIXED} on a GPU, {@link #FP32} on the CPU. */
    AUTO,
    /** 32-bit floats throughout. */
    FP32,
    /**
     * Mixed precision: forward and backward passes in 16-bit floats on half-precision copies of the weights, with
     * dynamic loss scaling; the optimizer updates 32-bit master weights, and frozen 32-bit weights are never
     * rewritten. Meant for GPUs; on the CPU it runs, slowly.
     */
    FP16_MIXED
}
