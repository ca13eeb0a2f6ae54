package dev.mlops.llm.internal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.nn.Gpt2Net;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The 32-bit optimizer step that the preference and distillation trainers share with supervised fine-tuning: the
 * trainable parameters of a network, the global gradient norm, clipping, AdamW and zeroing the gradients after each
 * update. Not thread-safe; closing frees the optimizer state.
 */
public final class Updater implements AutoCloseable {
    private final Map<String, Parameter> trainables = new LinkedHashMap<>();
    private final AdamW adam;
    private final double maxGradNorm;

    /**
     * Collects the parameters that require gradients.
     *
     * @param net the network
     * @param beta1 AdamW's first-moment decay
     * @param beta2 AdamW's second-moment decay
     * @param epsilon AdamW's epsilon
     * @param weightDecay decoupled weight decay
     * @param maxGradNorm the clipping limit, 0 for none
     * @throws InvalidArgumentException if no parameter is trainable
     */
    public Updater(Gpt2Net net, double beta1, double beta2, double epsilon, double weightDecay, double maxGradNorm) {
        net.namedParameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                trainables.put(name, p);
            }
        });
        if (trainables.isEmpty()) {
            throw new InvalidArgumentException("the model has no trainable parameter; attach an adapter or call "
                    + "setBaseTrainable(true)");
        }
        this.adam = new AdamW(beta1, beta2, epsilon, weightDecay);
        this.maxGradNorm = maxGradNorm;
    }

    /** @return the trainable parameters by name, in the network's order */
    public Map<String, Parameter> trainables() {
        return Collections.unmodifiableMap(trainables);
    }

    /** @return the number of trainable values */
    public long trainableCount() {
        long n = 0;
        for (Parameter p : trainables.values()) {
            n += p.getArray().getShape().size();
        }
        return n;
    }

    /** @return the optimizer */
    public AdamW adam() {
        return adam;
    }

    /** Sets every trainable gradient to zero. */
    public void zeroGrads() {
        for (Parameter p : trainables.values()) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /**
     * Applies the accumulated gradients: measures their global norm, clips them to the limit, updates with AdamW and
     * zeroes them.
     *
     * @param lr the learning rate
     * @return the global gradient norm before clipping
     */
    public double step(double lr) {
        double norm = update(lr, p -> p.getArray().getGradient(), false);
        zeroGrads();
        return norm;
    }

    /**
     * Updates the trainable parameters from gradients found elsewhere (for instance the 16-bit copies of mixed
     * precision), clipped to the limit; the gradients are not zeroed.
     *
     * @param lr the learning rate
     * @param gradient the 32-bit gradient of a trainable parameter; arrays it creates are freed after the update
     * @param skipNonFinite whether a non-finite norm leaves the weights and the optimizer untouched
     * @return the global gradient norm before clipping (not finite when the step was skipped)
     */
    @SuppressWarnings("try")
    public double update(double lr, Function<Parameter, NDArray> gradient, boolean skipNonFinite) {
        try (NDScope scope = new NDScope()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            Map<String, NDArray> weights = new LinkedHashMap<>();
            double sumSquares = 0;
            for (Map.Entry<String, Parameter> e : trainables.entrySet()) {
                NDArray g = gradient.apply(e.getValue());
                grads.put(e.getKey(), g);
                weights.put(e.getKey(), e.getValue().getArray());
                double n = g.norm().getFloat();
                sumSquares += n * n;
            }
            double norm = Math.sqrt(sumSquares);
            if (skipNonFinite && !Double.isFinite(norm)) {
                return norm;
            }
            if (maxGradNorm > 0 && norm > maxGradNorm) {
                double factor = maxGradNorm / (norm + 1e-6);
                grads.replaceAll((k, g) -> g.mul(factor));
            }
            adam.update(weights, grads, lr);
            return norm;
        }
    }

    /** Frees the optimizer state. */
    @Override
    public void close() {
        adam.close();
    }
}
