package dev.mlops.llm.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlops.llm.model.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against the update PyTorch documents, computed here in doubles, and an exact restore of its state. */
class AdamWTest {
    @Test
    void matchesTheDocumentedUpdateAndDecaysMatricesOnly() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-8;
        double wd = 0.1;
        float[] w0 = {0.5f, -1.0f, 2.0f, 0.0f};
        float[] bias0 = {0.3f, -0.3f};
        double[][] grads = {{0.1, -0.2, 0.3, 0.0}, {-0.5, 0.4, 0.0, 1.0}, {0.05, 0.05, -0.05, 0.2}};
        double[][] biasGrads = {{1, -1}, {0.5, 0.25}, {-2, 0}};
        try (NDManager m = NDManager.newBaseManager(); AdamW adam = new AdamW(b1, b2, eps, wd)) {
            NDArray w = m.create(w0, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray bias = m.create(bias0);
            double[] ew = toDouble(w0);
            double[] eb = toDouble(bias0);
            double[] mw = new double[4];
            double[] vw = new double[4];
            double[] mb = new double[2];
            double[] vb = new double[2];
            for (int t = 1; t <= grads.length; t++) {
                Map<String, NDArray> weights = new LinkedHashMap<>();
                weights.put("w", w);
                weights.put("b", bias);
                Map<String, NDArray> g = new LinkedHashMap<>();
                g.put("w", m.create(toFloat(grads[t - 1]), w.getShape()));
                g.put("b", m.create(toFloat(biasGrads[t - 1])));
                adam.update(weights, g, lr);
                reference(ew, mw, vw, grads[t - 1], t, lr, b1, b2, eps, wd);
                reference(eb, mb, vb, biasGrads[t - 1], t, lr, b1, b2, eps, 0);
                float[] gotW = w.toFloatArray();
                float[] gotB = bias.toFloatArray();
                for (int i = 0; i < 4; i++) {
                    assertEquals(ew[i], gotW[i], 1e-6, "w[" + i + "] after step " + t);
                }
                for (int i = 0; i < 2; i++) {
                    assertEquals(eb[i], gotB[i], 1e-6, "bias[" + i + "] after step " + t);
                }
            }
            assertEquals(3, adam.step());
            assertEquals(6 * 2 * 4, adam.stateBytes());
        }
    }

    private static void reference(double[] p, double[] m, double[] v, double[] g, int t, double lr, double b1,
            double b2, double eps, double wd) {
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mhat = m[i] / (1 - Math.pow(b1, t));
            double vhat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
        }
    }

    @Test
    void exportedStateContinuesExactly() {
        try (NDManager m = NDManager.newBaseManager(); AdamW a = new AdamW(0.9, 0.999, 1e-8, 0);
                AdamW b = new AdamW(0.9, 0.999, 1e-8, 0)) {
            NDArray wa = m.create(new float[] {1, 2, 3});
            NDArray wb = m.create(new float[] {1, 2, 3});
            for (int t = 0; t < 3; t++) {
                a.update(Map.of("w", wa), Map.of("w", m.create(new float[] {t, -1, 0.5f})), 0.1);
            }
            Map<String, Tensor> state = a.export();
            wb.set(java.nio.FloatBuffer.wrap(wa.toFloatArray()));
            b.restore(state, a.step(), Map.of("w", wb));
            for (int t = 3; t < 6; t++) {
                NDArray g = m.create(new float[] {t, 1, -0.5f});
                a.update(Map.of("w", wa), Map.of("w", g), 0.1);
                b.update(Map.of("w", wb), Map.of("w", g), 0.1);
            }
            assertArrayEquals(wa.toFloatArray(), wb.toFloatArray());
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
