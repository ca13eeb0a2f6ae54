package dev.mlops.benchmarks;

import dev.mlops.registry.ModelPackage;
import java.nio.file.Path;
import java.util.Random;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** A logistic regression over 30 features (the width of the breast-cancer data), packaged with its ONNX export. */
final class ServingModels {
    static final int FEATURES = 30;

    private ServingModels() {
    }

    static ModelPackage logistic30(Path dir) {
        String[] names = new String[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            names[i] = String.format("f%02d", i);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("bench", factory), factory);
        Random rnd = new Random(3);
        for (int r = 0; r < 500; r++) {
            boolean pos = rnd.nextBoolean();
            double[] v = new double[FEATURES];
            for (int i = 0; i < FEATURES; i++) {
                v[i] = (pos ? 0.5 : -0.5) + rnd.nextGaussian();
            }
            ds.add(new ArrayExample<>(new Label(pos ? "pos" : "neg"), names, v));
        }
        return ModelPackage.builder().tribuo(new LogisticRegressionTrainer().train(ds)).build(dir);
    }

    static float[][] rows(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] rows = new float[n][FEATURES];
        for (float[] row : rows) {
            for (int i = 0; i < FEATURES; i++) {
                row[i] = (float) rnd.nextGaussian();
            }
        }
        return rows;
    }
}
