/**
 * Implementation detail of the LLM module: tokenizers, the Porter stemmer, n-gram counting, SQL and JSON-lines
 * plumbing. Nothing here is API; users must not import these types, which may change without notice.
 */
package dev.mlops.llm.internal;
