package dev.mlops.llm.feedback;

import dev.mlops.api.InvalidArgumentException;
import java.time.Instant;
import java.util.Objects;

/**
 * A judgement to log: a rating, a pairwise preference or a correction, linked to a prediction (or, for feedback on
 * unrecorded predictions, a request), with its source and optional rationale. Make one with the static factories and
 * refine it with the {@code with...} methods; values are checked at once, so an out-of-range rating never reaches the
 * store.
 *
 * <pre>{@code
 * FeedbackEntry e = FeedbackEntry.stars("pred-1", 4, Source.human("alice")).withRationale("correct, a bit long");
 * }</pre>
 *
 * @param kind the kind of judgement
 * @param predictionId the judged prediction (for pairwise, the first one); null only with a request id
 * @param otherPredictionId for pairwise, the second prediction; else null
 * @param requestId the request, or null (taken from the prediction when it is recorded)
 * @param modelVersion the model version, or null to take it from the recorded prediction
 * @param otherModelVersion for pairwise, the second model version, or null to take it from the recorded prediction
 * @param promptVersion the prompt version, or null to take it from the recorded prediction
 * @param rating for thumbs 1 (up) or 0 (down), for stars 1 to 5; else null
 * @param content the comment (text) or corrected completion (correction); else null
 * @param preference for pairwise, which prediction is better; else null
 * @param source who judged
 * @param rationale why, or null
 * @param time when the judgement was made, or null for "when logged"
 */
public record FeedbackEntry(FeedbackKind kind, String predictionId, String otherPredictionId, String requestId,
        String modelVersion, String otherModelVersion, String promptVersion, Double rating, String content,
        Preference preference, Source source, String rationale, Instant time) {
    /**
     * Validates the entry.
     *
     * @throws InvalidArgumentException if the entry has no link, the rating is out of range for its kind, or a
     *     field required by its kind is missing or present where it does not belong
     */
    public FeedbackEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Checks.optional("prediction id", predictionId, Checks.MAX_ID);
        Checks.optional("other prediction id", otherPredictionId, Checks.MAX_ID);
        Checks.optional("request id", requestId, Checks.MAX_ID);
        Checks.optional("model version", modelVersion, Checks.MAX_ID);
        Checks.optional("other model version", otherModelVersion, Checks.MAX_ID);
        Checks.optional("prompt version", promptVersion, Checks.MAX_ID);
        Checks.optional("rationale", rationale, Checks.MAX_TEXT);
        if (predictionId == null && requestId == null) {
            throw new InvalidArgumentException(kind + " feedback must name a prediction id or a request id");
        }
        switch (kind) {
            case THUMBS -> {
                if (rating == null || (rating != 0.0 && rating != 1.0)) {
                    throw new InvalidArgumentException("a THUMBS rating must be 1 (up) or 0 (down), but was " + rating);
                }
            }
            case STARS -> {
                if (rating == null || rating < 1 || rating > 5 || rating != Math.rint(rating)) {
                    throw new InvalidArgumentException("a STARS rating must be a whole number from 1 to 5, but was "
                            + rating);
                }
            }
            case TEXT -> Checks.text("the comment", content, Checks.MAX_TEXT);
            case CORRECTION -> Checks.text("the corrected completion", content, Checks.MAX_TEXT);
            case PAIRWISE -> {
                if (predictionId == null || otherPredictionId == null) {
                    throw new InvalidArgumentException("PAIRWISE feedback needs two prediction ids");
                }
                if (predictionId.equals(otherPredictionId)) {
                    throw new InvalidArgumentException("PAIRWISE feedback compares prediction '" + predictionId
                            + "' with itself");
                }
                if (preference == null) {
                    throw new InvalidArgumentException("PAIRWISE feedback needs a preference (A, B or TIE)");
                }
            }
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
        if (kind != FeedbackKind.THUMBS && kind != FeedbackKind.STARS && rating != null) {
            throw new InvalidArgumentException(kind + " feedback takes no rating, but got " + rating);
        }
        if (kind != FeedbackKind.TEXT && kind != FeedbackKind.CORRECTION && content != null) {
            throw new InvalidArgumentException(kind + " feedback takes no text content");
        }
        if (kind != FeedbackKind.PAIRWISE && (preference != null || otherPredictionId != null
                || otherModelVersion != null)) {
            throw new InvalidArgumentException(kind + " feedback takes no preference or second prediction");
        }
    }

    /**
     * Creates a thumbs-up or thumbs-down rating.
     *
     * @param predictionId the judged prediction
     * @param up true for thumbs up
     * @param source who judged
     * @return the entry
     */
    public static FeedbackEntry thumbs(String predictionId, boolean up, Source source) {
        return new FeedbackEntry(FeedbackKind.THUMBS, required(predictionId), null, null, null, null, null,
                up ? 1.0 : 0.0, null, null, source, null, null);
    }

    /**
     * Creates a 1-5 rating.
     *
     * @param predictionId the judged prediction
     * @param stars 1 to 5
     * @param source who judged
     * @return the entry
     * @throws InvalidArgumentException if stars is out of range
     */
    public static FeedbackEntry stars(String predictionId, int stars, Source source) {
        return new FeedbackEntry(FeedbackKind.STARS, required(predictionId), null, null, null, null, null,
                (double) stars, null, null, source, null, null);
    }

    /**
     * Creates a free-text comment.
     *
     * @param predictionId the judged prediction
     * @param comment the comment
     * @param source who judged
     * @return the entry
     */
    public static FeedbackEntry comment(String predictionId, String comment, Source source) {
        return new FeedbackEntry(FeedbackKind.TEXT, required(predictionId), null, null, null, null, null, null,
                comment, null, source, null, null);
    }

    /**
     * Creates a pairwise preference between two predictions for the same prompt.
     *
     * @param predictionA the first prediction
     * @param predictionB the second prediction
     * @param preference which is better
     * @param source who judged
     * @return the entry
     */
    public static FeedbackEntry pairwise(String predictionA, String predictionB, Preference preference,
            Source source) {
        return new FeedbackEntry(FeedbackKind.PAIRWISE, required(predictionA), required(predictionB), null, null,
                null, null, null, null, preference, source, null, null);
    }

    /**
     * Creates a correction: the completion the model should have produced.
     *
     * @param predictionId the corrected prediction
     * @param correctedCompletion the better completion
     * @param source who corrected
     * @return the entry
     */
    public static FeedbackEntry correction(String predictionId, String correctedCompletion, Source source) {
        return new FeedbackEntry(FeedbackKind.CORRECTION, required(predictionId), null, null, null, null, null, null,
                correctedCompletion, null, source, null, null);
    }

    private static String required(String predictionId) {
        if (predictionId == null || predictionId.isBlank()) {
            throw new InvalidArgumentException("prediction id must not be blank");
        }
        return predictionId;
    }

    /**
     * Returns a copy with a rationale.
     *
     * @param value why the judgement was made
     * @return the copy
     */
    public FeedbackEntry withRationale(String value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, requestId, modelVersion, otherModelVersion,
                promptVersion, rating, content, preference, source, value, time);
    }

    /**
     * Returns a copy linked to a request.
     *
     * @param value the request id
     * @return the copy
     */
    public FeedbackEntry withRequestId(String value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, value, modelVersion, otherModelVersion,
                promptVersion, rating, content, preference, source, rationale, time);
    }

    /**
     * Returns a copy naming the model version (needed when the prediction is not recorded).
     *
     * @param value the model version
     * @return the copy
     */
    public FeedbackEntry withModelVersion(String value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, requestId, value, otherModelVersion,
                promptVersion, rating, content, preference, source, rationale, time);
    }

    /**
     * Returns a copy naming the second model version of a pairwise judgement.
     *
     * @param value the model version
     * @return the copy
     */
    public FeedbackEntry withOtherModelVersion(String value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, requestId, modelVersion, value,
                promptVersion, rating, content, preference, source, rationale, time);
    }

    /**
     * Returns a copy naming the prompt version.
     *
     * @param value the prompt version
     * @return the copy
     */
    public FeedbackEntry withPromptVersion(String value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, requestId, modelVersion, otherModelVersion,
                value, rating, content, preference, source, rationale, time);
    }

    /**
     * Returns a copy with the time the judgement was made.
     *
     * @param value the time
     * @return the copy
     */
    public FeedbackEntry at(Instant value) {
        return new FeedbackEntry(kind, predictionId, otherPredictionId, requestId, modelVersion, otherModelVersion,
                promptVersion, rating, content, preference, source, rationale, value);
    }
}
