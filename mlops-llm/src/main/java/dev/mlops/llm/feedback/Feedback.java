package dev.mlops.llm.feedback;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored judgement. {@code overrides} names the judgement it replaced, and {@code valid} is false once a later
 * judgement overrides this one; the chain is kept, as in MLflow's assessments.
 *
 * @param id the feedback id
 * @param kind the kind of judgement
 * @param predictionId the judged prediction (for pairwise, the first), or null for request-level feedback
 * @param otherPredictionId for pairwise, the second prediction; else null
 * @param requestId the request, or null
 * @param modelVersion the judged model version
 * @param otherModelVersion for pairwise, the second model version; else null
 * @param promptVersion the prompt version, or null
 * @param rating the thumbs (0/1) or stars (1-5) value, or null
 * @param content the comment or corrected completion, or null
 * @param preference for pairwise, the preferred side; else null
 * @param source who judged
 * @param rationale why, or null
 * @param createdAt when the judgement was made
 * @param overrides the id of the judgement this one replaced, or null
 * @param valid false once a later judgement overrides this one
 */
public record Feedback(String id, FeedbackKind kind, String predictionId, String otherPredictionId, String requestId,
        String modelVersion, String otherModelVersion, String promptVersion, Double rating, String content,
        Preference preference, Source source, String rationale, Instant createdAt, String overrides,
        boolean valid) {
    /**
     * Validates the record.
     *
     * @throws NullPointerException if the id, kind, source or time is null
     */
    public Feedback {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
