package dev.mlops.llm.model;

/** Where a model's weights live and its arithmetic runs. */
public enum DeviceChoice {
    /** The first GPU when PyTorch sees one, else the CPU. */
    AUTO,
    /** The CPU. */
    CPU,
    /** The first GPU; creating or loading a model fails when there is none. */
    GPU
}
