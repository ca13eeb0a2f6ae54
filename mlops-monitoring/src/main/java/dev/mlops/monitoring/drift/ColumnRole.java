package dev.mlops.monitoring.drift;

/**
 * What a column is to the model. Feature drift decides dataset drift; prediction drift and target drift are tested
 * with the same machinery and reported beside it.
 */
public enum ColumnRole {
    /** A model input. */
    FEATURE,
    /** The model's output. */
    PREDICTION,
    /** The ground truth. */
    TARGET
}
