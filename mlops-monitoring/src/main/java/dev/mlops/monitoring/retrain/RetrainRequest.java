package dev.mlops.monitoring.retrain;

import dev.mlops.api.Frame;
import dev.mlops.monitoring.stream.Alert;
import java.util.Objects;

/**
 * What a {@link Retrainer} is asked to do.
 *
 * <p>Immutable and thread-safe.
 *
 * @param model the registered model's name
 * @param championVersion the version now behind the alias
 * @param trigger the alert that started the retraining
 * @param recentLabelled the recent labelled rows
 */
public record RetrainRequest(String model, long championVersion, Alert trigger, Frame recentLabelled) {
    /**
     * Validates the request.
     *
     * @throws NullPointerException if a part is null
     */
    public RetrainRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(recentLabelled, "recentLabelled");
    }
}
