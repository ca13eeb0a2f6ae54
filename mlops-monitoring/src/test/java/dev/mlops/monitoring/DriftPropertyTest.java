package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.monitoring.drift.Binning;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DriftMethod;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the drift statistics over seeded random samples; every case names its seed, and
 * {@code -Dmlops.seed=...} moves the base seed.
 */
class DriftPropertyTest {
    private static final long BASE_SEED = Long.getLong("mlops.seed", 20260101L);

    private static Stream<DynamicTest> cases(String property, int count, Consumer<Random> check) {
        return IntStream.range(0, count).mapToObj(i -> {
            long seed = BASE_SEED + i;
            return DynamicTest.dynamicTest(property + " [seed " + seed + "]", () -> check.accept(new Random(seed)));
        });
    }

    /** A sample from a randomly chosen family: normal, exponential, rounded (many ties) or a two-point mixture. */
    static double[] sample(Random rnd, int n) {
        int family = rnd.nextInt(4);
        double loc = rnd.nextGaussian() * 2;
        double scale = 0.5 + rnd.nextDouble() * 3;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (family) {
                case 0 -> loc + scale * rnd.nextGaussian();
                case 1 -> loc - scale * Math.log(1 - rnd.nextDouble());
                case 2 -> Math.round((loc + scale * rnd.nextGaussian()) * 10) / 10.0;
                default -> rnd.nextDouble() < 0.3 ? loc : loc + scale * (1 + rnd.nextGaussian());
            };
        }
        return v;
    }

    private static Frame frame(double[] v) {
        return Frame.builder().doubles("x", v).build();
    }

    private static ColumnDrift run(DriftMethod method, Binning binning, Frame a, Frame b) {
        DriftDetector d = DriftDetector.builder().method("x", method).binning(binning).minSampleSize(2).build();
        return d.compare(a, b).column("x");
    }

    @TestFactory
    Stream<DynamicTest> symmetricMeasuresDoNotDependOnTheOrder() {
        List<DriftMethod> symmetric = List.of(DriftMethod.KOLMOGOROV_SMIRNOV, DriftMethod.JENSEN_SHANNON,
                DriftMethod.HELLINGER, DriftMethod.PSI, DriftMethod.CHI_SQUARE, DriftMethod.ANDERSON_DARLING);
        return cases("swapping reference and current keeps the statistic", 60, rnd -> {
            Frame a = frame(sample(rnd, 5 + rnd.nextInt(400)));
            Frame b = frame(sample(rnd, 5 + rnd.nextInt(400)));
            for (DriftMethod m : symmetric) {
                ColumnDrift ab = run(m, Binning.equalWidth(2 + rnd.nextInt(15)), a, b);
                ColumnDrift ba = run(m, Binning.equalWidth(ab.shares().labels().size() < 2 ? 2
                        : ab.shares().labels().size()), b, a);
                ColumnDrift ab2 = run(m, Binning.equalWidth(ab.shares().labels().size() < 2 ? 2
                        : ab.shares().labels().size()), a, b);
                assertEquals(ab2.statistic(), ba.statistic(), 1e-9 * Math.max(1, Math.abs(ab2.statistic())),
                        m.id());
                if (m.hasPValue()) {
                    assertEquals(ab2.pValue(), ba.pValue(), 1e-9, m.id());
                }
            }
            ColumnDrift w1 = DriftDetector.builder().method("x", DriftMethod.WASSERSTEIN).threshold("x", 1)
                    .minSampleSize(2).build().compare(a, b).column("x");
            ColumnDrift w2 = DriftDetector.builder().method("x", DriftMethod.WASSERSTEIN).threshold("x", 1)
                    .minSampleSize(2).build().compare(b, a).column("x");
            assertEquals(w1.statistic(), w2.statistic(), 1e-9 * Math.max(1, w1.statistic()));
        });
    }

    @TestFactory
    Stream<DynamicTest> shiftingASampleMovesWassersteinByTheShift() {
        return cases("W1(x, x + c) = |c|", 100, rnd -> {
            double[] x = sample(rnd, 2 + rnd.nextInt(300));
            double c = (rnd.nextDouble() - 0.5) * 20;
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] + c;
            }
            ColumnDrift w = DriftDetector.builder().method("x", DriftMethod.WASSERSTEIN).threshold("x", 1)
                    .minSampleSize(1).build().compare(frame(x), frame(y)).column("x");
            assertEquals(Math.abs(c), w.statistic(), 1e-9 * (1 + Math.abs(c) + range(x)));
        });
    }

    private static double range(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0) - java.util.Arrays.stream(v).min().orElse(0);
    }

    @TestFactory
    Stream<DynamicTest> statisticsStayInTheirRanges() {
        return cases("KS in [0, 1], JS in [0, sqrt ln 2], Hellinger in [0, 1], p in [0, 1]", 60, rnd -> {
            Frame a = frame(sample(rnd, 2 + rnd.nextInt(200)));
            Frame b = frame(sample(rnd, 2 + rnd.nextInt(200)));
            ColumnDrift ks = run(DriftMethod.KOLMOGOROV_SMIRNOV, Binning.sturges(), a, b);
            assertTrue(ks.statistic() >= 0 && ks.statistic() <= 1);
            assertTrue(ks.pValue() >= 0 && ks.pValue() <= 1);
            ColumnDrift js = run(DriftMethod.JENSEN_SHANNON, Binning.sturges(), a, b);
            assertTrue(js.statistic() >= 0 && js.statistic() <= Math.sqrt(Math.log(2)) + 1e-12);
            ColumnDrift h = run(DriftMethod.HELLINGER, Binning.sturges(), a, b);
            assertTrue(h.statistic() >= 0 && h.statistic() <= 1);
            assertEquals(1.0, h.shares().reference().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertEquals(0.0, run(DriftMethod.KOLMOGOROV_SMIRNOV, Binning.sturges(), a, a).statistic());
            assertEquals(0.0, run(DriftMethod.JENSEN_SHANNON, Binning.sturges(), a, a).statistic(), 1e-7);
        });
    }

    @TestFactory
    Stream<DynamicTest> sketchedReferenceAgreesWithExactWithinTheStatedError() {
        return cases("stored profile vs raw rows within the stated error", 30, rnd -> {
            Frame ref = frame(sample(rnd, 5_000 + rnd.nextInt(20_000)));
            Frame cur = frame(sample(rnd, 300 + rnd.nextInt(5_000)));
            DatasetProfile refProfile = Monitoring.profile(ref);
            DatasetProfile curProfile = Monitoring.profile(cur);
            Binning bins = Binning.equalWidth(5 + rnd.nextInt(20));
            for (DriftMethod m : List.of(DriftMethod.KOLMOGOROV_SMIRNOV, DriftMethod.WASSERSTEIN_NORMED,
                    DriftMethod.JENSEN_SHANNON, DriftMethod.PSI, DriftMethod.HELLINGER)) {
                DriftDetector d = DriftDetector.builder().method("x", m).binning(bins).build();
                ColumnDrift exact = d.compare(ref, cur).column("x");
                ColumnDrift half = d.compare(refProfile, cur).column("x");
                ColumnDrift both = d.compare(refProfile, curProfile).column("x");
                assertEquals(0.0, exact.statisticError());
                assertTrue(Math.abs(half.statistic() - exact.statistic()) <= half.statisticError() + 1e-12,
                        m.id() + ": sketch " + half.statistic() + " vs exact " + exact.statistic() + ", stated error "
                                + half.statisticError());
                assertTrue(Math.abs(both.statistic() - exact.statistic()) <= both.statisticError() + 1e-12,
                        m.id() + " (both sketched): " + both.statistic() + " vs " + exact.statistic()
                                + ", stated error " + both.statisticError());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> sketchedReferenceWithFewValuesIsExact() {
        return cases("a profile that holds every value gives exact results", 30, rnd -> {
            Frame ref = frame(sample(rnd, 20 + rnd.nextInt(150)));
            Frame cur = frame(sample(rnd, 20 + rnd.nextInt(150)));
            DriftDetector d = DriftDetector.builder().method("x", DriftMethod.KOLMOGOROV_SMIRNOV).minSampleSize(2).build();
            ColumnDrift exact = d.compare(ref, cur).column("x");
            ColumnDrift sketched = d.compare(Monitoring.profile(ref), cur).column("x");
            assertEquals(exact.statistic(), sketched.statistic(), 1e-12);
            assertEquals(exact.pValue(), sketched.pValue(), 1e-12);
            assertEquals(0.0, sketched.statisticError());
        });
    }
}
