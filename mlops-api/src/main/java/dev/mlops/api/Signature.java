package dev.mlops.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The input and output schema of a model. {@link #check(Frame)} compares a frame with the inputs and reports every
 * mismatch at once.
 *
 * <p>A long column is accepted where a double input is declared (the widening is exact below 2<sup>53</sup>); any
 * other type difference is a mismatch. A required (non-nullable) input accepts neither nulls nor, for doubles, NaN.
 * Immutable and thread-safe.
 *
 * @param inputs the columns a model reads
 * @param outputs the columns a model produces, or {@code null} when not declared
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signature(Schema inputs, Schema outputs) {
    /**
     * Validates the signature.
     *
     * @throws NullPointerException if the inputs are null
     */
    @JsonCreator
    public Signature(@JsonProperty("inputs") Schema inputs, @JsonProperty("outputs") Schema outputs) {
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.outputs = outputs;
    }

    /**
     * Creates a signature that declares inputs only.
     *
     * @param inputs the input schema
     * @return the signature
     */
    public static Signature of(Schema inputs) {
        return new Signature(inputs, null);
    }

    /**
     * Creates a signature from example frames.
     *
     * @param inputExample a frame of model inputs
     * @param outputExample a frame of model outputs, or {@code null}
     * @return a signature with the examples' schemas
     */
    public static Signature infer(Frame inputExample, Frame outputExample) {
        return new Signature(inputExample.schema(), outputExample == null ? null : outputExample.schema());
    }

    /**
     * Returns the output schema, if declared.
     *
     * @return the outputs, or empty
     */
    public Optional<Schema> outputSchema() {
        return Optional.ofNullable(outputs);
    }

    /**
     * Lists every way a frame differs from the inputs: missing columns, wrong types, nulls in non-nullable columns,
     * and columns the signature does not declare.
     *
     * @param frame the candidate input
     * @return the mismatches, empty when the frame fits
     */
    public List<Mismatch> mismatches(Frame frame) {
        List<Mismatch> out = new ArrayList<>();
        Schema actual = frame.schema();
        for (Field expected : inputs.fields()) {
            Optional<Field> found = actual.find(expected.name());
            if (found.isEmpty()) {
                out.add(new Mismatch(MismatchKind.MISSING_COLUMN, expected.name(),
                        "expected " + expected.type().jsonName() + " column is missing"));
                continue;
            }
            DataType type = found.get().type();
            if (type != expected.type() && !(type == DataType.LONG && expected.type() == DataType.DOUBLE)) {
                out.add(new Mismatch(MismatchKind.WRONG_TYPE, expected.name(),
                        "expected " + expected.type().jsonName() + " but got " + type.jsonName()));
                continue;
            }
            Column c = frame.column(expected.name());
            if (!expected.nullable() && c.nullCount() > 0) {
                int first = 0;
                while (!c.isNull(first)) {
                    first++;
                }
                out.add(new Mismatch(MismatchKind.NULL_NOT_ALLOWED, expected.name(),
                        c.nullCount() + " null values (first at row " + first + ") in a required column"));
            }
            if (!expected.nullable() && c instanceof DoubleColumn d) {
                int nan = 0;
                int first = -1;
                for (int r = 0; r < d.size(); r++) {
                    if (!d.isNull(r) && Double.isNaN(d.getDouble(r))) {
                        nan++;
                        first = first < 0 ? r : first;
                    }
                }
                if (nan > 0) {
                    out.add(new Mismatch(MismatchKind.NAN_NOT_ALLOWED, expected.name(),
                            nan + " NaN values (first at row " + first + ") in a required column"));
                }
            }
        }
        for (Field f : actual.fields()) {
            if (!inputs.contains(f.name())) {
                out.add(new Mismatch(MismatchKind.UNEXPECTED_COLUMN, f.name(),
                        "column is not an input of the signature " + inputs.names()));
            }
        }
        return out;
    }

    /**
     * Checks that a frame fits the inputs.
     *
     * @param frame the candidate input
     * @throws SignatureMismatchException listing every mismatch, if there is any
     */
    public void check(Frame frame) {
        List<Mismatch> found = mismatches(frame);
        if (!found.isEmpty()) {
            throw new SignatureMismatchException(found);
        }
    }

    /** The kinds of difference between a frame and a signature. */
    public enum MismatchKind {
        /** A declared input column is absent. */
        MISSING_COLUMN,
        /** A column has another type than declared. */
        WRONG_TYPE,
        /** A column declared non-nullable holds nulls. */
        NULL_NOT_ALLOWED,
        /** A double column declared non-nullable holds NaN, which a required input must not be. */
        NAN_NOT_ALLOWED,
        /** A column is not declared at all. */
        UNEXPECTED_COLUMN
    }

    /**
     * One difference between a frame and a signature.
     *
     * @param kind what kind of difference
     * @param column the column concerned
     * @param detail a human-readable explanation
     */
    public record Mismatch(MismatchKind kind, String column, String detail) {
        /**
         * Validates the mismatch.
         *
         * @throws NullPointerException if a part is null
         */
        public Mismatch {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return "'" + column + "': " + detail;
        }
    }
}
