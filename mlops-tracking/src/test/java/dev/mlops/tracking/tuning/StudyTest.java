package dev.mlops.tracking.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.TrialPrunedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StudyTest {
    private static final SearchSpace CONDITIONAL = SearchSpace.builder()
            .categorical("model", "linear", "tree", "forest")
            .when("model", "linear", s -> s.logUniform("lr", 1e-4, 1).uniform("l2", 0, 1, 0.25))
            .when("model", List.of("tree", "forest"), s -> s.integer("depth", 2, 12)
                    .categorical("criterion", "gini", "entropy")
                    .when("criterion", "entropy", t -> t.categorical("leaf", true, false)))
            .when("model", "forest", s -> s.logInteger("trees", 10, 1000))
            .build();

    private static List<Sampler> samplers() {
        return List.of(new RandomSampler(3), TpeSampler.builder().seed(3).startupTrials(5).build(),
                TpeSampler.builder().seed(3).startupTrials(5).multivariate(true).build(), GridSampler.of(3,
                        Map.of("lr", List.of(0.001, 0.1), "l2", List.of(0.0, 0.5), "trees", List.of(10, 100))));
    }

    @Test
    void everySamplerAssignsExactlyTheActiveParameters() {
        for (Sampler sampler : samplers()) {
            Study study = Study.builder("conditional").space(CONDITIONAL).sampler(sampler).build();
            study.optimize(t -> {
                CONDITIONAL.validate(t.params());
                return switch (t.getString("model")) {
                    case "linear" -> Math.abs(Math.log10(t.getDouble("lr")) + 2) + t.getDouble("l2");
                    case "tree" -> Math.abs(t.getLong("depth") - 6);
                    default -> Math.abs(t.getLong("depth") - 6) + 1000.0 / t.getLong("trees");
                };
            }, Budget.trials(60));
            List<FrozenTrial> trials = study.trials();
            assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE), sampler + ": " + trials);
            Set<Object> models = new HashSet<>();
            for (FrozenTrial t : trials) {
                models.add(t.params().get("model"));
                assertEquals(t.params().get("model").equals("linear"), t.params().containsKey("lr"), sampler + ": "
                        + t);
                assertEquals("entropy".equals(t.params().get("criterion")), t.params().containsKey("leaf"),
                        sampler + ": " + t);
                if (t.params().containsKey("l2")) {
                    double l2 = (Double) t.params().get("l2");
                    assertEquals(0, (l2 * 4) % 1, 1e-12, "l2 lies on its 0.25 grid: " + l2);
                }
            }
            assertEquals(Set.of("linear", "tree", "forest"), models, sampler.toString());
        }
    }

    @Test
    void gridCoversEveryCombinationOnceThenStops() {
        SearchSpace space = SearchSpace.builder().categorical("kind", "a", "b").when("kind", "a",
                s -> s.integer("n", 1, 3)).uniform("x", 0, 1).build();
        Study study = Study.builder("grid").space(space)
                .sampler(GridSampler.of(7, Map.of("x", List.of(0.0, 0.5)))).build();
        OptimizeReport report = study.optimize(t -> t.getDouble("x"), Budget.trials(100));
        assertEquals(OptimizeReport.StopReason.SAMPLER_EXHAUSTED, report.stopReason());
        assertEquals(8, report.started(), "kind=a: 3 n x 2 x; kind=b: 2 x");
        assertEquals(8, study.trials().stream().map(FrozenTrial::params).distinct().count());
        assertThrows(InvalidArgumentException.class, () -> Study.builder("grid2").space(space)
                .sampler(GridSampler.of(7)).build().optimize(t -> 0, Budget.trials(1)),
                "a real parameter needs explicit grid values");
    }

    @Test
    void failuresAreRecordedAndTheStudyGoesOn() {
        SearchSpace space = SearchSpace.builder().integer("i", 0, 1000).build();
        Study study = Study.builder("failing").space(space).sampler(new RandomSampler(1)).build();
        AtomicInteger calls = new AtomicInteger();
        OptimizeReport report = study.optimize(t -> {
            int n = calls.getAndIncrement();
            if (n % 3 == 0) {
                throw new IllegalStateException("boom " + n);
            }
            if (n % 3 == 1) {
                return Double.NaN;
            }
            return n;
        }, Budget.trials(9));
        assertEquals(9, report.started());
        assertEquals(3, report.complete());
        assertEquals(6, report.failed());
        FrozenTrial first = study.trials().get(0);
        assertEquals(TrialState.FAIL, first.state());
        assertTrue(first.error().contains("boom 0"), first.error());
        assertTrue(study.trials().get(1).error().contains("NaN"), study.trials().get(1).error());
        assertEquals(2, study.bestTrial().value());
    }

    @Test
    void budgetsOfCostAndTimeStopTheStudy() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        Study byCost = Study.builder("cost").space(space).sampler(new RandomSampler(1)).build();
        OptimizeReport cost = byCost.optimize(t -> {
            t.reportCost(2.5);
            return t.getDouble("x");
        }, Budget.cost(10));
        assertEquals(OptimizeReport.StopReason.MAX_COST, cost.stopReason());
        assertEquals(4, cost.started());
        assertEquals(10, cost.cost(), 1e-12);

        Study byTime = Study.builder("time").space(space).sampler(new RandomSampler(1)).build();
        OptimizeReport time = byTime.optimize(t -> {
            Thread.sleep(5);
            return t.getDouble("x");
        }, Budget.duration(Duration.ofMillis(100)).withTrials(100_000));
        assertEquals(OptimizeReport.StopReason.MAX_DURATION, time.stopReason());
        assertTrue(time.started() < 100_000);
        OptimizeReport nan = byCost.optimize(t -> {
            t.reportCost(Double.NaN);
            return 0;
        }, Budget.trials(1));
        assertEquals(1, nan.failed());
        assertTrue(byCost.trials().get(byCost.trials().size() - 1).error().contains("NaN"));
    }

    @Test
    void parallelTrialsGetDistinctNumbersAndAllFinish() {
        SearchSpace space = SearchSpace.builder().uniform("x", -1, 1).build();
        Study study = Study.builder("parallel").space(space).parallelism(4)
                .sampler(TpeSampler.builder().seed(9).startupTrials(4).build()).build();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        OptimizeReport report = study.optimize(t -> {
            threads.add(Thread.currentThread().getName());
            Thread.sleep(1);
            Thread.sleep(2);
            return t.getDouble("x") * t.getDouble("x");
        }, Budget.trials(40));
        assertEquals(40, report.started());
        assertEquals(40, report.complete());
        List<Integer> numbers = study.trials().stream().map(FrozenTrial::number).toList();
        assertEquals(java.util.stream.IntStream.range(0, 40).boxed().toList(), numbers);
        assertTrue(threads.size() > 1, "trials ran on several threads: " + threads);
    }

    @Test
    void equalSeedsGiveEqualSuggestions() {
        for (int round = 0; round < 2; round++) {
            List<List<Map<String, Object>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Study study = Study.builder("det").space(CONDITIONAL)
                        .sampler(TpeSampler.builder().seed(11).startupTrials(3).multivariate(round == 1).build())
                        .build();
                study.optimize(t -> t.params().toString().length(), Budget.trials(25));
                runs.add(study.trials().stream().map(FrozenTrial::params).toList());
            }
            assertEquals(runs.get(0), runs.get(1));
        }
    }

    @Test
    void multiObjectiveStudiesReturnTheirParetoFront() {
        SearchSpace space = SearchSpace.builder().uniform("x", -1, 3).build();
        Study study = Study.builder("pareto").space(space).directions(Direction.MINIMIZE, Direction.MINIMIZE)
                .objectiveNames("loss", "cost").sampler(TpeSampler.builder().seed(5).startupTrials(8).build())
                .build();
        study.optimizeMulti(t -> {
            double x = t.getDouble("x");
            return new double[] {x * x, (x - 2) * (x - 2)};
        }, Budget.trials(50));
        List<FrozenTrial> front = study.paretoFront();
        List<FrozenTrial> all = study.trials();
        for (FrozenTrial t : all) {
            boolean dominated = all.stream().anyMatch(o -> Pareto.dominates(o.values(), t.values(),
                    study.directions()));
            assertEquals(!dominated, front.contains(t), t.toString());
        }
        long inside = front.stream().filter(t -> (Double) t.params().get("x") >= 0 && (Double) t.params().get("x") <= 2)
                .count();
        assertTrue(inside >= front.size() - 2, "the true front is x in [0, 2]: " + front);
        assertTrue(front.size() >= 10, "TPE spreads along the front: " + front.size());
        assertThrows(IllegalStateException.class, study::bestTrial);
        Frame frame = study.trialsFrame();
        assertEquals(50, frame.rowCount());
        assertTrue(frame.schema().names().containsAll(List.of("values.loss", "values.cost", "trial_cost", "params.x", "state")),
                frame.schema().toString());
    }

    @Test
    void constantLiarSteersAwayFromRunningTrials() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        List<FrozenTrial> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double x = i / 40.0;
            history.add(new FrozenTrial(i, TrialState.COMPLETE, Map.of("x", x), List.of(Math.abs(x - 0.3)),
                    new java.util.TreeMap<>(), 0, java.time.Instant.EPOCH, java.time.Instant.EPOCH, null, null));
        }
        for (int i = 0; i < 8; i++) {
            history.add(new FrozenTrial(40 + i, TrialState.RUNNING, Map.of("x", 0.3), List.of(),
                    new java.util.TreeMap<>(), 0, java.time.Instant.EPOCH, null, null, null));
        }
        double plain = 0;
        double liar = 0;
        for (long seed = 0; seed < 40; seed++) {
            plain += Math.abs((Double) TpeSampler.builder().seed(seed).build()
                    .sample(space, List.of(Direction.MINIMIZE), history).get("x") - 0.3);
            liar += Math.abs((Double) TpeSampler.builder().seed(seed).constantLiar(true).build()
                    .sample(space, List.of(Direction.MINIMIZE), history).get("x") - 0.3);
        }
        assertTrue(liar > 1.5 * plain, "with running trials at 0.3, suggestions move away: " + liar + " vs " + plain);
    }

    @Test
    void maximizingStudiesPickTheLargestValue() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        Study study = Study.builder("max").space(space).maximize().sampler(new RandomSampler(2)).build();
        study.optimize(t -> t.getDouble("x"), Budget.trials(30));
        double max = study.trials().stream().mapToDouble(FrozenTrial::value).max().orElseThrow();
        assertEquals(max, study.bestTrial().value());
    }

    @Test
    void objectivesSeeClearErrorsForWrongParameterAccess() {
        Study study = Study.builder("access").space(CONDITIONAL).sampler(new RandomSampler(4)).build();
        List<String> errors = new ArrayList<>();
        study.optimize(t -> {
            try {
                t.getDouble("nope");
            } catch (InvalidArgumentException e) {
                errors.add(e.getMessage());
            }
            try {
                t.getLong("model");
            } catch (InvalidArgumentException e) {
                errors.add(e.getMessage());
            }
            return 0;
        }, Budget.trials(1));
        assertTrue(errors.get(0).contains("'nope'"), errors.toString());
        assertTrue(errors.get(1).contains("not a whole number"), errors.toString());
    }

    @Test
    void prunedTrialsAreRecordedAsPruned() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        Study study = Study.builder("prune").space(space).sampler(new RandomSampler(1))
                .pruner(new MedianPruner(0, 0, 1, 1)).build();
        study.optimize(t -> {
            for (int step = 0; step < 5; step++) {
                t.report(step, t.getDouble("x"));
                if (t.shouldPrune()) {
                    throw new TrialPrunedException();
                }
            }
            return t.getDouble("x");
        }, Budget.trials(20));
        long pruned = study.trials().stream().filter(t -> t.state() == TrialState.PRUNED).count();
        assertTrue(pruned > 0 && pruned < 20, "pruned " + pruned);
        assertFalse(study.trials().stream().filter(t -> t.state() == TrialState.PRUNED)
                .anyMatch(t -> t.intermediate().isEmpty()));
    }
}
