package dev.mlops.llm.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.llm.model.Gpt2Model;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The frozen reference model of direct preference optimization, against which the policy's implicit rewards are
 * measured. Two kinds:
 *
 * <ul>
 *   <li>{@link #startingWeights(Gpt2Model)}: the policy itself as it is now. Only the trainable parameters are copied,
 *       since the frozen ones cannot change; with LoRA that is the adapters alone (a few kilobytes), and with freshly
 *       attached adapters, whose product is zero, the reference is exactly the base model with adapters disabled.
 *       With full fine-tuning it is a copy of every weight.</li>
 *   <li>{@link #of(Gpt2Model)}: another model with the same vocabulary, for instance the model supervised
 *       fine-tuning produced. It is borrowed, not owned.</li>
 * </ul>
 *
 * <p>Owns the copied weights until {@link #close()}; the caller closes it, and a borrowed model stays the caller's to
 * close. Not thread-safe; a reference must not be used while the model it reads is being closed or changed other than
 * by training its trainable parameters.
 */
public final class DpoReference implements AutoCloseable {
    private final Gpt2Model model;
    private final Map<Parameter, NDArray> frozen;
    private final String description;
    private boolean closed;

    private DpoReference(Gpt2Model model, Map<Parameter, NDArray> frozen, String description) {
        this.model = model;
        this.frozen = frozen;
        this.description = description;
    }

    /**
     * Freezes the policy's current weights as the reference, copying its trainable parameters.
     *
     * @param policy the model that will be trained
     * @return the reference; close it when done
     * @throws InvalidArgumentException if the policy has no trainable parameter or an adapter merged into its base
     */
    public static DpoReference startingWeights(Gpt2Model policy) {
        Objects.requireNonNull(policy, "policy");
        Gpt2Net net = (Gpt2Net) policy.block();
        if (policy.hasMergedAdapter()) {
            throw new InvalidArgumentException("the policy has an adapter merged into its base weights; unmerge it "
                    + "before preference training");
        }
        Map<Parameter, NDArray> copies = new IdentityHashMap<>();
        boolean adaptersOnly = true;
        boolean zeroProduct = true;
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray a = p.getArray();
            float[] values = a.toFloatArray();
            adaptersOnly &= e.getKey().contains(".lora_");
            if (e.getKey().endsWith(".lora_B.weight")) {
                for (float v : values) {
                    zeroProduct &= v == 0f;
                }
            }
            copies.put(p, a.getManager().create(values, a.getShape()));
        }
        if (copies.isEmpty()) {
            copies.values().forEach(NDArray::close);
            throw new InvalidArgumentException("the policy has no trainable parameter; attach an adapter or call "
                    + "setBaseTrainable(true)");
        }
        boolean lora = net.projections().values().stream().anyMatch(Projection::hasLora);
        String description = adaptersOnly && lora && zeroProduct ? "base model with adapters disabled"
                : adaptersOnly && lora ? "starting adapter weights" : "copy of the starting weights";
        return new DpoReference(policy, copies, description);
    }

    /**
     * Uses another model as the reference. It is read, never trained, and must stay open while this reference is used.
     *
     * @param reference the reference model
     * @return the reference; closing it does not close the model
     */
    public static DpoReference of(Gpt2Model reference) {
        Objects.requireNonNull(reference, "reference");
        return new DpoReference(reference, new IdentityHashMap<>(), "separate model " + reference.config());
    }

    /**
     * Describes the reference, for run parameters.
     *
     * @return for instance {@code base model with adapters disabled}
     */
    public String description() {
        return description;
    }

    Gpt2Model model() {
        return model;
    }

    Gpt2Net net() {
        return (Gpt2Net) model.block();
    }

    NDManager manager() {
        return model.manager();
    }

    Weights weights() {
        if (closed) {
            throw new IllegalStateException("the reference is closed");
        }
        if (frozen.isEmpty()) {
            return Weights.DIRECT;
        }
        return p -> {
            NDArray a = frozen.get(p);
            return a != null ? a : p.getArray();
        };
    }

    /** Frees the copied weights; a borrowed model is left open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            frozen.values().forEach(NDArray::close);
            frozen.clear();
        }
    }

    @Override
    public String toString() {
        return "DpoReference[" + description + "]";
    }
}
