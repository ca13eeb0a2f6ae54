/**
 * Human-feedback capture: predictions, judgements on them (thumbs, 1-5 stars, comments, pairwise preferences,
 * corrections) with source, author, rationale and time, override chains, aggregates per model version, and exports
 * as preference and supervised fine-tuning datasets. The entry point is {@link dev.mlops.llm.feedback.FeedbackStore}.
 */
package dev.mlops.llm.feedback;
