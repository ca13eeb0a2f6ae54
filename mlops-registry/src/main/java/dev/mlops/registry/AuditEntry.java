package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the registry's append-only audit log.
 *
 * @param id the entry's sequence number
 * @param subject whether the entry concerns a registered model or a prompt
 * @param name the registered model or prompt concerned
 * @param version the version concerned, or 0 for the model or prompt itself
 * @param action what happened, for instance {@code ALIAS_SET}
 * @param actor who did it
 * @param time when
 * @param before the state before, as JSON, or {@code null}
 * @param after the state after, as JSON, or {@code null}
 */
public record AuditEntry(long id, Subject subject, String name, long version, String action, String actor,
        Instant time, String before, String after) {
    /** What an audit entry is about. */
    public enum Subject {
        /** A registered model or one of its versions. */
        MODEL,
        /** A prompt or one of its versions. */
        PROMPT
    }

    /**
     * Validates the entry.
     *
     * @throws NullPointerException if a required part is null
     */
    public AuditEntry {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(time, "time");
    }
}
