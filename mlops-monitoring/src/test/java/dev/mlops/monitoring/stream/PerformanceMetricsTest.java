package dev.mlops.monitoring.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerformanceMetricsTest {
    private static final List<String> ACTUAL = List.of("m", "m", "m", "b", "b", "b", "b", "b");
    private static final List<String> PREDICTED = List.of("m", "m", "b", "b", "b", "b", "m", "b");

    @Test
    void confusionMatrixByHand() {
        // tp = 2, fn = 1, fp = 1, tn = 4
        assertEquals(6.0 / 8, PerformanceMetrics.accuracy(ACTUAL, PREDICTED));
        double[] prf = PerformanceMetrics.precisionRecallF1(ACTUAL, PREDICTED, "m");
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3, 2.0 / 3}, prf, 1e-15);
        // for "b": tp = 4, fp = 1, fn = 1: F1 = 0.8; macro = (2/3 + 0.8) / 2
        assertEquals((2.0 / 3 + 0.8) / 2, PerformanceMetrics.macroF1(ACTUAL, PREDICTED), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, PerformanceMetrics.precisionRecallF1(List.of("b"), List.of("b"), "m"));
        assertTrue(Double.isNaN(PerformanceMetrics.accuracy(List.of(), List.of())));
        assertThrows(InvalidArgumentException.class, () -> PerformanceMetrics.accuracy(List.of("a"), List.of()));
    }

    @Test
    void aucCountsPairsAndHalvesTies() {
        // positives score 0.9, 0.4; negatives 0.6, 0.4, 0.1: pairs won 0.9 > all 3, 0.4 > 0.1 and ties 0.4 once:
        // (3 + 1 + 0.5) / 6
        boolean[] pos = {true, true, false, false, false};
        double[] s = {0.9, 0.4, 0.6, 0.4, 0.1};
        assertEquals(4.5 / 6, PerformanceMetrics.auc(pos, s), 1e-15);
        assertEquals(1.0, PerformanceMetrics.auc(new boolean[] {false, true}, new double[] {0.1, 0.2}));
        assertEquals(0.5, PerformanceMetrics.auc(new boolean[] {false, true}, new double[] {0.3, 0.3}));
        assertTrue(Double.isNaN(PerformanceMetrics.auc(new boolean[] {true}, new double[] {0.3})));
        assertThrows(InvalidArgumentException.class,
                () -> PerformanceMetrics.auc(new boolean[] {true, false}, new double[] {Double.NaN, 1}));
    }

    @Test
    void regressionErrorsByHand() {
        double[] a = {1, 2, 3, 4};
        double[] p = {2, 2, 1, 4};
        assertEquals(Math.sqrt((1 + 0 + 4 + 0) / 4.0), PerformanceMetrics.rmse(a, p), 1e-15);
        assertEquals(3.0 / 4, PerformanceMetrics.mae(a, p), 1e-15);
        assertTrue(Double.isNaN(PerformanceMetrics.rmse(new double[0], new double[0])));
    }
}
