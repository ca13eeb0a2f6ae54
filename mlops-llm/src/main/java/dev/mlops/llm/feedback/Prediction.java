package dev.mlops.llm.feedback;

import java.time.Instant;

/**
 * A model's answer that feedback can refer to: what was asked, what came back, and which model and prompt version
 * produced it.
 *
 * @param id the prediction id, 1 to 256 characters, unique in the store
 * @param requestId the id of the request it answered, or null
 * @param modelVersion the model version that produced it
 * @param promptVersion the prompt template version used, or null
 * @param prompt the prompt text
 * @param completion the completion text
 * @param createdAt when it was made; null means "when recorded"
 */
public record Prediction(String id, String requestId, String modelVersion, String promptVersion, String prompt,
        String completion, Instant createdAt) {
    /**
     * Validates the prediction.
     *
     * @throws dev.mlops.api.InvalidArgumentException if an id or version is blank or too long, or a text is null
     */
    public Prediction {
        Checks.text("prediction id", id, Checks.MAX_ID);
        Checks.optional("request id", requestId, Checks.MAX_ID);
        Checks.text("model version", modelVersion, Checks.MAX_ID);
        Checks.optional("prompt version", promptVersion, Checks.MAX_ID);
        Checks.content("prompt", prompt, Checks.MAX_TEXT);
        Checks.content("completion", completion, Checks.MAX_TEXT);
    }

    /**
     * Creates a prediction without request id or prompt version.
     *
     * @param id the prediction id
     * @param modelVersion the model version
     * @param prompt the prompt
     * @param completion the completion
     * @return the prediction
     */
    public static Prediction of(String id, String modelVersion, String prompt, String completion) {
        return new Prediction(id, null, modelVersion, null, prompt, completion, null);
    }

    /**
     * Returns a copy with a request id.
     *
     * @param value the request id
     * @return the copy
     */
    public Prediction withRequestId(String value) {
        return new Prediction(id, value, modelVersion, promptVersion, prompt, completion, createdAt);
    }

    /**
     * Returns a copy with a prompt version.
     *
     * @param value the prompt version, for instance {@code prompts:/qa/3}
     * @return the copy
     */
    public Prediction withPromptVersion(String value) {
        return new Prediction(id, requestId, modelVersion, value, prompt, completion, createdAt);
    }

    /**
     * Returns a copy with a creation time.
     *
     * @param value the time
     * @return the copy
     */
    public Prediction at(Instant value) {
        return new Prediction(id, requestId, modelVersion, promptVersion, prompt, completion, value);
    }
}
