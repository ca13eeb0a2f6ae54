package dev.mlops.llm.feedback;

/** Who or what made a judgement, as MLflow's assessment sources. */
public enum SourceType {
    /** A person. */
    HUMAN,
    /** A language model acting as judge. */
    LLM_JUDGE,
    /** A program: a heuristic, a test, a validator. */
    CODE
}
