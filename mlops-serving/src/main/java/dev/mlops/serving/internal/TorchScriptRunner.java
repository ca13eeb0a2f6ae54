package dev.mlops.serving.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.mlops.api.UnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a TorchScript model with DJL's PyTorch engine. DJL predictors are not thread-safe, so calls borrow one from a
 * fixed pool.
 */
public final class TorchScriptRunner implements ModelRunner {
    private final ZooModel<float[][], float[][]> model;
    private final BlockingQueue<Predictor<float[][], float[][]>> pool;
    private final List<Predictor<float[][], float[][]>> all = new ArrayList<>();
    private final List<String> inputs;
    private final List<String> outputs;
    private final boolean classifier;
    private final String device;

    /**
     * Loads a TorchScript file.
     *
     * @param file the {@code .pt} file
     * @param inputs the input columns
     * @param outputs the output names
     * @param classifier whether outputs are class scores
     * @param gpu whether to run on the first GPU
     * @param poolSize how many predictors to hold
     */
    public TorchScriptRunner(Path file, List<String> inputs, List<String> outputs, boolean classifier, boolean gpu,
            int poolSize) {
        DjlEngines.pytorch();
        Device dev = gpu ? Device.gpu() : Device.cpu();
        if (gpu && ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
            throw new UnavailableException("the GPU was requested but PyTorch sees no GPU; build with the gpu profile "
                    + "(pytorch-native-cu124) on a CUDA machine");
        }
        String fileName = file.getFileName().toString();
        Criteria<float[][], float[][]> criteria = Criteria.builder()
                .setTypes(float[][].class, float[][].class)
                .optModelPath(file.getParent())
                .optModelName(fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName)
                .optEngine("PyTorch")
                .optDevice(dev)
                .optTranslator(new DenseTranslator())
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new UnavailableException("cannot load TorchScript model " + file + ": " + e.getMessage(), e);
        }
        this.pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            Predictor<float[][], float[][]> p = model.newPredictor();
            all.add(p);
            pool.add(p);
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.classifier = classifier;
        this.device = dev.toString().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public List<String> inputs() {
        return inputs;
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
        return "pytorch";
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public float[][] run(float[][] rows) {
        Predictor<float[][], float[][]> p;
        try {
            p = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a PyTorch predictor", e);
        }
        try {
            return p.predict(rows);
        } catch (TranslateException e) {
            throw new UnavailableException("PyTorch failed on a batch of " + rows.length + ": " + e.getMessage(), e);
        } finally {
            pool.add(p);
        }
    }

    @Override
    public void close() {
        all.forEach(Predictor::close);
        model.close();
    }

    /** float[n][d] in, float[n][k] out; the model's output is its first tensor. */
    private static final class DenseTranslator implements Translator<float[][], float[][]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[][] rows) {
            return new NDList(ctx.getNDManager().create(rows));
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.get(0);
            long[] shape = out.getShape().getShape();
            float[] flat = out.toFloatArray();
            int n = (int) shape[0];
            int k = shape.length > 1 ? (int) shape[1] : 1;
            float[][] result = new float[n][k];
            for (int r = 0; r < n; r++) {
                System.arraycopy(flat, r * k, result[r], 0, k);
            }
            return result;
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }
}
