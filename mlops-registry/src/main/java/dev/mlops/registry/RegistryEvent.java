package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that changed in the registry, delivered to {@link RegistryListener}s after it is committed.
 *
 * @param type what happened
 * @param model the registered model
 * @param version the version concerned, or 0
 * @param alias the alias concerned, or {@code null}
 * @param actor who did it
 * @param time when
 */
public record RegistryEvent(Type type, String model, long version, String alias, String actor, Instant time) {
    /**
     * Validates the event.
     *
     * @throws NullPointerException if a required part is null
     */
    public RegistryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(time, "time");
    }

    /** The kinds of registry events. */
    public enum Type {
        /** A registered model was created. */
        MODEL_CREATED,
        /** A registered model was deleted. */
        MODEL_DELETED,
        /** A version was registered. */
        VERSION_CREATED,
        /** A version was deleted. */
        VERSION_DELETED,
        /** A tag was set on a model or version. */
        TAG_SET,
        /** A tag was deleted from a model or version. */
        TAG_DELETED,
        /** A description changed. */
        DESCRIPTION_SET,
        /** An alias now points at a version. */
        ALIAS_SET,
        /** An alias was removed. */
        ALIAS_DELETED,
        /** A policy was set on an alias. */
        POLICY_SET,
        /** An approval was requested. */
        APPROVAL_REQUESTED,
        /** An approval request was approved. */
        APPROVED,
        /** An approval request was rejected. */
        REJECTED
    }
}
