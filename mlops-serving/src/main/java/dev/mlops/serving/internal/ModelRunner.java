package dev.mlops.serving.internal;

import java.util.List;

/**
 * Runs one loaded model on dense rows. Implementations are thread-safe and own their native resources until
 * {@link #close()}.
 */
public interface ModelRunner extends AutoCloseable {
    /**
     * Returns the input columns in the order {@link #run} expects them.
     *
     * @return column names
     */
    List<String> inputs();

    /**
     * Returns the names of the output columns: class labels for a classifier, otherwise output names.
     *
     * @return output names, in the order {@link #run} returns them
     */
    List<String> outputs();

    /**
     * Tells whether outputs are class scores, so that the highest one names the predicted label.
     *
     * @return true for classifiers
     */
    boolean classifier();

    /**
     * Returns the engine's name, for logs and meters.
     *
     * @return for instance {@code "onnxruntime"}
     */
    String engine();

    /**
     * Returns the device the model runs on.
     *
     * @return for instance {@code "cpu"} or {@code "gpu0"}
     */
    String device();

    /**
     * Runs the model on a batch.
     *
     * @param rows one row per example, columns in {@link #inputs()} order
     * @return one row of outputs per example, in {@link #outputs()} order
     */
    float[][] run(float[][] rows);

    /** Releases native resources. */
    @Override
    void close();
}
