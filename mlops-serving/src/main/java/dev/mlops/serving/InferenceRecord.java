package dev.mlops.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What one prediction saw and said, for the inference log that monitoring and feedback capture consume.
 *
 * @param predictionId the prediction's id
 * @param model the model's name
 * @param version the model version that answered
 * @param role whether this model answered the caller, or scored as a canary or shadow
 * @param inputs the input row
 * @param outputs the outputs ({@link Prediction#toMap()})
 * @param latency how long the prediction took
 * @param time when it finished
 */
public record InferenceRecord(String predictionId, String model, long version, Role role, Map<String, Object> inputs,
        Map<String, Object> outputs, Duration latency, Instant time) {
    /**
     * Validates the record.
     *
     * @throws NullPointerException if a part is null
     */
    public InferenceRecord {
        Objects.requireNonNull(predictionId, "predictionId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(time, "time");
    }

    /** The part a model played in a prediction. */
    public enum Role {
        /** The model that answered the caller. */
        PRIMARY,
        /** A challenger that answered a share of callers. */
        CANARY,
        /** A challenger that scored a copy; the caller got the primary's answer. */
        SHADOW
    }
}
