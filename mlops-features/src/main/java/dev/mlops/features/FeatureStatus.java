package dev.mlops.features;

/** What an online read found for one feature of one entity. */
public enum FeatureStatus {
    /** A value within its TTL. */
    PRESENT,
    /** A row within its TTL whose value for this feature is null. */
    NULL_VALUE,
    /** No row for the entity (never materialized, evicted, or its key expired in the store). */
    MISSING,
    /** A row older than the view's TTL: its value is withheld, never served stale. */
    EXPIRED
}
