package dev.mlops.tracking;

/** Whether an experiment or run is in use or archived (MLflow calls the latter "deleted"). */
public enum LifecycleStage {
    /** In use: visible to searches, open to logging. */
    ACTIVE,
    /** Archived: hidden from default listings and searches, kept in the store, restorable. */
    ARCHIVED
}
