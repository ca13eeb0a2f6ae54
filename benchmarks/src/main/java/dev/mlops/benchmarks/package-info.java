/**
 * JMH benchmarks. Each compares a library path with the baseline a user would otherwise write, in the same run.
 * Build with {@code mvn -pl benchmarks -am package -DskipTests}, then run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package dev.mlops.benchmarks;
