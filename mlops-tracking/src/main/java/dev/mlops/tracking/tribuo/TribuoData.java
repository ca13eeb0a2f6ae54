package dev.mlops.tracking.tribuo;

import dev.mlops.api.BooleanColumn;
import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.LongColumn;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Converts frames into Tribuo datasets. Stateless and thread-safe.
 */
public final class TribuoData {
    private TribuoData() {
    }

    /**
     * Builds a classification dataset: every numeric or boolean column except the target is a feature (booleans as
     * 0 and 1), and the target's values, as text, are the labels. The dataset's provenance names the frame's digest.
     *
     * @param frame the data
     * @param target the label column (string, long or boolean)
     * @return a dataset with one example per row
     * @throws InvalidArgumentException if the target is missing or null somewhere, a feature holds nulls or NaN, or
     *     there are no feature columns; the message names the column and row
     */
    public static MutableDataset<Label> classification(Frame frame, String target) {
        Column labels = frame.column(target);
        if (labels.type() == DataType.DOUBLE) {
            throw new InvalidArgumentException("target '" + target + "' is a double column; classification needs "
                    + "string, long or boolean labels");
        }
        LabelFactory factory = new LabelFactory();
        return build(frame, target, factory, r -> new Label(String.valueOf(labels.get(r))));
    }

    /**
     * Builds a regression dataset: every numeric or boolean column except the target is a feature (booleans as 0 and
     * 1), and the target's value is the single regression output, named after the column. The dataset's provenance
     * names the frame's digest.
     *
     * @param frame the data
     * @param target the numeric target column (double or long)
     * @return a dataset with one example per row
     * @throws InvalidArgumentException if the target is not numeric or is null, NaN or infinite somewhere, a feature
     *     holds nulls or NaN, or there are no feature columns; the message names the column and row
     */
    public static MutableDataset<Regressor> regression(Frame frame, String target) {
        Column values = frame.column(target);
        if (values.type() != DataType.DOUBLE && values.type() != DataType.LONG) {
            throw new InvalidArgumentException("target '" + target + "' is a " + values.type().name().toLowerCase(
                    java.util.Locale.ROOT) + " column; regression needs a double or long target");
        }
        RegressionFactory factory = new RegressionFactory();
        return build(frame, target, factory, r -> {
            double v = ((Number) values.get(r)).doubleValue();
            if (!Double.isFinite(v)) {
                throw new InvalidArgumentException("target '" + target + "' is " + v + " at row " + r);
            }
            return new Regressor(target, v);
        });
    }

    private static <T extends Output<T>> MutableDataset<T> build(Frame frame, String target, OutputFactory<T> factory,
            java.util.function.IntFunction<T> output) {
        Column targetColumn = frame.column(target);
        List<String> names = new ArrayList<>();
        List<Column> features = new ArrayList<>();
        for (Field f : frame.schema().fields()) {
            if (f.name().equals(target)) {
                continue;
            }
            if (f.type() == DataType.DOUBLE || f.type() == DataType.LONG || f.type() == DataType.BOOLEAN) {
                names.add(f.name());
                features.add(frame.column(f.name()));
            }
        }
        if (names.isEmpty()) {
            throw new InvalidArgumentException("frame has no numeric or boolean feature columns besides '" + target
                    + "': " + frame.schema().names());
        }
        MutableDataset<T> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("mlops-frame:" + frame.digest(), factory), factory);
        String[] featureNames = names.toArray(String[]::new);
        for (int r = 0; r < frame.rowCount(); r++) {
            if (targetColumn.isNull(r)) {
                throw new InvalidArgumentException("target '" + target + "' is null at row " + r);
            }
            double[] values = new double[featureNames.length];
            for (int c = 0; c < values.length; c++) {
                values[c] = value(features.get(c), featureNames[c], r);
            }
            dataset.add(new ArrayExample<>(output.apply(r), featureNames, values));
        }
        return dataset;
    }

    private static double value(Column c, String name, int row) {
        if (c.isNull(row)) {
            throw new InvalidArgumentException("feature '" + name + "' is null at row " + row
                    + "; impute or drop missing values first");
        }
        double v;
        if (c instanceof DoubleColumn d) {
            v = d.getDouble(row);
        } else if (c instanceof LongColumn l) {
            v = l.getLong(row);
        } else {
            v = ((BooleanColumn) c).getBoolean(row) ? 1.0 : 0.0;
        }
        if (Double.isNaN(v)) {
            throw new InvalidArgumentException("feature '" + name + "' is NaN at row " + row);
        }
        return v;
    }
}
