package dev.mlops.registry;

/** Where an approval request stands. */
public enum ApprovalStatus {
    /** Waiting for a decision. */
    PENDING,
    /** Approved; the alias was moved. */
    APPROVED,
    /** Rejected; nothing changed. */
    REJECTED
}
