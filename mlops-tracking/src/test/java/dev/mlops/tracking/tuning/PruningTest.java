package dev.mlops.tracking.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Objective;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.TrialPrunedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Pruning on synthetic learning curves: every trial trains for 50 steps towards a final loss that depends on its
 * parameters, at a speed that also depends on them (so curves may cross early on). Random sampling with a fixed seed proposes the
 * same trials with and without a pruner, so the two runs can be compared trial by trial.
 */
class PruningTest {
    private static final int STEPS = 50;
    private static final int TRIALS = 60;
    private static final SearchSpace SPACE = SearchSpace.builder().uniform("x", 0, 1).uniform("y", 0, 1).build();

    private static Objective curves(AtomicLong steps) {
        return t -> {
            double x = t.getDouble("x");
            double y = t.getDouble("y");
            double target = (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7) + 0.05;
            double tau = 2 + 6 * x;
            double loss = Double.NaN;
            for (int s = 0; s < STEPS; s++) {
                steps.incrementAndGet();
                loss = target + Math.exp(-s / tau);
                t.report(s, loss);
                if (t.shouldPrune()) {
                    throw new TrialPrunedException();
                }
            }
            return loss;
        };
    }

    private record Outcome(long steps, FrozenTrial best) {
    }

    private static Outcome run(Pruner pruner) {
        AtomicLong steps = new AtomicLong();
        Study study = Study.builder("curves").space(SPACE).sampler(new RandomSampler(42)).pruner(pruner).build();
        study.optimize(curves(steps), Budget.trials(TRIALS));
        return new Outcome(steps.get(), study.bestTrial());
    }

    @Test
    void medianPruningSavesMostStepsAndKeepsTheBestTrial() {
        Outcome full = run(Pruner.none());
        Outcome pruned = run(new MedianPruner(5, 5, 1, 1));
        assertEquals(TRIALS * STEPS, full.steps());
        double saved = 1 - (double) pruned.steps() / full.steps();
        System.out.printf("median pruning: %d of %d steps (%.0f%% saved)%n", pruned.steps(), full.steps(), 100 * saved);
        assertTrue(saved > 0.5, "median pruning saved " + saved);
        assertEquals(full.best().number(), pruned.best().number(), "the best trial survives pruning");
        assertEquals(full.best().value(), pruned.best().value());
    }

    @Test
    void successiveHalvingSavesMostStepsAndKeepsTheBestTrial() {
        Outcome full = run(Pruner.none());
        Outcome pruned = run(new SuccessiveHalvingPruner(8, 3, 0));
        double saved = 1 - (double) pruned.steps() / full.steps();
        System.out.printf("successive halving: %d of %d steps (%.0f%% saved)%n", pruned.steps(), full.steps(),
                100 * saved);
        assertTrue(saved > 0.5, "successive halving saved " + saved);
        assertEquals(full.best().number(), pruned.best().number(), "the best trial survives pruning");
    }

    private static FrozenTrial trial(int number, TrialState state, double... curve) {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < curve.length; i++) {
            m.put((long) i, curve[i]);
        }
        return new FrozenTrial(number, state, Map.of(), state == TrialState.COMPLETE ? List.of(curve[curve.length - 1])
                : List.of(), m, 0, Instant.EPOCH, null, null, null);
    }

    @Test
    void medianPrunerFollowsStartupWarmupAndDirection() {
        List<FrozenTrial> done = List.of(trial(0, TrialState.COMPLETE, 1, 1, 1), trial(1, TrialState.COMPLETE, 3, 3, 3),
                trial(2, TrialState.COMPLETE, 5, 5, 5));
        MedianPruner pruner = new MedianPruner(3, 1, 1, 1);
        FrozenTrial worse = trial(3, TrialState.RUNNING, 4, 4);
        FrozenTrial better = trial(4, TrialState.RUNNING, 4, 2);
        assertTrue(pruner.shouldPrune(worse, done, Direction.MINIMIZE), "4 is worse than the median 3");
        assertFalse(pruner.shouldPrune(better, done, Direction.MINIMIZE), "its best so far, 2, beats 3");
        assertFalse(pruner.shouldPrune(trial(5, TrialState.RUNNING, 9), done, Direction.MINIMIZE), "warm-up step 0");
        assertFalse(new MedianPruner(4, 0, 1, 1).shouldPrune(worse, done, Direction.MINIMIZE), "4 startup trials");
        assertFalse(pruner.shouldPrune(worse, done, Direction.MAXIMIZE), "4 beats 3 when maximizing");
        assertTrue(pruner.shouldPrune(trial(6, TrialState.RUNNING, 4, Double.NaN), List.of(), Direction.MINIMIZE)
                == false, "no complete trials: no pruning");
    }

    @Test
    void successiveHalvingPromotesOnlyTheTopFractionAtEachRung() {
        SuccessiveHalvingPruner pruner = new SuccessiveHalvingPruner(1, 2, 0);
        List<FrozenTrial> others = List.of(trial(0, TrialState.COMPLETE, 9, 1, 1), trial(1, TrialState.COMPLETE, 9, 2, 2),
                trial(2, TrialState.COMPLETE, 9, 3, 3));
        FrozenTrial good = trial(3, TrialState.RUNNING, 9, 1.5);
        FrozenTrial bad = trial(4, TrialState.RUNNING, 9, 2.5);
        java.util.ArrayList<FrozenTrial> withGood = new java.util.ArrayList<>(others);
        withGood.add(good);
        java.util.ArrayList<FrozenTrial> withBad = new java.util.ArrayList<>(others);
        withBad.add(bad);
        assertFalse(pruner.shouldPrune(good, withGood, Direction.MINIMIZE), "1.5 is in the top half of {1, 2, 3, 1.5}");
        assertTrue(pruner.shouldPrune(bad, withBad, Direction.MINIMIZE), "2.5 is not in the top half");
        assertFalse(pruner.shouldPrune(trial(5, TrialState.RUNNING, 9, 2.5, 0, 0), withBad, Direction.MINIMIZE),
                "step 3 is not a rung (rungs sit at steps 1, 2, 4, 8, ...)");
    }
}
