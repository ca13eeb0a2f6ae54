package dev.mlops.serving;

/**
 * Receives sampled inference records. Called on the predicting thread (shadow records on the shadow thread); a
 * listener that throws is logged and ignored. Implementations must be thread-safe and quick, or hand work off.
 */
@FunctionalInterface
public interface InferenceListener {
    /**
     * Receives one record.
     *
     * @param record what the prediction saw and said
     */
    void onInference(InferenceRecord record);
}
