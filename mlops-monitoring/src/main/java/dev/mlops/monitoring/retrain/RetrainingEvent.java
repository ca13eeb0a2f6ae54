package dev.mlops.monitoring.retrain;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded step of a retraining policy.
 *
 * <p>Immutable and thread-safe.
 *
 * @param time when it happened
 * @param step what happened
 * @param trigger the name of the alert rule that started the attempt
 * @param reason why, in a sentence
 * @param championVersion the champion's version at that step
 * @param candidateVersion the candidate's version, or -1 before there is one
 * @param championScore the champion's score, or NaN before evaluation
 * @param candidateScore the candidate's score, or NaN before evaluation
 */
public record RetrainingEvent(Instant time, Step step, String trigger, String reason, long championVersion,
        long candidateVersion, double championScore, double candidateScore) {
    /** The steps of an attempt. */
    public enum Step {
        /** An alert was not acted on: cool-down, a retraining already running, or too few labelled rows. */
        SKIPPED,
        /** An alert started a retraining. */
        TRIGGERED,
        /** The retrainer returned a candidate. */
        RETRAINED,
        /** Champion and candidate were scored on the recent labelled rows. */
        EVALUATED,
        /** The candidate did not beat the champion by the required margin. */
        KEPT_CHAMPION,
        /** The alias now points at the candidate. */
        PROMOTED,
        /** A person must approve the promotion. */
        APPROVAL_REQUESTED,
        /** Governance refused the promotion. */
        REFUSED,
        /** Retraining, scoring or promotion threw. */
        FAILED
    }

    /**
     * Validates the event.
     *
     * @throws NullPointerException if a part is null
     */
    public RetrainingEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(reason, "reason");
    }
}
