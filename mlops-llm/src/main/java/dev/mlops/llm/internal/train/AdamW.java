package dev.mlops.llm.internal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.mlops.llm.model.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as PyTorch defines it (decoupled weight decay, bias-corrected moments), with its whole state (both moments
 * and the step count) exportable, so that a checkpoint resumes exactly. DJL's own Adam keeps its state private, which
 * rules out exact resumption. Decay applies to matrices only, not to biases and norms. Not thread-safe.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long step;

    /**
     * Creates the optimizer.
     *
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon added to the root of the second moment
     * @param weightDecay decoupled decay per unit learning rate
     */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /**
     * Applies one update in place.
     *
     * @param weights the parameters' arrays by name
     * @param grads their gradients by name (32-bit, already unscaled and clipped)
     * @param lr the learning rate
     */
    @SuppressWarnings("try")
    public void update(Map<String, NDArray> weights, Map<String, NDArray> grads, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, step));
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            String name = e.getKey();
            NDArray w = e.getValue();
            NDArray g = grads.get(name);
            NDArray m = first.computeIfAbsent(name, k -> unscoped(w.zerosLike()));
            NDArray v = second.computeIfAbsent(name, k -> unscoped(w.zerosLike()));
            try (NDScope scope = new NDScope()) {
                if (weightDecay > 0 && w.getShape().dimension() >= 2) {
                    w.muli(1 - lr * weightDecay);
                }
                m.muli(beta1).addi(g.mul(1 - beta1));
                v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
                NDArray denom = v.sqrt().divi(bc2).addi(epsilon);
                w.subi(m.div(denom).muli(lr / bc1));
            }
        }
    }

    private static NDArray unscoped(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    /**
     * Returns the updates applied so far.
     *
     * @return the step count
     */
    public long step() {
        return step;
    }

    /**
     * Returns the bytes the moments take.
     *
     * @return bytes
     */
    public long stateBytes() {
        long n = 0;
        for (NDArray a : first.values()) {
            n += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        for (NDArray a : second.values()) {
            n += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return n;
    }

    /**
     * Returns the bytes the moments will take for parameters of the given sizes, before any update.
     *
     * @param parameters the number of trainable 32-bit values
     * @return bytes
     */
    public static long stateBytesFor(long parameters) {
        return parameters * 2 * 4;
    }

    /**
     * Exports the moments as tensors named {@code <parameter>.exp_avg} and {@code <parameter>.exp_avg_sq}.
     *
     * @return the tensors
     */
    public Map<String, Tensor> export() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : first.keySet()) {
            NDArray m = first.get(name);
            NDArray v = second.get(name);
            out.put(name + ".exp_avg", Tensor.ofFloats(m.toFloatArray(), m.getShape().getShape()));
            out.put(name + ".exp_avg_sq", Tensor.ofFloats(v.toFloatArray(), v.getShape().getShape()));
        }
        return out;
    }

    /**
     * Restores exported moments and the step count.
     *
     * @param tensors the exported tensors
     * @param steps the step count
     * @param like the parameters' arrays by name, for device and shape
     * @throws IllegalArgumentException if a moment is missing or of the wrong shape
     */
    public void restore(Map<String, Tensor> tensors, long steps, Map<String, NDArray> like) {
        close();
        this.step = steps;
        for (Map.Entry<String, NDArray> e : like.entrySet()) {
            Tensor m = tensors.get(e.getKey() + ".exp_avg");
            Tensor v = tensors.get(e.getKey() + ".exp_avg_sq");
            if (m == null || v == null) {
                if (steps == 0) {
                    continue;
                }
                throw new IllegalArgumentException("optimizer state for '" + e.getKey() + "' is missing");
            }
            Shape shape = e.getValue().getShape();
            first.put(e.getKey(), unscoped(e.getValue().getManager().create(m.toFloats(), shape)));
            second.put(e.getKey(), unscoped(e.getValue().getManager().create(v.toFloats(), shape)));
        }
    }

    /** Frees the moments. */
    @Override
    public void close() {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
    }
}
