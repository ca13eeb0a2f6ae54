package dev.mlops.serving;

/** Which flavor of a package a predictor runs. */
public enum ModelEngine {
    /** ONNX if the package has it, else TorchScript, else Tribuo. */
    AUTO,
    /** The Tribuo flavor, in the JVM. */
    TRIBUO,
    /** The ONNX flavor, on ONNX Runtime. */
    ONNX,
    /** The TorchScript flavor, on DJL's PyTorch engine. */
    TORCHSCRIPT
}
