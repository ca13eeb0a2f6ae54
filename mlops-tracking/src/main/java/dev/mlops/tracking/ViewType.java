package dev.mlops.tracking;

/** Which experiments or runs a listing or search includes. */
public enum ViewType {
    /** Only active ones. */
    ACTIVE_ONLY,
    /** Only archived ones. */
    ARCHIVED_ONLY,
    /** Both. */
    ALL
}
