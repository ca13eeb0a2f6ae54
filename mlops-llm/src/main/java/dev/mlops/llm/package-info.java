/**
 * LLM operations: text-generation metrics, an evaluation harness, human-feedback capture and fine-tuning helpers.
 *
 * <p>This module is being built; its public types will live in this package.
 */
package dev.mlops.llm;
