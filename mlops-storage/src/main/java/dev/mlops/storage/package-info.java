/**
 * Storage plumbing shared by the stores of the other modules (tracking, registry, features, feedback): a pooled
 * SQLite or PostgreSQL {@link dev.mlops.storage.Database} whose schema Flyway migrations create and evolve, and a
 * content-addressed {@link dev.mlops.storage.BlobStore} for files. Applications normally reach these through the
 * modules' front doors and need not use them directly.
 */
package dev.mlops.storage;
