package dev.mlops.llm.feedback;

/** The outcome of a pairwise judgement. */
public enum Preference {
    /** The first prediction ({@code predictionId}) is better. */
    A,
    /** The second prediction ({@code otherPredictionId}) is better. */
    B,
    /** Neither is better. */
    TIE
}
