package dev.mlops.serving.internal;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's engines in the order they need. DJL's ONNX Runtime engine insists on creating the process-wide
 * {@link OrtEnvironment} itself; once it has, plain ONNX Runtime calls share that environment.
 */
public final class DjlEngines {
    private static final Logger LOG = LoggerFactory.getLogger(DjlEngines.class);
    private static volatile OrtEnvironment environment;

    private DjlEngines() {
    }

    /**
     * Returns the process-wide ONNX Runtime environment, letting DJL create it first.
     *
     * @return the environment
     */
    public static OrtEnvironment ortEnvironment() {
        OrtEnvironment env = environment;
        if (env == null) {
            synchronized (DjlEngines.class) {
                env = environment;
                if (env == null) {
                    try {
                        Engine.getEngine("OnnxRuntime");
                    } catch (RuntimeException | LinkageError e) {
                        LOG.warn("DJL's ONNX Runtime engine did not start ({}); using ONNX Runtime directly",
                                e.toString());
                    }
                    env = OrtEnvironment.getEnvironment();
                    environment = env;
                }
            }
        }
        return env;
    }

    /**
     * Returns DJL's PyTorch engine, unpacking its native library from the Maven jar on first use.
     *
     * @return the engine
     */
    public static Engine pytorch() {
        return Engine.getEngine("PyTorch");
    }
}
