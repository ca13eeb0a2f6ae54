package dev.mlops.llm.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: training diverged to NaN at random steps because DJL's {@code mul(Number)} keeps the constant in a
 * Java buffer that a garbage collection frees before the backward pass reads it. With DJL's own product this test
 * reads NaN gradients in every round; with {@link Scalars#times} it reads the right ones.
 */
class ScalarsTest {
    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                NDArray x = m.create(new float[] {1, 2, 3});
                x.setRequiresGradient(true);
                NDArray forward;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    forward = Scalars.times(x, 0.5);
                    NDArray y = forward.sum();
                    List<ByteBuffer> junk = new ArrayList<>();
                    for (int g = 0; g < 3; g++) {
                        System.gc();
                        Thread.sleep(10);
                        for (int i = 0; i < 2000; i++) {
                            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                            b.putFloat(0, Float.NaN);
                            junk.add(b);
                        }
                    }
                    gc.backward(y);
                }
                assertArrayEquals(new float[] {0.5f, 1f, 1.5f}, forward.toFloatArray(), "round " + round);
                assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, x.getGradient().toFloatArray(), "round " + round);
            }
        }
    }
}
