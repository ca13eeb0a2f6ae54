package dev.mlops.llm.internal.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlops.llm.internal.SplitMix;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.Weights;

/** Forward passes over training batches, shared by the trainers. */
public final class Forward {
    private Forward() {
    }

    /**
     * Runs the network over a batch and returns the logits, with the batch's causal or packed-segment mask.
     *
     * @param net the network
     * @param w where parameter values come from
     * @param manager where inputs are created
     * @param b the batch
     * @param training whether dropout applies
     * @return logits (B, T, vocab)
     */
    public static NDArray logits(Gpt2Net net, Weights w, NDManager manager, Batch b, boolean training) {
        Shape bt = new Shape(b.rows(), b.length());
        NDArray ids = manager.create(b.inputs(), bt);
        NDArray positions = manager.create(b.positions(), bt);
        NDArray bias = b.segments() != null ? Gpt2Net.segmentMask(manager, b.segments(), DataType.FLOAT32)
                : Gpt2Net.causalMask(manager, 0, b.length(), DataType.FLOAT32);
        NDArray h = net.hidden(w, ids, positions, bias, null, training);
        return net.logits(w, h);
    }

    /**
     * Returns the log-probability of each label.
     *
     * @param logits logits (B, T, vocab)
     * @param manager where the labels are created
     * @param b the batch
     * @return log-probabilities (B, T)
     */
    public static NDArray labelLogProbs(NDArray logits, NDManager manager, Batch b) {
        NDArray labels = manager.create(b.labels(), new Shape(b.rows(), b.length(), 1));
        return logits.logSoftmax(-1).gather(labels, -1).reshape(b.rows(), b.length());
    }

    /**
     * Returns the batch's loss mask as an array.
     *
     * @param manager where to create it
     * @param b the batch
     * @return the mask (B, T), 1 where a label counts
     */
    public static NDArray mask(NDManager manager, Batch b) {
        return manager.create(b.mask(), new Shape(b.rows(), b.length()));
    }

    /**
     * Seeds PyTorch's generator for a step, so that dropout follows from the seed and the step alone.
     *
     * @param seed the run's seed
     * @param step the step
     */
    public static void seedStep(long seed, long step) {
        Engine.getEngine("PyTorch").setRandomSeed((int) new SplitMix(seed ^ (step * 0x2545F4914F6CDD1DL))
                .nextLong());
    }
}
