package dev.mlops.tracking.tribuo;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Schema;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Run;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.MetricID;

/**
 * Logs Tribuo training into a tracked run: the trainer's provenance flattened into params, the training and
 * evaluation datasets as inputs, evaluation metrics, and the model as a protobuf artifact with its provenance as
 * JSON. Stateless and thread-safe.
 */
public final class TribuoTracking {
    /** The artifact path of a logged model's protobuf file. */
    public static final String MODEL_FILE = "model/model.tribuo";
    /** The artifact path of a logged model's provenance as JSON. */
    public static final String PROVENANCE_FILE = "model/provenance.json";

    private static final Set<String> SKIPPED_KEYS = Set.of("host-short-name");

    private TribuoTracking() {
    }

    /**
     * Trains a classifier, evaluates it on held-out data and logs everything into the run.
     *
     * @param run the run to log into
     * @param trainer the trainer
     * @param train the training data
     * @param test the held-out data
     * @return the trained model
     */
    public static Model<Label> trainAndLog(Run run, Trainer<Label> trainer, Dataset<Label> train, Dataset<Label> test) {
        logDataset(run, train, "training");
        long start = System.nanoTime();
        Model<Label> model = trainer.train(train);
        run.logMetric("training_time_ms", (System.nanoTime() - start) / 1e6);
        logDataset(run, test, "evaluation");
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        logModel(run, model);
        logEvaluation(run, evaluation, "");
        return model;
    }

    /**
     * Logs an existing model: its trainer provenance as params and the model itself as artifacts.
     *
     * @param run the run to log into
     * @param model the model
     */
    public static void logModel(Run run, Model<?> model) {
        Map<String, String> params = new LinkedHashMap<>();
        flatten("trainer", model.getProvenance().getTrainerProvenance(), params);
        params.put("model.class", model.getClass().getName());
        params.put("model.features", Integer.toString(model.getFeatureIDMap().size()));
        params.put("model.outputs", Integer.toString(model.getOutputIDInfo().size()));
        run.logParams(params);
        run.logBytes(model.serialize().toByteArray(), MODEL_FILE);
        run.logText(new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()), PROVENANCE_FILE);
    }

    /**
     * Logs evaluation metrics. For a classification evaluation: {@code accuracy}, {@code macro_f1},
     * {@code micro_f1}, {@code balanced_error_rate}, and for two classes {@code auc} of the second label in sorted
     * order (when the model gives probabilities); for any other evaluation, every metric Tribuo reports.
     *
     * @param run the run to log into
     * @param evaluation the evaluation
     * @param prefix prepended to every metric name, for instance {@code "test."}; may be empty
     */
    public static void logEvaluation(Run run, Evaluation<?> evaluation, String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (evaluation instanceof LabelEvaluation e) {
            metrics.put("accuracy", e.accuracy());
            metrics.put("macro_f1", e.macroAveragedF1());
            metrics.put("micro_f1", e.microAveragedF1());
            metrics.put("balanced_error_rate", e.balancedErrorRate());
            List<Label> labels = new ArrayList<>(e.getConfusionMatrix().getDomain().getDomain());
            labels.sort((a, b) -> a.getLabel().compareTo(b.getLabel()));
            if (labels.size() == 2) {
                try {
                    metrics.put("auc", e.AUCROC(labels.get(1)));
                } catch (UnsupportedOperationException | IllegalArgumentException noProbabilities) {
                    // The model gives no probabilities (or the test set one class only): no AUC to report.
                }
            }
        } else {
            for (Map.Entry<? extends MetricID<?>, Double> m : evaluation.asMap().entrySet()) {
                String name = (m.getKey().getA() + "." + m.getKey().getB()).replaceAll("[^\\w/.\\- ]", "_");
                metrics.put(name, m.getValue());
            }
        }
        metrics.forEach((k, v) -> run.logMetric(prefix + k, v));
    }

    /**
     * Records a Tribuo dataset as an input of the run: a digest over its examples, its features as the schema, and
     * its data-source provenance as the source.
     *
     * @param run the run
     * @param dataset the dataset
     * @param context its role, for instance {@code "training"}
     * @param <T> the output type
     */
    public static <T extends Output<T>> void logDataset(Run run, Dataset<T> dataset, String context) {
        Set<String> featureNames = new TreeSet<>(dataset.getFeatureIDMap().keySet());
        List<Field> fields = new ArrayList<>();
        for (String f : featureNames) {
            fields.add(Field.of(f, DataType.DOUBLE));
        }
        fields.add(Field.of("output", DataType.STRING));
        String source = dataset.getSourceProvenance().toString();
        run.logInput(new DatasetInput(datasetName(dataset), digest(dataset), Schema.of(fields), "tribuo",
                source.length() > 2000 ? source.substring(0, 2000) : source, context));
    }

    private static <T extends Output<T>> String datasetName(Dataset<T> dataset) {
        String name = dataset.getSourceProvenance().getClassName();
        int dot = name.lastIndexOf('.');
        return name.substring(dot + 1) + "-" + dataset.size();
    }

    /** SHA-256 over every example's output and features, in order. */
    static <T extends Output<T>> String digest(Dataset<T> dataset) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Example<T> ex : dataset) {
                sha.update(ex.getOutput().toString().getBytes(StandardCharsets.UTF_8));
                for (Feature f : ex) {
                    sha.update(f.getName().getBytes(StandardCharsets.UTF_8));
                    long bits = Double.doubleToLongBits(f.getValue());
                    for (int s = 56; s >= 0; s -= 8) {
                        sha.update((byte) (bits >>> s));
                    }
                }
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Flattens a provenance tree into dotted keys, for instance {@code trainer.optimiser.initialLearningRate}.
     *
     * @param prefix the key prefix
     * @param provenance the provenance
     * @param out where the keys and values go
     */
    public static void flatten(String prefix, Provenance provenance, Map<String, String> out) {
        if (provenance instanceof ObjectProvenance object) {
            for (Pair<String, Provenance> p : object) {
                if (!SKIPPED_KEYS.contains(p.getA())) {
                    flatten(prefix + "." + p.getA(), p.getB(), out);
                }
            }
        } else if (provenance instanceof ListProvenance<?> list) {
            int i = 0;
            for (Provenance item : list) {
                flatten(prefix + "." + i++, item, out);
            }
        } else if (provenance instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> p : map) {
                flatten(prefix + "." + p.getA(), p.getB(), out);
            }
        } else if (provenance instanceof PrimitiveProvenance<?> primitive) {
            String key = prefix.replaceAll("[^\\w/.\\- ]", "_");
            String value = String.valueOf(primitive.getValue());
            out.put(key.length() > 250 ? key.substring(0, 250) : key, value.length() > 6000 ? value.substring(0, 6000)
                    : value);
        }
    }
}
