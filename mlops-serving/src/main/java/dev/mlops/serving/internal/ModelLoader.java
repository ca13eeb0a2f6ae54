package dev.mlops.serving.internal;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.registry.FlavorSpec;
import dev.mlops.registry.ModelPackage;
import dev.mlops.serving.DeviceChoice;
import dev.mlops.serving.ModelEngine;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Model;
import org.tribuo.Output;

/** Chooses a flavor of a package and starts the runner for it. */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * Loads a package.
     *
     * @param pkg the verified package
     * @param engine the flavor to run, or AUTO
     * @param device where to run it
     * @param poolSize predictors to pool where the engine needs a pool
     * @return the runner
     */
    public static ModelRunner load(ModelPackage pkg, ModelEngine engine, DeviceChoice device, int poolSize) {
        ModelEngine chosen = engine;
        if (chosen == ModelEngine.AUTO) {
            chosen = pkg.hasFlavor(FlavorSpec.ONNX) ? ModelEngine.ONNX
                    : pkg.hasFlavor(FlavorSpec.TORCHSCRIPT) ? ModelEngine.TORCHSCRIPT : ModelEngine.TRIBUO;
        }
        List<String> signatureInputs = pkg.signature().inputs().names();
        switch (chosen) {
            case ONNX -> {
                FlavorSpec f = pkg.flavor(FlavorSpec.ONNX);
                List<String> inputs = strings(f.properties().get("featureOrder"), signatureInputs);
                List<String> outputs = strings(f.properties().get("outputOrder"), outputNames(pkg));
                boolean classifier = f.properties().containsKey("outputOrder")
                        || Boolean.TRUE.equals(f.properties().get("classifier"));
                return new OnnxRunner(pkg.file(f.file()), inputs, outputs, classifier, f.property("inputName"),
                        gpu(device, () -> ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                                .contains(ai.onnxruntime.OrtProvider.CUDA)));
            }
            case TORCHSCRIPT -> {
                FlavorSpec f = pkg.flavor(FlavorSpec.TORCHSCRIPT);
                List<String> outputs = strings(f.properties().get("outputs"), outputNames(pkg));
                return new TorchScriptRunner(pkg.file(f.file()), strings(f.properties().get("inputs"), signatureInputs),
                        outputs, Boolean.TRUE.equals(f.properties().get("classifier")),
                        gpu(device, () -> DjlEngines.pytorch().getGpuCount() > 0), poolSize);
            }
            case TRIBUO -> {
                FlavorSpec f = pkg.flavor(FlavorSpec.TRIBUO);
                if (device == DeviceChoice.GPU) {
                    throw new InvalidArgumentException("the Tribuo flavor runs on the CPU only; choose the ONNX or "
                            + "TorchScript flavor for a GPU");
                }
                Model<?> model = pkg.loadTribuo();
                return tribuo(model, strings(f.properties().get("features"), signatureInputs),
                        strings(f.properties().get("outputs"), List.of()));
            }
            default -> throw new IllegalStateException("unknown engine " + chosen);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static ModelRunner tribuo(Model<?> model, List<String> features, List<String> outputs) {
        return new TribuoRunner((Model<? extends Output>) model, features, outputs);
    }

    private static boolean gpu(DeviceChoice device, java.util.function.BooleanSupplier available) {
        return switch (device) {
            case CPU -> false;
            case GPU -> true;
            case AUTO -> {
                try {
                    yield available.getAsBoolean();
                } catch (RuntimeException | LinkageError e) {
                    yield false;
                }
            }
        };
    }

    private static List<String> outputNames(ModelPackage pkg) {
        return pkg.signature().outputs() == null ? List.of() : pkg.signature().outputs().names();
    }

    private static List<String> strings(Object value, List<String> fallback) {
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return fallback;
    }
}
