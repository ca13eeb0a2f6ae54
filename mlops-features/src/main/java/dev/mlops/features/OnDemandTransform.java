package dev.mlops.features;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request-time transformation written in Java: it computes new features from stored features and from data that
 * arrives with the request (an amount, a query), the same way for training sets and for online reads.
 *
 * <pre>{@code
 * store.apply(OnDemandTransform.builder("radius_change")
 *         .input("tumour_stats", "mean_radius")
 *         .requestField("measured_radius", DataType.DOUBLE)
 *         .output("radius_change", DataType.DOUBLE)
 *         .compute((in, out) -> out.set("radius_change",
 *                 in.getDouble("measured_radius") - in.getDouble("mean_radius")))
 *         .build());
 * }</pre>
 *
 * <p>The definition (inputs, request fields, outputs, code version) is stored and versioned like every other; the
 * function itself is Java code and is never stored or serialized, so each process that reads a service using the
 * transform applies it at start-up. Change {@link Builder#codeVersion(String)} when the function changes, so the
 * definition's version (recorded with every training set) changes too. Inputs that are missing or expired reach the
 * function as null. Immutable; thread-safe when the function is.
 */
public final class OnDemandTransform {
    private final String name;
    private final List<FeatureRef> inputs;
    private final List<Feature> requestFields;
    private final List<Feature> outputs;
    private final String codeVersion;
    private final String owner;
    private final String description;
    private final Map<String, String> tags;
    private final int version;
    private final Compute compute;

    /** The function: reads inputs, writes outputs. Called concurrently from several threads. */
    @FunctionalInterface
    public interface Compute {
        /**
         * Computes the outputs of one row.
         *
         * @param in the inputs (features and request fields) by name
         * @param out where the outputs go; an output not set is null
         */
        void apply(Inputs in, Outputs out);
    }

    /** The inputs of one row, by feature or request-field name. Valid only during the call. */
    public interface Inputs {
        /**
         * Returns an input.
         *
         * @param input the name
         * @return the value (Double, Long, Boolean, String or Instant), or null when it is missing
         * @throws InvalidArgumentException if the transform declares no such input
         */
        Object get(String input);

        /**
         * Returns whether an input is null (missing, expired or null).
         *
         * @param input the name
         * @return true if there is no value
         */
        default boolean isNull(String input) {
            return get(input) == null;
        }

        /**
         * Returns a numeric input as a double.
         *
         * @param input the name
         * @return the value, or NaN when it is null
         */
        default double getDouble(String input) {
            Object v = get(input);
            return v == null ? Double.NaN : ((Number) v).doubleValue();
        }

        /**
         * Returns a long input.
         *
         * @param input the name
         * @param ifNull the value to return when the input is null
         * @return the value
         */
        default long getLong(String input, long ifNull) {
            Object v = get(input);
            return v == null ? ifNull : ((Number) v).longValue();
        }

        /**
         * Returns a string input.
         *
         * @param input the name
         * @return the value, or null
         */
        default String getString(String input) {
            Object v = get(input);
            return v == null ? null : v.toString();
        }

        /**
         * Returns a timestamp input.
         *
         * @param input the name
         * @return the value, or null
         */
        default Instant getInstant(String input) {
            return (Instant) get(input);
        }
    }

    /** The outputs of one row. Valid only during the call. */
    public interface Outputs {
        /**
         * Sets an output.
         *
         * @param output the name
         * @param value a value of the output's type (any Number for a double), or null
         * @throws InvalidArgumentException if there is no such output or the value has the wrong type
         */
        void set(String output, Object value);
    }

    private OnDemandTransform(Builder b) {
        this.name = Names.definition("on-demand transform", b.name);
        this.inputs = List.copyOf(b.inputs);
        this.requestFields = List.copyOf(b.requestFields);
        this.outputs = List.copyOf(b.outputs);
        if (outputs.isEmpty()) {
            throw new InvalidArgumentException("on-demand transform '" + name + "' needs at least one output");
        }
        if (inputs.isEmpty() && requestFields.isEmpty()) {
            throw new InvalidArgumentException("on-demand transform '" + name + "' needs at least one input or request "
                    + "field");
        }
        Names.ColumnSet columns = new Names.ColumnSet("on-demand transform '" + name + "'");
        for (FeatureRef r : inputs) {
            if (r.isAll()) {
                throw new InvalidArgumentException("on-demand transform '" + name + "' must name its inputs one by one, "
                        + "not '" + r + "'");
            }
            columns.add("input", r.feature());
        }
        for (Feature f : requestFields) {
            columns.add("request field", f.name());
        }
        for (Feature f : outputs) {
            columns.add("output", f.name());
        }
        this.codeVersion = Names.text("code version of on-demand transform '" + name + "'", b.codeVersion);
        this.owner = Names.owner("on-demand transform '" + name + "'", b.owner);
        this.description = Names.text("description of on-demand transform '" + name + "'", b.description);
        this.tags = Names.tags("on-demand transform '" + name + "'", b.tags);
        this.version = b.version;
        this.compute = b.compute;
    }

    /**
     * Starts a transform definition.
     *
     * @param name the transform's name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the stored features the transform reads.
     *
     * @return the inputs
     */
    public List<FeatureRef> inputs() {
        return inputs;
    }

    /**
     * Returns the fields that arrive with each request (columns of the entity rows).
     *
     * @return the request fields
     */
    public List<Feature> requestFields() {
        return requestFields;
    }

    /**
     * Returns the outputs.
     *
     * @return the outputs
     */
    public List<Feature> outputs() {
        return outputs;
    }

    /**
     * Returns the label of the function's code.
     *
     * @return the code version, or null
     */
    public String codeVersion() {
        return codeVersion;
    }

    /**
     * Returns the owner.
     *
     * @return the owner, or null
     */
    public String owner() {
        return owner;
    }

    /**
     * Returns the description.
     *
     * @return the description, or null
     */
    public String description() {
        return description;
    }

    /**
     * Returns the tags.
     *
     * @return the tags, sorted by key
     */
    public Map<String, String> tags() {
        return tags;
    }

    /**
     * Returns the stored version.
     *
     * @return the version, or 0 for a definition not yet applied
     */
    public int version() {
        return version;
    }

    /**
     * Returns whether this object carries the function (a definition read back from storage does not).
     *
     * @return true if {@link #apply(Map)} can run
     */
    public boolean hasFunction() {
        return compute != null;
    }

    Compute function() {
        return compute;
    }

    /**
     * Runs the function on one row given as a map, for testing a transform on its own.
     *
     * @param row the inputs and request fields by name; absent names are null
     * @return the outputs by name, in declaration order
     * @throws InvalidArgumentException if the function fails or sets a wrong value, naming the transform
     * @throws IllegalStateException if this definition carries no function
     */
    public Map<String, Object> apply(Map<String, ?> row) {
        TransformRunner runner = new TransformRunner(this);
        Object[] in = new Object[runner.inputCount()];
        for (int i = 0; i < in.length; i++) {
            in[i] = row.get(runner.inputName(i));
        }
        Object[] out = runner.run(in, "row " + row);
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            result.put(outputs.get(i).name(), out[i]);
        }
        return Collections.unmodifiableMap(result);
    }

    OnDemandTransform withVersion(int newVersion) {
        Builder b = toBuilder();
        b.version = newVersion;
        return new OnDemandTransform(b);
    }

    OnDemandTransform withFunction(Compute function) {
        Builder b = toBuilder();
        b.version = version;
        b.compute = function;
        return new OnDemandTransform(b);
    }

    /**
     * Returns a builder holding this definition and function, to derive a changed one.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.inputs.addAll(inputs);
        b.requestFields.addAll(requestFields);
        b.outputs.addAll(outputs);
        b.codeVersion = codeVersion;
        b.owner = owner;
        b.description = description;
        b.tags.putAll(tags);
        b.compute = compute;
        return b;
    }

    /**
     * Compares definitions, ignoring the function (which has no identity beyond its code version).
     *
     * @param o the other object
     * @return true if the definitions are the same
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof OnDemandTransform t && t.name.equals(name) && t.inputs.equals(inputs)
                && t.requestFields.equals(requestFields) && t.outputs.equals(outputs)
                && Objects.equals(t.codeVersion, codeVersion) && Objects.equals(t.owner, owner)
                && Objects.equals(t.description, description) && t.tags.equals(tags) && t.version == version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inputs, requestFields, outputs, codeVersion, version);
    }

    @Override
    public String toString() {
        return "OnDemandTransform[" + name + " v" + version + ": " + inputs + " + " + requestFields + " -> " + outputs
                + "]";
    }

    /** Builds an {@link OnDemandTransform}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<FeatureRef> inputs = new ArrayList<>();
        private final List<Feature> requestFields = new ArrayList<>();
        private final List<Feature> outputs = new ArrayList<>();
        private String codeVersion;
        private String owner;
        private String description;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private int version;
        private Compute compute;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Adds stored features as inputs.
         *
         * @param view the view's name
         * @param features the features
         * @return this builder
         */
        public Builder input(String view, String... features) {
            for (String f : features) {
                inputs.add(new FeatureRef(view, f));
            }
            return this;
        }

        /**
         * Adds a field that arrives with each request.
         *
         * @param field the field's name
         * @param type its type
         * @return this builder
         */
        public Builder requestField(String field, DataType type) {
            requestFields.add(Feature.of(field, type));
            return this;
        }

        /**
         * Adds an output.
         *
         * @param output the output's name
         * @param type its type
         * @return this builder
         */
        public Builder output(String output, DataType type) {
            outputs.add(Feature.of(output, type));
            return this;
        }

        /**
         * Sets the function.
         *
         * @param function the function
         * @return this builder
         */
        public Builder compute(Compute function) {
            this.compute = Objects.requireNonNull(function, "function");
            return this;
        }

        /**
         * Sets a label for the function's code; change it whenever the function changes.
         *
         * @param label for instance {@code "2"} or a commit id
         * @return this builder
         */
        public Builder codeVersion(String label) {
            this.codeVersion = label;
            return this;
        }

        /**
         * Sets the owner.
         *
         * @param who a person or a team
         * @return this builder
         */
        public Builder owner(String who) {
            this.owner = who;
            return this;
        }

        /**
         * Sets the description.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /**
         * Adds a tag.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * Builds the transform.
         *
         * @return the transform, version 0
         * @throws InvalidArgumentException if the definition is invalid or has no function
         */
        public OnDemandTransform build() {
            if (compute == null) {
                throw new InvalidArgumentException("on-demand transform '" + name + "' needs a function: call compute(...)");
            }
            return new OnDemandTransform(this);
        }

        OnDemandTransform buildDefinition(int storedVersion) {
            this.version = storedVersion;
            return new OnDemandTransform(this);
        }
    }
}
