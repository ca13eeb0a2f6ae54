package dev.mlops.tracking;

/**
 * What {@link Tracking#flush()} promises on the embedded SQLite store. PostgreSQL commits are always durable (its
 * {@code synchronous_commit} default).
 */
public enum Durability {
    /**
     * Flushed data survives a crash or kill of the process, not necessarily a power loss or an operating-system
     * crash; the store is never corrupted. SQLite's WAL mode with {@code synchronous=NORMAL}. The default.
     */
    PROCESS_CRASH,
    /** Flushed data also survives a power loss: every commit is synced to disk ({@code synchronous=FULL}). */
    POWER_LOSS
}
