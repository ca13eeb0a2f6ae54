package dev.mlops.api.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Moves an alias (such as {@code champion}) to a model version, subject to whatever governance the implementation
 * enforces. The registry implements it; monitoring's retraining policy promotes through it without depending on the
 * registry. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ModelPromoter {
    /**
     * Asks for a promotion.
     *
     * @param request what to promote, by whom and why
     * @return whether the alias moved, an approval was requested, or the promotion was refused (and why)
     */
    PromotionResult promote(PromotionRequest request);

    /**
     * A request to point an alias at a version.
     *
     * @param model the registered model's name
     * @param version the version to promote
     * @param alias the alias to move, for instance {@code "champion"}
     * @param actor who asks
     * @param reason why, recorded in the audit log
     * @param evidence metrics that support the request, for instance the candidate's accuracy on recent data
     */
    record PromotionRequest(String model, long version, String alias, String actor, String reason,
            Map<String, Double> evidence) {
        /**
         * Validates the request.
         *
         * @throws NullPointerException if a part is null
         */
        public PromotionRequest {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(reason, "reason");
            evidence = Map.copyOf(evidence);
        }
    }

    /**
     * The outcome of a promotion request.
     *
     * @param outcome what happened
     * @param detail a human-readable explanation (the violated rules for a refusal)
     * @param approvalRequestId the id of the approval request created, or {@code null}
     */
    record PromotionResult(Outcome outcome, String detail, String approvalRequestId) {
        /**
         * Validates the result.
         *
         * @throws NullPointerException if the outcome or detail is null
         */
        public PromotionResult {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** What a promotion request led to. */
    enum Outcome {
        /** The alias now points at the version. */
        PROMOTED,
        /** A person must approve first; an approval request was filed. */
        APPROVAL_REQUESTED,
        /** Governance refused the promotion. */
        REFUSED
    }
}
