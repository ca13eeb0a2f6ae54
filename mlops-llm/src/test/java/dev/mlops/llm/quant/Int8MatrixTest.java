package dev.mlops.llm.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The per-output-channel symmetric scheme: error bounds, exact extremes, zero columns and hostile values. */
class Int8MatrixTest {
    @TestFactory
    Stream<DynamicTest> quantizationErrorIsAtMostHalfAStep() {
        return IntStream.range(0, 300).mapToObj(i -> DynamicTest.dynamicTest("seed " + (9000 + i), () -> {
            Random r = new Random(9000 + i);
            int rows = 1 + r.nextInt(40);
            int cols = 1 + r.nextInt(40);
            float[] w = new float[rows * cols];
            double magnitude = Math.pow(10, -6 + r.nextInt(10));
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (r.nextGaussian() * magnitude);
            }
            int zeroColumn = r.nextInt(3) == 0 ? r.nextInt(cols) : -1;
            if (zeroColumn >= 0) {
                for (int row = 0; row < rows; row++) {
                    w[row * cols + zeroColumn] = 0;
                }
            }
            Int8Matrix m = Int8Matrix.quantize("w", w, rows, cols);
            byte[] q = m.values();
            float[] s = m.scales();
            float[] back = m.dequantize();
            for (int c = 0; c < cols; c++) {
                float max = 0;
                int maxAbsQ = 0;
                for (int row = 0; row < rows; row++) {
                    max = Math.max(max, Math.abs(w[row * cols + c]));
                    maxAbsQ = Math.max(maxAbsQ, Math.abs(q[row * cols + c]));
                }
                assertEquals(max / 127f, s[c], "scale of column " + c + ", seed " + (9000 + i));
                if (c == zeroColumn) {
                    assertEquals(0f, s[c]);
                    assertEquals(0, maxAbsQ);
                } else {
                    assertEquals(127, maxAbsQ, "the largest weight of a column maps to +-127, column " + c);
                }
                for (int row = 0; row < rows; row++) {
                    int k = row * cols + c;
                    assertTrue(q[k] >= -127 && q[k] <= 127);
                    assertTrue(Float.isFinite(back[k]));
                    assertTrue(Math.abs(w[k] - back[k]) <= s[c] * 0.5001 + 1e-30, "element " + k + " of seed "
                            + (9000 + i) + ": " + w[k] + " came back as " + back[k] + " with scale " + s[c]);
                }
            }
            Int8Matrix again = Int8Matrix.quantize("w", back, rows, cols);
            assertArrayEquals(q, again.values(), "quantizing dequantized values is stable, seed " + (9000 + i));
            assertEquals((long) rows * cols + 4L * cols, m.bytes());
        }));
    }

    @Test
    void nonFiniteWeightsAreRejectedNamingTheTensorAndPosition() {
        float[] w = {0.1f, 0.2f, 0.3f, Float.NaN, 0.5f, 0.6f};
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Int8Matrix.quantize("h.0.mlp.c_fc.weight", w, 2, 3));
        assertTrue(e.getMessage().contains("h.0.mlp.c_fc.weight") && e.getMessage().contains("row 1, column 0"),
                e.getMessage());
        w[3] = Float.POSITIVE_INFINITY;
        assertTrue(assertThrows(InvalidArgumentException.class, () -> Int8Matrix.quantize("x", w, 2, 3))
                .getMessage().contains("Infinity"));
        assertTrue(assertThrows(InvalidArgumentException.class, () -> Int8Matrix.quantize("x", w, 4, 3))
                .getMessage().contains("not a 4 x 3 matrix"));
    }

    @Test
    void aZeroMatrixHasZeroScalesAndDequantizesToZero() {
        Int8Matrix m = Int8Matrix.quantize("zeros", new float[12], 3, 4);
        assertArrayEquals(new float[4], m.scales());
        assertArrayEquals(new float[12], m.dequantize());
    }

    @Test
    void hostileMatricesAreRejected() {
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(1, 2, new byte[] {Byte.MIN_VALUE, 1}, new float[] {1, 1})).getMessage()
                .contains("-128"));
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(1, 2, new byte[] {3, 1}, new float[] {0, 1})).getMessage()
                .contains("column 0 has scale 0"));
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(1, 2, new byte[] {3, 1}, new float[] {Float.NaN, 1})).getMessage()
                .contains("NaN"));
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(1, 2, new byte[] {3, 1}, new float[] {-1, 1})).getMessage()
                .contains("-1.0"));
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(1, 2, new byte[] {3, 1}, new float[] {1})).getMessage()
                .contains("needs 2 scales"));
        assertTrue(assertThrows(InvalidArgumentException.class,
                () -> new Int8Matrix(2, 2, new byte[] {3, 1}, new float[] {1, 1})).getMessage()
                .contains("needs 4 values"));
    }

    @Test
    void copiesAreDefensiveAndEqualityIsByContent() {
        byte[] v = {1, 2};
        float[] s = {0.5f, 0.25f};
        Int8Matrix m = new Int8Matrix(1, 2, v, s);
        v[0] = 9;
        s[0] = 9;
        assertEquals(new Int8Matrix(1, 2, new byte[] {1, 2}, new float[] {0.5f, 0.25f}), m);
        m.values()[0] = 7;
        assertEquals(1, m.values()[0]);
        assertArrayEquals(new float[] {0.5f, 0.5f}, m.dequantize());
    }
}
