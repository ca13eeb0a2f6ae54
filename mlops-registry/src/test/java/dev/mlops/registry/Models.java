package dev.mlops.registry;

import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Small seeded Tribuo models for tests. */
final class Models {
    static final String[] FEATURES = {"f0", "f1", "f2"};

    private Models() {
    }

    static MutableDataset<Label> data(int rows, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("blobs-" + seed, factory), factory);
        Random rnd = new Random(seed);
        for (int i = 0; i < rows; i++) {
            boolean pos = rnd.nextBoolean();
            double s = pos ? 1.5 : -1.5;
            ds.add(new ArrayExample<>(new Label(pos ? "pos" : "neg"), FEATURES,
                    new double[] {s + rnd.nextGaussian(), -s + rnd.nextGaussian(), rnd.nextGaussian()}));
        }
        return ds;
    }

    static Model<Label> logistic(long seed) {
        return new LogisticRegressionTrainer().train(data(200, seed));
    }

    static Model<Label> tree() {
        return new CARTClassificationTrainer(3).train(data(200, 5));
    }
}
