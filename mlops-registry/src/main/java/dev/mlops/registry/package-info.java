/**
 * The model registry and the model package format.
 *
 * <p>A {@link dev.mlops.registry.ModelPackage} is a directory (or a single-file archive) with a JSON descriptor that
 * lists every file's SHA-256 and size, the model's flavors (Tribuo protobuf, ONNX, TorchScript), its
 * {@link dev.mlops.api.Signature}, an input example, provenance and metrics; opening one verifies every file before
 * anything is deserialized. The {@link dev.mlops.registry.Registry} keeps registered models, immutable versions,
 * aliases, tags, lineage, alias policies with approvals, and an append-only audit log, on SQLite or PostgreSQL.
 */
package dev.mlops.registry;
