package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.SignatureMismatchException;
import dev.mlops.api.spi.DatasetRef;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;

class ModelPackageTest {
    @TempDir
    Path dir;

    private ModelPackage logisticPackage(Path where) {
        return ModelPackage.builder()
                .tribuo(Models.logistic(1))
                .inputExample(Frame.builder().doubles("f0", 1.0).doubles("f1", -1.0).doubles("f2", 0.5).build())
                .metrics(Map.of("auc", 0.97, "accuracy", 0.91))
                .dataset(new DatasetRef("blobs", "ab".repeat(32), "training"))
                .description("Churn | risk model")
                .build(where);
    }

    @Test
    void tribuoModelGetsProtobufAndOnnxFlavorsSignatureExampleProvenanceAndCard() throws Exception {
        Model<Label> model = Models.logistic(1);
        ModelPackage pkg = ModelPackage.builder().tribuo(model).metrics(Map.of("auc", 0.97)).build(dir.resolve("p"));
        assertTrue(pkg.hasFlavor(FlavorSpec.TRIBUO));
        assertTrue(pkg.hasFlavor(FlavorSpec.ONNX), "linear SGD models export to ONNX");
        assertEquals(List.of("f0", "f1", "f2"), pkg.signature().inputs().names());
        assertFalse(pkg.signature().inputs().field("f0").nullable());
        assertTrue(pkg.descriptor().params().containsKey("trainer.epochs"), pkg.descriptor().params().toString());
        assertEquals("17", pkg.descriptor().environment().get("java").split("\\.")[0]);
        assertTrue(Files.exists(pkg.file("provenance.json")));
        assertEquals(64, pkg.digest().length());

        Model<?> loaded = pkg.loadTribuo();
        Model<Label> typed = loaded.castModel(Label.class);
        var test = Models.data(50, 9);
        for (Example<Label> ex : test) {
            assertEquals(model.predict(ex).getOutput().getScore(), typed.predict(ex).getOutput().getScore(), 1e-12);
        }

        // The ONNX export gives the same probabilities, in the declared feature and output order.
        FlavorSpec onnx = pkg.flavor(FlavorSpec.ONNX);
        @SuppressWarnings("unchecked")
        List<String> features = (List<String>) onnx.properties().get("featureOrder");
        @SuppressWarnings("unchecked")
        List<String> outputs = (List<String>) onnx.properties().get("outputOrder");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(pkg.file(onnx.file()).toString(), new OrtSession.SessionOptions())) {
            for (Example<Label> ex : test) {
                float[][] row = new float[1][features.size()];
                for (var f : ex) {
                    row[0][features.indexOf(f.getName())] = (float) f.getValue();
                }
                try (OnnxTensor t = OnnxTensor.createTensor(env, row); OrtSession.Result r = session.run(Map.of(
                        onnx.property("inputName"), t))) {
                    float[][] probs = (float[][]) r.get(0).getValue();
                    var scores = model.predict(ex).getOutputScores();
                    for (int k = 0; k < outputs.size(); k++) {
                        assertEquals(scores.get(outputs.get(k)).getScore(), probs[0][k], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void treeModelsHaveNoOnnxFlavor() {
        ModelPackage pkg = ModelPackage.builder().tribuo(Models.tree()).build(dir.resolve("tree"));
        assertTrue(pkg.hasFlavor(FlavorSpec.TRIBUO));
        assertFalse(pkg.hasFlavor(FlavorSpec.ONNX));
        assertThrows(dev.mlops.api.NotFoundException.class, () -> pkg.flavor(FlavorSpec.ONNX));
    }

    @Test
    void openVerifiesEveryFile() throws Exception {
        Path p = dir.resolve("pkg");
        logisticPackage(p);
        ModelPackage reopened = ModelPackage.open(p);
        assertEquals(0.97, reopened.descriptor().metrics().get("auc"));
        assertEquals(1, reopened.inputExample().orElseThrow().rowCount());
        assertTrue(reopened.modelCard().contains("| auc | 0.970000 |"), reopened.modelCard());
        assertTrue(reopened.modelCard().contains("Churn \\| risk model"), "user text is escaped in the card");
        assertTrue(reopened.modelCard().contains("| f0 | double | yes |"));

        Path onnx = p.resolve("model/model.onnx");
        byte[] original = Files.readAllBytes(onnx);
        byte[] changed = original.clone();
        changed[changed.length / 2] ^= 1;
        Files.write(onnx, changed);
        IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.open(p));
        assertTrue(e.getMessage().contains("model/model.onnx"), e.getMessage());
        Files.write(onnx, original);

        Files.writeString(p.resolve("extra.txt"), "smuggled");
        IntegrityException extra = assertThrows(IntegrityException.class, () -> ModelPackage.open(p));
        assertTrue(extra.getMessage().contains("extra.txt"), extra.getMessage());
        Files.delete(p.resolve("extra.txt"));

        Files.move(p.resolve("provenance.json"), dir.resolve("moved.json"));
        IntegrityException missing = assertThrows(IntegrityException.class, () -> ModelPackage.open(p));
        assertTrue(missing.getMessage().contains("provenance.json") && missing.getMessage().contains("missing"));
        Files.move(dir.resolve("moved.json"), p.resolve("provenance.json"));

        Files.createSymbolicLink(p.resolve("link"), dir.resolve("moved.json"));
        assertThrows(IntegrityException.class, () -> ModelPackage.open(p));
        Files.delete(p.resolve("link"));
        ModelPackage.open(p);
    }

    @Test
    void malformedDescriptorsAreRejected() throws Exception {
        Path p = dir.resolve("pkg");
        logisticPackage(p);
        String json = Files.readString(p.resolve(ModelPackage.DESCRIPTOR));
        Files.writeString(p.resolve(ModelPackage.DESCRIPTOR), json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ModelPackage.open(p));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        Files.writeString(p.resolve(ModelPackage.DESCRIPTOR), "{not json");
        assertThrows(DataFormatException.class, () -> ModelPackage.open(p));
        Files.writeString(p.resolve(ModelPackage.DESCRIPTOR), json.replace("\"provenance.json\" : {",
                "\"../outside.json\" : {"));
        assertThrows(IntegrityException.class, () -> ModelPackage.open(p), "a descriptor may not point outside");
        Files.delete(p.resolve(ModelPackage.DESCRIPTOR));
        assertThrows(dev.mlops.api.NotFoundException.class, () -> ModelPackage.open(p));
    }

    @Test
    void javaSerializedTribuoModelsAreRefusedWithAdvice() throws Exception {
        Path legacy = dir.resolve("legacy.ser");
        try (OutputStream out = Files.newOutputStream(legacy); ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(new java.util.ArrayList<>(List.of("not", "a", "model")));
        }
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> ModelPackage.builder().tribuo(legacy));
        assertTrue(e.getMessage().contains("Java-serialized") && e.getMessage().contains("serializeToFile"),
                e.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.bin"), "definitely not protobuf");
        assertThrows(InvalidArgumentException.class, () -> ModelPackage.builder().tribuo(garbage));
        Path good = dir.resolve("good.tribuo");
        Models.logistic(3).serializeToFile(good);
        assertTrue(ModelPackage.builder().tribuo(good).build(dir.resolve("from-file")).hasFlavor(FlavorSpec.TRIBUO));
    }

    @Test
    void archivesRoundTripAndHostileEntriesAreRefused() throws Exception {
        ModelPackage pkg = logisticPackage(dir.resolve("pkg"));
        Path archive = pkg.writeArchive(dir.resolve("model.mlpkg"));
        ModelPackage back = ModelPackage.openArchive(archive, dir.resolve("unpacked"));
        assertEquals(pkg.digest(), back.digest());
        assertEquals(pkg.descriptor().files(), back.descriptor().files());

        for (String hostile : List.of("../evil.txt", "/etc/evil", "a/../../evil", "C:/evil", "a\\..\\evil",
                "%2e%2e/evil")) {
            Path bad = dir.resolve("bad-" + Math.abs(hostile.hashCode()) + ".zip");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bad))) {
                zip.putNextEntry(new ZipEntry(ModelPackage.DESCRIPTOR));
                zip.write("{}".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(hostile));
                zip.write("x".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            Path target = dir.resolve("target-" + Math.abs(hostile.hashCode()));
            assertThrows(IntegrityException.class, () -> ModelPackage.openArchive(bad, target), hostile);
            assertFalse(Files.exists(target), "nothing is left behind for " + hostile);
            assertFalse(Files.exists(dir.resolve("evil.txt")));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().contains("staging")), "no staging directory stays");
        }
    }

    @Test
    void builderChecksItsInput() {
        Frame wrong = Frame.builder().strings("f0", "x").build();
        assertThrows(SignatureMismatchException.class,
                () -> ModelPackage.builder().tribuo(Models.logistic(1)).inputExample(wrong).build(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve("x")));
        assertThrows(IllegalStateException.class, () -> ModelPackage.builder().build(dir.resolve("y")));
        assertThrows(IllegalStateException.class, () -> ModelPackage.builder().tribuo(Models.tree()).tribuo(Models.tree()));
        assertThrows(InvalidArgumentException.class,
                () -> ModelPackage.builder().metrics(Map.of("loss", Double.NaN)));
        ModelPackage.builder().tribuo(Models.tree()).build(dir.resolve("z"));
        assertThrows(AlreadyExistsException.class, () -> ModelPackage.builder().tribuo(Models.tree())
                .build(dir.resolve("z")));
    }

    @Test
    void externalOnnxAndTorchScriptFilesNeedASignature() throws Exception {
        Path onnx = Files.write(dir.resolve("m.onnx"), new byte[] {8, 1});
        Signature sig = new Signature(Schema.of(Field.required("x", DataType.DOUBLE)), null);
        assertThrows(IllegalStateException.class, () -> ModelPackage.builder().onnx(onnx, Map.of("inputName", "input"))
                .build(dir.resolve("n")));
        ModelPackage pkg = ModelPackage.builder().onnx(onnx, Map.of("inputName", "input")).signature(sig)
                .build(dir.resolve("o"));
        assertEquals("input", pkg.flavor(FlavorSpec.ONNX).property("inputName"));
        assertEquals(2, pkg.descriptor().files().get("model/model.onnx").size());
        Path pt = Files.write(dir.resolve("m.pt"), new byte[] {1, 2, 3});
        ModelPackage ts = ModelPackage.builder().torchScript(pt, Map.of()).signature(sig).build(dir.resolve("t"));
        assertTrue(ts.hasFlavor(FlavorSpec.TORCHSCRIPT));
    }
}
