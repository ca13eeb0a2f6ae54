package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the registry's append-only audit log.
 *
 * @param id the entry's sequence number
 * @param model the registered model concerned
 * @param version the version concerned, or 0 for the model itself
 * @param action what happened, for instance {@code ALIAS_SET}
 * @param actor who did it
 * @param time when
 * @param before the state before, as JSON, or {@code null}
 * @param after the state after, as JSON, or {@code null}
 */
public record AuditEntry(long id, String model, long version, String action, String actor, Instant time, String before,
        String after) {
    /**
     * Validates the entry.
     *
     * @throws NullPointerException if a required part is null
     */
    public AuditEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(time, "time");
    }
}
