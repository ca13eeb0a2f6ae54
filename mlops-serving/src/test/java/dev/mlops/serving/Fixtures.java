package dev.mlops.serving;

import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.registry.ModelPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Seeded models and packages for the serving tests. */
final class Fixtures {
    static final String[] FEATURES = {"f0", "f1", "f2"};

    private Fixtures() {
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
        return new LogisticRegressionTrainer().train(data(300, seed));
    }

    static ModelPackage logisticPackage(Path dir, long seed) {
        return ModelPackage.builder().tribuo(logistic(seed)).metrics(Map.of("auc", 0.95)).build(dir);
    }

    static ModelPackage treePackage(Path dir) {
        return ModelPackage.builder().tribuo(new CARTClassificationTrainer(3).train(data(300, 4))).build(dir);
    }

    /** The TorchScript MLP traced by src/test/resources/torchscript/make_model.py: 3 inputs, 2 softmax outputs. */
    static ModelPackage torchScriptPackage(Path dir) throws IOException {
        Path pt = dir.resolveSibling(dir.getFileName() + "-model.pt");
        try (InputStream in = Fixtures.class.getResourceAsStream("/torchscript/model.pt")) {
            Files.copy(in, pt);
        }
        Signature sig = new Signature(Schema.of(Field.required("f0", DataType.DOUBLE),
                Field.required("f1", DataType.DOUBLE), Field.required("f2", DataType.DOUBLE)),
                Schema.of(Field.required("label", DataType.STRING)));
        return ModelPackage.builder().torchScript(pt, Map.of("outputs", List.of("a", "b"), "classifier", true))
                .signature(sig).build(dir);
    }

    static Map<String, Object> row(double f0, double f1, double f2) {
        return Map.of("f0", f0, "f1", f1, "f2", f2);
    }
}
