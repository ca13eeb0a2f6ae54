package dev.mlops.llm.feedback;

/**
 * What an import stored.
 *
 * @param predictions predictions stored (identical predictions already present are not counted)
 * @param feedback judgements stored
 */
public record ImportSummary(long predictions, long feedback) {
}
