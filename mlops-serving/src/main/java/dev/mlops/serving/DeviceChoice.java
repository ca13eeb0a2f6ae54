package dev.mlops.serving;

/** Where a predictor runs its model. */
public enum DeviceChoice {
    /** The GPU when the engine sees one, else the CPU. */
    AUTO,
    /** The CPU. */
    CPU,
    /** The first GPU; loading fails if there is none. */
    GPU
}
