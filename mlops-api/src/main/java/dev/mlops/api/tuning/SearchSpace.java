package dev.mlops.api.tuning;

import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The parameters a study searches over, in order, each with its {@link Distribution} and, for conditional
 * parameters, the values of a categorical parent under which it is active.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *         .categorical("model", "linear", "tree")
 *         .when("model", "linear", s -> s.logUniform("learning_rate", 1e-4, 1.0).uniform("l2", 0, 1))
 *         .when("model", "tree", s -> s.integer("max_depth", 2, 16))
 *         .build();
 * }</pre>
 *
 * <p>Names are 1 to 128 letters, digits, {@code _ . - /}. A parameter is active when it has no condition or its
 * parent is active and holds one of the listed values; samplers assign exactly the active parameters. Immutable and
 * thread-safe.
 */
public final class SearchSpace {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]{1,128}");

    /**
     * One parameter of a search space.
     *
     * @param name the name
     * @param distribution its values
     * @param parent the categorical parameter it depends on, or {@code null} when it is always active
     * @param parentValues the parent's values under which it is active (empty when unconditional)
     */
    public record Param(String name, Distribution distribution, String parent, Set<Object> parentValues) {
        /**
         * Copies the parent values.
         *
         * @throws NullPointerException if the name or distribution is null
         */
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(distribution, "distribution");
            parentValues = Set.copyOf(parentValues);
        }

        /**
         * Tells whether the parameter depends on another.
         *
         * @return true for a conditional parameter
         */
        public boolean conditional() {
            return parent != null;
        }
    }

    private final List<Param> params;
    private final Map<String, Param> byName;

    private SearchSpace(List<Param> params) {
        this.params = List.copyOf(params);
        Map<String, Param> m = new LinkedHashMap<>();
        params.forEach(p -> m.put(p.name(), p));
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * Starts a search space.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder(new ArrayList<>(), null, Set.of());
    }

    /**
     * Returns the parameters in definition order (a parent always comes before its children).
     *
     * @return the parameters
     */
    public List<Param> params() {
        return params;
    }

    /**
     * Returns one parameter.
     *
     * @param name the name
     * @return the parameter
     * @throws InvalidArgumentException if there is none
     */
    public Param param(String name) {
        Param p = byName.get(name);
        if (p == null) {
            throw new InvalidArgumentException("the search space has no parameter '" + name + "'; it has "
                    + byName.keySet());
        }
        return p;
    }

    /**
     * Tells whether the space has a parameter.
     *
     * @param name the name
     * @return true if it does
     */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * Tells whether a parameter is active given the values assigned so far (its parent's value must be assigned).
     *
     * @param param the parameter
     * @param assigned values of earlier parameters
     * @return true if the parameter takes part
     */
    public boolean isActive(Param param, Map<String, ?> assigned) {
        if (param.parent() == null) {
            return true;
        }
        Object parentValue = assigned.get(param.parent());
        return parentValue != null && param.parentValues().contains(parentValue);
    }

    /**
     * Checks that a complete assignment holds exactly the active parameters, each within its distribution.
     *
     * @param values the assignment
     * @throws InvalidArgumentException naming the first offending parameter
     */
    public void validate(Map<String, ?> values) {
        for (Param p : params) {
            boolean active = isActive(p, values);
            Object v = values.get(p.name());
            if (active && v == null) {
                throw new InvalidArgumentException("parameter '" + p.name() + "' is active but has no value");
            }
            if (!active && v != null) {
                throw new InvalidArgumentException("parameter '" + p.name() + "' is inactive (its parent '"
                        + p.parent() + "' is " + values.get(p.parent()) + ") but has the value " + v);
            }
            if (active && !p.distribution().contains(v)) {
                throw new InvalidArgumentException("value " + v + " of parameter '" + p.name()
                        + "' is outside " + p.distribution());
            }
        }
        for (String key : values.keySet()) {
            if (!byName.containsKey(key)) {
                throw new InvalidArgumentException("parameter '" + key + "' is not in the search space");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchSpace s && s.params.equals(params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    @Override
    public String toString() {
        return "SearchSpace" + params;
    }

    /** Adds parameters to a search space; the scope of {@link #when} adds conditional ones. Not thread-safe. */
    public static final class Builder {
        private final List<Param> params;
        private final String parent;
        private final Set<Object> parentValues;

        private Builder(List<Param> params, String parent, Set<Object> parentValues) {
            this.params = params;
            this.parent = parent;
            this.parentValues = parentValues;
        }

        /**
         * Adds a real parameter, uniform on {@code [low, high]}.
         *
         * @param name the name
         * @param low the lower bound
         * @param high the upper bound
         * @return this builder
         */
        public Builder uniform(String name, double low, double high) {
            return add(name, new Distribution.FloatRange(low, high, false, 0));
        }

        /**
         * Adds a real parameter, uniform on {@code [low, high]} in steps of {@code step} from {@code low}.
         *
         * @param name the name
         * @param low the lower bound
         * @param high the upper bound
         * @param step the spacing
         * @return this builder
         */
        public Builder uniform(String name, double low, double high, double step) {
            return add(name, new Distribution.FloatRange(low, high, false, step));
        }

        /**
         * Adds a real parameter spread evenly on a log scale over {@code [low, high]}.
         *
         * @param name the name
         * @param low the lower bound, positive
         * @param high the upper bound
         * @return this builder
         */
        public Builder logUniform(String name, double low, double high) {
            return add(name, new Distribution.FloatRange(low, high, true, 0));
        }

        /**
         * Adds a whole-number parameter on {@code [low, high]}.
         *
         * @param name the name
         * @param low the lower bound
         * @param high the upper bound
         * @return this builder
         */
        public Builder integer(String name, long low, long high) {
            return add(name, new Distribution.IntRange(low, high, false, 1));
        }

        /**
         * Adds a whole-number parameter on {@code [low, high]} in steps.
         *
         * @param name the name
         * @param low the lower bound
         * @param high the upper bound
         * @param step the spacing, at least 1
         * @return this builder
         */
        public Builder integer(String name, long low, long high, long step) {
            return add(name, new Distribution.IntRange(low, high, false, step));
        }

        /**
         * Adds a whole-number parameter spread on a log scale over {@code [low, high]}.
         *
         * @param name the name
         * @param low the lower bound, at least 1
         * @param high the upper bound
         * @return this builder
         */
        public Builder logInteger(String name, long low, long high) {
            return add(name, new Distribution.IntRange(low, high, true, 1));
        }

        /**
         * Adds a choice among values.
         *
         * @param name the name
         * @param choices strings, booleans, whole numbers or doubles
         * @return this builder
         */
        public Builder categorical(String name, Object... choices) {
            return add(name, new Distribution.Categorical(Arrays.asList(choices)));
        }

        /**
         * Adds a parameter with any distribution.
         *
         * @param name the name
         * @param distribution the distribution
         * @return this builder
         * @throws InvalidArgumentException if the name is malformed or already used
         */
        public Builder add(String name, Distribution distribution) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidArgumentException("parameter name '" + name
                        + "' must be 1 to 128 letters, digits, '_', '.', '-' or '/'");
            }
            if (params.stream().anyMatch(p -> p.name().equals(name))) {
                throw new InvalidArgumentException("parameter '" + name + "' is defined twice");
            }
            params.add(new Param(name, Objects.requireNonNull(distribution, "distribution"), parent, parentValues));
            return this;
        }

        /**
         * Adds parameters that are active only while a categorical parameter holds one of some values.
         *
         * @param parentName an earlier categorical parameter
         * @param value the parent's value (or one of several: pass a {@link java.util.Collection})
         * @param scope adds the conditional parameters
         * @return this builder
         * @throws InvalidArgumentException if the parent is unknown, not categorical, or lacks the value
         */
        public Builder when(String parentName, Object value, Consumer<Builder> scope) {
            Param p = params.stream().filter(q -> q.name().equals(parentName)).findFirst().orElseThrow(
                    () -> new InvalidArgumentException("condition on unknown parameter '" + parentName
                            + "'; define it first"));
            if (!(p.distribution() instanceof Distribution.Categorical c)) {
                throw new InvalidArgumentException("condition on '" + parentName
                        + "', which is not categorical");
            }
            List<Object> values = new ArrayList<>();
            if (value instanceof java.util.Collection<?> many) {
                values.addAll(many);
            } else {
                values.add(value);
            }
            List<Object> normalized = new ArrayList<>();
            for (Object v : values) {
                Object n = v instanceof Integer i ? (Object) i.longValue() : v;
                if (!c.contains(n)) {
                    throw new InvalidArgumentException("condition value " + v + " is not a choice of '" + parentName
                            + "' " + c.choices());
                }
                normalized.add(n);
            }
            scope.accept(new Builder(params, parentName, Set.copyOf(normalized)));
            return this;
        }

        /**
         * Builds the space.
         *
         * @return the space
         * @throws InvalidArgumentException if it has no parameters
         */
        public SearchSpace build() {
            if (parent != null) {
                throw new IllegalStateException("build() the outer builder, not the scope of when()");
            }
            if (params.isEmpty()) {
                throw new InvalidArgumentException("a search space needs at least one parameter");
            }
            return new SearchSpace(params);
        }
    }
}
