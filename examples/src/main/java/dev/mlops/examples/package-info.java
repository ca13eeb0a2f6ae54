/**
 * Runnable programs that walk the machine-learning lifecycle on small real datasets, on the embedded defaults.
 */
package dev.mlops.examples;
