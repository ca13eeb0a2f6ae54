package dev.mlops.serving.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an ONNX model on ONNX Runtime, the native library that DJL's ONNX Runtime engine bundles. The session is
 * created in the environment DJL owns (so DJL and this runner coexist in one JVM) and called directly with
 * {@link FloatBuffer} tensors: DJL's per-call array manager would add several microseconds to every single-row call.
 * An ONNX Runtime session serves concurrent calls, so one instance serves every thread.
 */
public final class OnnxRunner implements ModelRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRunner.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final List<String> inputs;
    private final List<String> outputs;
    private final boolean classifier;
    private final String device;

    /**
     * Loads a model file.
     *
     * @param file the {@code .onnx} file
     * @param inputs the input columns, in the model's input tensor order
     * @param outputs the output names, in the model's output tensor order
     * @param classifier whether outputs are class scores
     * @param inputName the input tensor's name, or null for the model's first input
     * @param gpu whether to run on the first CUDA device
     */
    public OnnxRunner(Path file, List<String> inputs, List<String> outputs, boolean classifier, String inputName,
            boolean gpu) {
        this.env = DjlEngines.ortEnvironment();
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String dev = "cpu";
            if (gpu) {
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    throw new UnavailableException("the GPU was requested but this ONNX Runtime has no CUDA provider; "
                            + "build with the gpu profile (onnxruntime_gpu) on a machine with CUDA 12 and cuDNN 9");
                }
                options.addCUDA(0);
                dev = "gpu0";
            }
            this.session = env.createSession(file.toString(), options);
            this.device = dev;
            Map<String, NodeInfo> declared = session.getInputInfo();
            this.inputName = inputName != null ? inputName : declared.keySet().iterator().next();
            if (!declared.containsKey(this.inputName)) {
                throw new InvalidArgumentException("the ONNX model has no input '" + this.inputName + "'; it has "
                        + declared.keySet());
            }
            long[] shape = ((TensorInfo) declared.get(this.inputName).getInfo()).getShape();
            if (shape.length == 2 && shape[1] > 0 && shape[1] != inputs.size()) {
                throw new InvalidArgumentException("the ONNX model takes " + shape[1] + " columns but the package names "
                        + inputs.size() + ": " + inputs);
            }
        } catch (OrtException e) {
            throw new UnavailableException("cannot load ONNX model " + file + ": " + e.getMessage(), e);
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.classifier = classifier;
        LOG.debug("loaded {} on {} with ONNX Runtime {}", file, device, env.getVersion());
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
        return "onnxruntime";
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public float[][] run(float[][] rows) {
        int n = rows.length;
        int d = inputs.size();
        FloatBuffer buffer = FloatBuffer.allocate(n * d);
        for (float[] row : rows) {
            buffer.put(row, 0, d);
        }
        buffer.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, d});
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxValue first = result.get(0);
            FloatBuffer out = ((OnnxTensor) first).getFloatBuffer();
            int k = out.remaining() / Math.max(1, n);
            float[][] scores = new float[n][k];
            for (int r = 0; r < n; r++) {
                out.get(scores[r]);
            }
            return scores;
        } catch (OrtException e) {
            throw new UnavailableException("ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing an ONNX Runtime session failed", e);
        }
    }
}
