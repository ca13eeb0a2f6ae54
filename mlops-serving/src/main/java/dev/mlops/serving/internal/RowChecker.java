package dev.mlops.serving.internal;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Signature;
import dev.mlops.api.SignatureMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks input against a signature and turns it into dense float rows in the model's input order. Every mismatch of
 * a row is reported together. Thread-safe.
 */
public final class RowChecker {
    private final Signature signature;
    private final String[] order;
    private final Field[] fields;

    /**
     * Creates a checker.
     *
     * @param signature the model's signature
     * @param inputOrder the model's input columns, each of which the signature must declare
     */
    public RowChecker(Signature signature, List<String> inputOrder) {
        this.signature = signature;
        this.order = inputOrder.toArray(String[]::new);
        this.fields = new Field[order.length];
        for (int i = 0; i < order.length; i++) {
            String column = order[i];
            Field f = signature.inputs().find(column).orElseThrow(() -> new InvalidArgumentException(
                    "the model reads column '" + column + "' that its signature does not declare"));
            if (f.type() == DataType.STRING || f.type() == DataType.TIMESTAMP) {
                throw new InvalidArgumentException("column '" + f.name() + "' is " + f.type().jsonName()
                        + "; served models take numeric and boolean inputs");
            }
            fields[i] = f;
        }
    }

    /**
     * Returns the input columns in model order.
     *
     * @return the names
     */
    public List<String> order() {
        return List.of(order);
    }

    /**
     * Checks one row given as a map and converts it.
     *
     * @param row values by column name
     * @return the dense row
     * @throws SignatureMismatchException listing every problem of the row
     */
    public float[] row(Map<String, ?> row) {
        List<Signature.Mismatch> problems = null;
        float[] out = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            Object v = row.get(order[i]);
            String problem = null;
            Signature.MismatchKind kind = null;
            if (v == null) {
                if (!row.containsKey(order[i])) {
                    kind = Signature.MismatchKind.MISSING_COLUMN;
                    problem = "expected " + fields[i].type().jsonName() + " value is missing";
                } else {
                    kind = Signature.MismatchKind.NULL_NOT_ALLOWED;
                    problem = "null where a value is required";
                }
            } else if (v instanceof Number n) {
                if (fields[i].type() == DataType.BOOLEAN) {
                    kind = Signature.MismatchKind.WRONG_TYPE;
                    problem = "expected boolean but got number " + v;
                } else if (Double.isNaN(n.doubleValue())) {
                    kind = Signature.MismatchKind.NAN_NOT_ALLOWED;
                    problem = "NaN where a value is required";
                } else if (fields[i].type() == DataType.LONG && n.doubleValue() != Math.rint(n.doubleValue())) {
                    kind = Signature.MismatchKind.WRONG_TYPE;
                    problem = "expected long but got " + v;
                } else {
                    out[i] = n.floatValue();
                }
            } else if (v instanceof Boolean b && fields[i].type() == DataType.BOOLEAN) {
                out[i] = b ? 1f : 0f;
            } else {
                kind = Signature.MismatchKind.WRONG_TYPE;
                problem = "expected " + fields[i].type().jsonName() + " but got " + v.getClass().getSimpleName()
                        + " '" + v + "'";
            }
            if (problem != null) {
                if (problems == null) {
                    problems = new ArrayList<>();
                }
                problems.add(new Signature.Mismatch(kind, order[i], problem));
            }
        }
        if (row.size() > order.length || problems != null) {
            for (String key : row.keySet()) {
                if (!signature.inputs().contains(key)) {
                    if (problems == null) {
                        problems = new ArrayList<>();
                    }
                    problems.add(new Signature.Mismatch(Signature.MismatchKind.UNEXPECTED_COLUMN, key,
                            "column is not an input of the signature " + signature.inputs().names()));
                }
            }
        }
        if (problems != null) {
            throw new SignatureMismatchException(problems);
        }
        return out;
    }

    /**
     * Checks a frame and converts it.
     *
     * @param frame the input rows
     * @return dense rows
     * @throws SignatureMismatchException listing every mismatch
     */
    public float[][] frame(Frame frame) {
        signature.check(frame);
        float[][] out = new float[frame.rowCount()][order.length];
        for (int c = 0; c < order.length; c++) {
            Column col = frame.column(order[c]);
            for (int r = 0; r < out.length; r++) {
                if (col.isNull(r)) {
                    throw new SignatureMismatchException(List.of(new Signature.Mismatch(
                            Signature.MismatchKind.NULL_NOT_ALLOWED, order[c], "null at row " + r
                            + "; served models need every input")));
                }
                out[r][c] = switch (col.type()) {
                    case DOUBLE -> (float) ((DoubleColumn) col).getDouble(r);
                    case LONG -> (float) ((LongColumn) col).getLong(r);
                    case BOOLEAN -> ((BooleanColumn) col).getBoolean(r) ? 1f : 0f;
                    default -> throw new IllegalStateException("unexpected type " + col.type());
                };
            }
        }
        return out;
    }
}
