package dev.mlops.serving.internal;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/** Runs a Tribuo model in the JVM. Tribuo models are immutable, so one instance serves every thread. */
public final class TribuoRunner<T extends Output<T>> implements ModelRunner {
    private final Model<T> model;
    private final String[] features;
    private final List<String> outputs;
    private final boolean classifier;
    /** Examples need an output; prediction ignores it, so any output of the model's domain serves. */
    private final T placeholder;

    /**
     * Wraps a model.
     *
     * @param model the model
     * @param features the input columns
     * @param outputs the output names in the model's output id order
     */
    public TribuoRunner(Model<T> model, List<String> features, List<String> outputs) {
        this.model = model;
        this.features = features.toArray(String[]::new);
        this.outputs = List.copyOf(outputs);
        this.classifier = model.validate(Label.class);
        if (!classifier) {
            throw new InvalidArgumentException("the Tribuo flavor is served for classification models; "
                    + model.getClass().getName() + " predicts another output type: serve its ONNX flavor instead");
        }
        this.placeholder = model.getOutputIDInfo().getDomain().iterator().next();
    }

    @Override
    public List<String> inputs() {
        return List.of(features);
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    @Override
    public boolean classifier() {
        return classifier;
    }

    @Override
    public String engine() {
        return "tribuo";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public float[][] run(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            double[] values = new double[features.length];
            for (int c = 0; c < values.length; c++) {
                values[c] = rows[r][c];
            }
            Example<T> example = new ArrayExample<>(placeholder, features, values);
            Prediction<T> p = model.predict(example);
            out[r] = scores(p);
        }
        return out;
    }

    private float[] scores(Prediction<T> p) {
        float[] s = new float[outputs.size()];
        Map<String, T> scores = p.getOutputScores();
        if (scores.isEmpty()) {
            // A model without probabilities still names its label: give it all the mass.
            s[outputs.indexOf(((Label) p.getOutput()).getLabel())] = 1f;
            return s;
        }
        for (int k = 0; k < s.length; k++) {
            T o = scores.get(outputs.get(k));
            s[k] = o == null ? 0f : (float) ((Label) o).getScore();
        }
        return s;
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
