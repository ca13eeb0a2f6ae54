package dev.mlops.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.api.InvalidArgumentException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rules that guard moving one alias of a model, for instance "{@code champion} needs an approval, an AUC of at least
 * 0.9, and a signature compatible with the current champion's".
 *
 * <pre>{@code
 * registry.setPolicy("churn", "champion", AliasPolicy.none()
 *         .withApproval()
 *         .withMinimum("auc", 0.9)
 *         .withCompatibleSignature());
 * }</pre>
 *
 * Immutable and thread-safe; each {@code with} method returns a new policy.
 *
 * @param requireApproval whether a person other than the requester must approve the move
 * @param minimumMetrics metrics the version must have, at least these values (from its package)
 * @param maximumMetrics metrics the version must have, at most these values
 * @param requireCompatibleSignature whether the version must accept every input the current holder of the alias
 *     accepts, with the same types, and need no new required input
 */
public record AliasPolicy(boolean requireApproval, Map<String, Double> minimumMetrics,
        Map<String, Double> maximumMetrics, boolean requireCompatibleSignature) {
    /**
     * Validates the policy.
     *
     * @throws InvalidArgumentException if a bound is not finite
     */
    @JsonCreator
    public AliasPolicy(@JsonProperty("requireApproval") boolean requireApproval,
            @JsonProperty("minimumMetrics") Map<String, Double> minimumMetrics,
            @JsonProperty("maximumMetrics") Map<String, Double> maximumMetrics,
            @JsonProperty("requireCompatibleSignature") boolean requireCompatibleSignature) {
        this.requireApproval = requireApproval;
        this.minimumMetrics = checked(minimumMetrics);
        this.maximumMetrics = checked(maximumMetrics);
        this.requireCompatibleSignature = requireCompatibleSignature;
    }

    private static Map<String, Double> checked(Map<String, Double> bounds) {
        Map<String, Double> copy = new TreeMap<>(bounds == null ? Map.of() : bounds);
        copy.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new InvalidArgumentException("bound on metric '" + k + "' must be finite, but was " + v);
            }
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the policy with no rules.
     *
     * @return a permissive policy
     */
    public static AliasPolicy none() {
        return new AliasPolicy(false, Map.of(), Map.of(), false);
    }

    /**
     * Requires an approval by someone other than the requester.
     *
     * @return the stricter policy
     */
    public AliasPolicy withApproval() {
        return new AliasPolicy(true, minimumMetrics, maximumMetrics, requireCompatibleSignature);
    }

    /**
     * Requires a metric of at least a value.
     *
     * @param metric the metric's name, as recorded in the package
     * @param value the lowest acceptable value
     * @return the stricter policy
     */
    public AliasPolicy withMinimum(String metric, double value) {
        Map<String, Double> m = new TreeMap<>(minimumMetrics);
        m.put(metric, value);
        return new AliasPolicy(requireApproval, m, maximumMetrics, requireCompatibleSignature);
    }

    /**
     * Requires a metric of at most a value (for instance a loss or a latency).
     *
     * @param metric the metric's name, as recorded in the package
     * @param value the highest acceptable value
     * @return the stricter policy
     */
    public AliasPolicy withMaximum(String metric, double value) {
        Map<String, Double> m = new TreeMap<>(maximumMetrics);
        m.put(metric, value);
        return new AliasPolicy(requireApproval, minimumMetrics, m, requireCompatibleSignature);
    }

    /**
     * Requires a signature compatible with the alias's current version.
     *
     * @return the stricter policy
     */
    public AliasPolicy withCompatibleSignature() {
        return new AliasPolicy(requireApproval, minimumMetrics, maximumMetrics, true);
    }
}
