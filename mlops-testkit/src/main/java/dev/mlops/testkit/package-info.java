/**
 * Test support shared by the modules' test suites: where integration tests find PostgreSQL and Redis, and how they
 * skip with a message when those services are not configured.
 */
package dev.mlops.testkit;
