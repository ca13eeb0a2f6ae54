package dev.mlops.llm.feedback;

/** The kinds of judgement the store captures. */
public enum FeedbackKind {
    /** Thumbs up (1) or down (0). */
    THUMBS,
    /** A rating from 1 to 5. */
    STARS,
    /** A free-text comment. */
    TEXT,
    /** A preference between two predictions for the same prompt. */
    PAIRWISE,
    /** A corrected completion: what the model should have answered. */
    CORRECTION
}
