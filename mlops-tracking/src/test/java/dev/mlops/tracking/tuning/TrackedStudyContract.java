package dev.mlops.tracking.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.TrialPrunedException;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracking;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracked study on a tracking backend: trials are child runs, and the study resumes from them. */
abstract class TrackedStudyContract {
    @TempDir
    Path dir;

    Tracking tracking;

    /** Opens the store under test (the same one each time it is called). */
    abstract Tracking open();

    @AfterEach
    void closeStore() {
        if (tracking != null) {
            tracking.close();
        }
    }

    private static final SearchSpace SPACE = SearchSpace.builder()
            .categorical("kind", "a", "b", 3L)
            .when("kind", "a", s -> s.logUniform("lr", 1e-3, 1))
            .integer("n", 1, 5)
            .build();

    private Study study(Tracking t, SearchSpace space) {
        return Study.builder("tuning").space(space).maximize().tracking(t)
                .sampler(TpeSampler.builder().seed(1).startupTrials(4).build()).build();
    }

    private static double score(dev.mlops.api.tuning.Trial t) {
        double base = t.getLong("n") + (t.has("lr") ? -Math.abs(Math.log10(t.getDouble("lr")) + 1) : 0);
        if (t.getString("kind").equals("b") && t.getLong("n") == 1) {
            throw new IllegalArgumentException("kind b cannot run with n = 1");
        }
        return base;
    }

    @Test
    void trialsAreChildRunsAndTheStudyResumes() {
        tracking = open();
        Study first = study(tracking, SPACE);
        first.optimize(t -> {
            t.metrics().logMetric("extra", 1.5, 0);
            t.reportCost(0.5);
            for (int step = 0; step < 3; step++) {
                t.report(step, step * 0.1);
            }
            return score(t);
        }, Budget.trials(12));
        List<FrozenTrial> before = first.trials();
        FrozenTrial bestBefore = first.bestTrial();
        tracking.close();

        tracking = open();
        Study second = study(tracking, SPACE);
        List<FrozenTrial> reloaded = second.trials();
        assertEquals(before.size(), reloaded.size());
        for (int i = 0; i < before.size(); i++) {
            FrozenTrial a = before.get(i);
            FrozenTrial b = reloaded.get(i);
            assertEquals(a.number(), b.number());
            assertEquals(a.state(), b.state());
            assertEquals(a.params(), b.params(), "parameters come back with their types");
            assertEquals(a.values(), b.values());
            assertEquals(a.intermediate(), b.intermediate());
            assertEquals(a.cost(), b.cost(), 1e-12);
            assertEquals(a.runId(), b.runId());
        }
        assertEquals(bestBefore.number(), second.bestTrial().number());
        second.optimize(StudyTestSupport::constant, Budget.trials(3));
        assertEquals(List.of(12, 13, 14), second.trials().subList(12, 15).stream().map(FrozenTrial::number).toList(),
                "numbers continue after a resume");

        RunInfo run = tracking.getRun(bestBefore.runId());
        assertEquals("trial-" + bestBefore.number(), run.name());
        assertEquals(RunStatus.FINISHED, run.status());
        assertEquals(bestBefore.value(), run.metrics().get("value"));
        assertEquals(1.5, run.metrics().get("extra"));
        assertEquals(0.5, run.metrics().get("trial_cost"));
        assertEquals(String.valueOf(bestBefore.params().get("n")), run.params().get("n"));
        assertEquals("COMPLETE", run.tags().get("mlops.trial.state"));
        assertNotNull(run.parentRunId());
        assertEquals(tracking.getExperiment("tuning").id(), second.experimentId().orElseThrow());
    }

    @Test
    void failedAndPrunedTrialsAreStoredWithTheirState() {
        tracking = open();
        Study study = Study.builder("states").space(SearchSpace.builder().integer("i", 0, 2).build())
                .tracking(tracking).sampler(GridSampler.of(1)).build();
        study.optimize(t -> {
            if (t.getLong("i") == 0) {
                throw new IllegalStateException("broken");
            }
            if (t.getLong("i") == 1) {
                t.report(0, 1);
                throw new TrialPrunedException();
            }
            return 2;
        }, Budget.trials(3));
        tracking.close();
        tracking = open();
        Study again = Study.builder("states").space(SearchSpace.builder().integer("i", 0, 2).build())
                .tracking(tracking).build();
        Map<Object, FrozenTrial> byI = new java.util.HashMap<>();
        again.trials().forEach(t -> byI.put(t.params().get("i"), t));
        assertEquals(TrialState.FAIL, byI.get(0L).state());
        assertTrue(byI.get(0L).error().contains("broken"), byI.get(0L).error());
        assertEquals(RunStatus.FAILED, tracking.getRun(byI.get(0L).runId()).status());
        assertEquals(TrialState.PRUNED, byI.get(1L).state());
        assertEquals(RunStatus.KILLED, tracking.getRun(byI.get(1L).runId()).status());
        assertEquals(TrialState.COMPLETE, byI.get(2L).state());
    }

    @Test
    void aTrialLeftRunningByACrashIsMarkedFailedOnReopen() {
        tracking = open();
        Study study = study(tracking, SPACE);
        study.optimize(StudyTestSupport::constant, Budget.trials(2));
        String studyRunId = tracking.getExperiment("tuning").tags().get("mlops.study.runId");
        Run orphan = tracking.resumeRun(studyRunId).startChildRun("trial-2");
        orphan.setTag("mlops.trial.number", "2");
        orphan.setTag("mlops.trial.state", "RUNNING");
        orphan.logParam("kind", "3");
        orphan.logParam("n", "4");
        tracking.flush();
        tracking.close();

        tracking = open();
        Study reopened = study(tracking, SPACE);
        FrozenTrial crashed = reopened.trials().get(2);
        assertEquals(TrialState.FAIL, crashed.state());
        assertEquals(Map.of("kind", 3L, "n", 4L), crashed.params());
        assertTrue(crashed.error().contains("interrupted"), crashed.error());
        assertEquals(RunStatus.FAILED, tracking.getRun(orphan.id()).status());
        reopened.optimize(StudyTestSupport::constant, Budget.trials(1));
        assertEquals(3, reopened.trials().get(3).number());
    }

    @Test
    void aDifferentSearchSpaceOrDirectionIsRefused() {
        tracking = open();
        study(tracking, SPACE).optimize(StudyTestSupport::constant, Budget.trials(1));
        SearchSpace wider = SearchSpace.builder().categorical("kind", "a", "b", 3L)
                .when("kind", "a", s -> s.logUniform("lr", 1e-3, 10)).integer("n", 1, 5).build();
        ConflictException space = assertThrows(ConflictException.class, () -> study(tracking, wider));
        assertTrue(space.getMessage().contains("search space"), space.getMessage());
        Supplier<Study> minimizing = () -> Study.builder("tuning").space(SPACE).minimize().tracking(tracking).build();
        ConflictException direction = assertThrows(ConflictException.class, minimizing::get);
        assertTrue(direction.getMessage().contains("MAXIMIZE"), direction.getMessage());
        assertEquals(1, study(tracking, SPACE).trials().size(), "nothing was changed by the refusals");
    }
}
