package dev.mlops.llm.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.UnavailableException;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.HfWeights;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.internal.nn.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GPT-2 style language model built from DJL blocks on the PyTorch engine: created with seeded random weights, or
 * loaded from a directory holding Hugging Face's {@code config.json} and {@code model.safetensors} (any GPT-2-family
 * checkpoint on disk; nothing is downloaded).
 *
 * <pre>{@code
 * try (Gpt2Model model = Gpt2Model.load(Path.of("models/distilgpt2"))) {
 *     float[][] logits = model.logits(new long[] {464, 3290});
 *     model.save(Path.of("build/copy"));            // config.json + model.safetensors
 * }
 * }</pre>
 *
 * <p>Owns native memory until {@link #close()}. Reading methods ({@link #logits}, {@link #save}, generation) may run
 * concurrently with each other, but not with training, adapter changes or {@link #close()}.
 */
public final class Gpt2Model implements AutoCloseable {
    /** The weights file name in a model directory. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** The configuration file name in a model directory. */
    public static final String CONFIG_FILE = "config.json";

    private static final Logger LOG = LoggerFactory.getLogger(Gpt2Model.class);

    private final Gpt2Config config;
    private final Device device;
    private final NDManager manager;
    private final Gpt2Net net;

    private Gpt2Model(Gpt2Config config, Device device, long seed, boolean zeros) {
        this.config = config;
        this.device = device;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            this.net = new Gpt2Net(config, seed, zeros);
            net.initializeAll(manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a model with GPT-2's initialization on the GPU when there is one.
     *
     * @param config the shape
     * @param seed the seed of the initial weights
     * @return the model
     */
    public static Gpt2Model create(Gpt2Config config, long seed) {
        return create(config, seed, DeviceChoice.AUTO);
    }

    /**
     * Creates a model with GPT-2's initialization: normal weights with standard deviation 0.02 (residual projections
     * scaled by 1/sqrt(2 * layers)), zero biases, unit norms. The same seed gives the same weights on any device.
     *
     * @param config the shape
     * @param seed the seed of the initial weights
     * @param device where to place it
     * @return the model
     * @throws UnavailableException if a GPU is required and none is visible
     */
    public static Gpt2Model create(Gpt2Config config, long seed, DeviceChoice device) {
        Objects.requireNonNull(config, "config");
        return new Gpt2Model(config, resolve(device), seed, false);
    }

    /**
     * Loads a model directory ({@value #CONFIG_FILE} and {@value #WEIGHTS_FILE}) on the GPU when there is one.
     *
     * @param directory the directory
     * @return the model
     * @throws dev.mlops.api.NotFoundException if a file is missing
     * @throws dev.mlops.api.DataFormatException if a file is invalid or does not fit the configuration
     */
    public static Gpt2Model load(Path directory) {
        return load(directory, DeviceChoice.AUTO);
    }

    /**
     * Loads a model directory ({@value #CONFIG_FILE} and {@value #WEIGHTS_FILE}).
     *
     * @param directory the directory
     * @param device where to place it
     * @return the model
     * @throws dev.mlops.api.NotFoundException if a file is missing
     * @throws dev.mlops.api.DataFormatException if a file is invalid or does not fit the configuration
     */
    public static Gpt2Model load(Path directory, DeviceChoice device) {
        Gpt2Config config = Gpt2Config.readHuggingFace(directory.resolve(CONFIG_FILE));
        return fromSafetensors(config, directory.resolve(WEIGHTS_FILE), device);
    }

    /**
     * Loads weights with Hugging Face GPT-2 names from a safetensors file into a model of the given shape. Linear
     * weights stored as 8-bit with their scales (as {@code Int8Quantization.save} writes them) stay 8-bit; use
     * {@code Int8Quantization.load} for such directories, which also verifies their descriptor.
     *
     * @param config the shape the file must match
     * @param file the weights
     * @param device where to place the model
     * @return the model
     * @throws dev.mlops.api.NotFoundException if the file is missing
     * @throws dev.mlops.api.DataFormatException if the file is invalid or a tensor is missing, unexpected or of the
     *     wrong shape, naming it
     */
    public static Gpt2Model fromSafetensors(Gpt2Config config, Path file, DeviceChoice device) {
        Safetensors.Contents contents = Safetensors.read(file);
        Gpt2Model model = new Gpt2Model(config, resolve(device), 0, true);
        try {
            HfWeights.load(model.net, contents.tensors(), file.toString());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        LOG.debug("loaded {} from {} onto {}", config, file, model.device);
        return model;
    }

    static Device resolve(DeviceChoice choice) {
        Objects.requireNonNull(choice, "device");
        int gpus = choice == DeviceChoice.CPU ? 0 : Engine.getEngine("PyTorch").getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new UnavailableException("a GPU was asked for, but PyTorch sees none; use DeviceChoice.CPU "
                            + "or AUTO, or run where CUDA and the GPU build of PyTorch are present");
                }
                yield Device.gpu();
            }
        };
    }

    /**
     * Writes {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} into a directory (created if needed). Attached adapters
     * are not included unless merged; save them with their own {@code save}.
     *
     * @param directory the directory
     * @throws UnavailableException if writing fails
     */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UnavailableException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        config.writeHuggingFace(directory.resolve(CONFIG_FILE));
        writeSafetensors(directory.resolve(WEIGHTS_FILE));
    }

    /**
     * Writes the base weights to a safetensors file with Hugging Face GPT-2 names, as 32-bit floats.
     *
     * @param file the file
     * @throws UnavailableException if writing fails
     */
    public void writeSafetensors(Path file) {
        Safetensors.write(file, HfWeights.export(net), Map.of("format", "pt"));
    }

    /**
     * Returns the configuration.
     *
     * @return the shape
     */
    public Gpt2Config config() {
        return config;
    }

    /**
     * Returns the device the weights live on.
     *
     * @return the DJL device
     */
    public Device device() {
        return device;
    }

    /**
     * Returns the network as a DJL block, for code that drives DJL directly: its forward pass maps token ids
     * (B, T) to logits (B, T, vocab) with a causal mask.
     *
     * @return the block; owned by this model
     */
    public Block block() {
        return net;
    }

    /**
     * Returns the manager that owns the weights; arrays attached to it live as long as the model.
     *
     * @return the manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Counts the base parameters, adapters excluded.
     *
     * @return the count; equals {@link Gpt2Config#parameterCount()}
     */
    public long parameterCount() {
        return config.parameterCount();
    }

    /**
     * Counts the parameters that training would update: all of them for a new model, only the adapters once LoRA
     * is attached.
     *
     * @return the count
     */
    public long trainableParameterCount() {
        long n = 0;
        for (Parameter p : net.namedParameters().values()) {
            if (p.requiresGradient()) {
                n += p.getArray().getShape().size();
            }
        }
        return n;
    }

    /**
     * Makes the base weights trainable (full fine-tuning) or frozen.
     *
     * @param trainable true to train them
     * @throws IllegalStateException if the base weights are to be trained but some are 8-bit
     */
    public void setBaseTrainable(boolean trainable) {
        if (trainable && net.projections().values().stream().anyMatch(Projection::isQuantized)) {
            throw new IllegalStateException("the linear weights of " + this + " are 8-bit integers and cannot be "
                    + "trained; train the 32-bit model and quantize it afterwards");
        }
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            if (!e.getKey().contains(".lora_")) {
                e.getValue().freeze(!trainable);
            }
        }
    }

    /**
     * Returns the SHA-256 digest of the base weights: over the Hugging Face tensors in name order, each as its name,
     * its shape and its 32-bit little-endian values. Two models with equal weights have equal digests, whatever file
     * or layout they came from. Adapters are excluded; merged adapters are included, since they change the weights.
     *
     * @return 64 hex characters
     */
    public String weightsDigest() {
        return HfWeights.digest(net);
    }

    /**
     * Tells whether any adapter is merged into the base weights.
     *
     * @return true if one is
     */
    public boolean hasMergedAdapter() {
        return net.projections().values().stream().anyMatch(Projection::isMerged);
    }

    /**
     * Computes next-token logits for one sequence.
     *
     * @param ids token ids, 1 to the context length of them
     * @return logits, one row of vocabulary size per position
     * @throws InvalidArgumentException if the sequence is empty, too long, or holds an id outside the vocabulary
     */
    public float[][] logits(long[] ids) {
        return logits(new long[][] {ids})[0];
    }

    /**
     * Computes next-token logits for a batch of sequences of equal length.
     *
     * @param batch token ids, rows of equal length
     * @return logits (batch, positions, vocabulary)
     * @throws InvalidArgumentException if rows differ in length, are empty or too long, or hold an id outside the
     *     vocabulary
     */
    @SuppressWarnings("try")
    public float[][][] logits(long[][] batch) {
        if (batch.length == 0) {
            throw new InvalidArgumentException("the batch is empty");
        }
        int t = batch[0].length;
        long[] flat = new long[batch.length * t];
        for (int r = 0; r < batch.length; r++) {
            if (batch[r].length != t) {
                throw new InvalidArgumentException("row " + r + " has " + batch[r].length + " tokens, row 0 has " + t);
            }
            checkIds(batch[r]);
            System.arraycopy(batch[r], 0, flat, r * t, t);
        }
        int v = config.vocabSize();
        float[] out;
        try (NDScope scope = new NDScope()) {
            NDArray ids = manager.create(flat, new Shape(batch.length, t));
            long[] pos = new long[flat.length];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = i % t;
            }
            NDArray positions = manager.create(pos, new Shape(batch.length, t));
            NDArray h = net.hidden(Weights.DIRECT, ids, positions, Gpt2Net.causalMask(manager, 0, t, DataType.FLOAT32),
                    null, false);
            out = net.logits(Weights.DIRECT, h).toFloatArray();
        }
        float[][][] result = new float[batch.length][t][v];
        for (int r = 0; r < batch.length; r++) {
            for (int i = 0; i < t; i++) {
                System.arraycopy(out, (r * t + i) * v, result[r][i], 0, v);
            }
        }
        return result;
    }

    void checkIds(long[] ids) {
        if (ids.length == 0) {
            throw new InvalidArgumentException("a sequence needs at least one token");
        }
        if (ids.length > config.contextLength()) {
            throw new InvalidArgumentException("a sequence of " + ids.length + " tokens is longer than the context "
                    + "length " + config.contextLength());
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new InvalidArgumentException("token id " + ids[i] + " at position " + i + " is outside the "
                        + "vocabulary of " + config.vocabSize());
            }
        }
    }

    /** Frees the weights and everything else attached to this model's manager. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Gpt2Model[" + config + ", " + device + "]";
    }
}
