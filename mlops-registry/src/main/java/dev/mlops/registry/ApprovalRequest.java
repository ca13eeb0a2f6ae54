package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to move an alias that a policy makes subject to approval.
 *
 * @param id the request's id
 * @param model the registered model
 * @param version the version the alias should point at
 * @param alias the alias
 * @param status pending, approved or rejected
 * @param requestedBy who asked
 * @param requestedAt when
 * @param reason why
 * @param decidedBy who decided, or {@code null} while pending
 * @param decidedAt when, or {@code null} while pending
 * @param comment the decider's comment, or {@code null}
 */
public record ApprovalRequest(String id, String model, long version, String alias, ApprovalStatus status,
        String requestedBy, Instant requestedAt, String reason, String decidedBy, Instant decidedAt, String comment) {
    /**
     * Validates the request.
     *
     * @throws NullPointerException if a required part is null
     */
    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(status, "status");
    }
}
