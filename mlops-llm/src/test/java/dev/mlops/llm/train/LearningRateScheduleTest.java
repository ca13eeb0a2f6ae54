package dev.mlops.llm.train;

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

/** Warm-up then cosine: linear up to the peak, monotone down to the floor on the last step. */
class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyAndEndsAtTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, 0.1);
        assertEquals(1e-4, s.at(1), 1e-15);
        assertEquals(5e-4, s.at(5), 1e-15);
        assertEquals(1e-3, s.at(10), 1e-15);
        assertEquals(1e-3, s.at(11), 1e-15);
        assertEquals(0.55e-3, s.at(60) + (s.at(61) - s.at(60)) / 2, 2e-5);
        assertEquals(1e-4, s.at(110), 1e-15);
        assertEquals(2e-3, new LearningRateSchedule(2e-3, 0, 1, 0).at(1));
        assertThrows(InvalidArgumentException.class, () -> new LearningRateSchedule(0, 0, 1, 0));
        assertThrows(InvalidArgumentException.class, () -> new LearningRateSchedule(1, 0, 0, 0));
        assertThrows(InvalidArgumentException.class, () -> new LearningRateSchedule(1, 0, 1, 1.5));
    }

    @TestFactory
    Stream<DynamicTest> ratesStayInRangeAndFallAfterWarmup() {
        return IntStream.range(0, 100).mapToObj(i -> DynamicTest.dynamicTest("seed " + (40 + i), () -> {
            Random r = new Random(40 + i);
            int total = 1 + r.nextInt(300);
            int warmup = r.nextInt(total + 1);
            double peak = Math.pow(10, -1 - r.nextInt(5));
            double ratio = r.nextDouble();
            LearningRateSchedule s = new LearningRateSchedule(peak, warmup, total, ratio);
            double previous = Double.NaN;
            for (int step = 1; step <= total; step++) {
                double lr = s.at(step);
                assertTrue(lr > 0 || ratio == 0 && step == total, "step " + step + " lr " + lr);
                assertTrue(lr <= peak * (1 + 1e-12));
                if (step <= warmup) {
                    assertTrue(Double.isNaN(previous) || lr > previous);
                } else {
                    assertTrue(lr >= peak * ratio - 1e-15);
                    if (step > warmup + 1) {
                        assertTrue(lr <= previous + 1e-15, "step " + step);
                    }
                }
                previous = lr;
            }
            if (total > warmup + 1) {
                assertEquals(peak * ratio, s.at(total), 1e-15);
            }
        }));
    }
}
