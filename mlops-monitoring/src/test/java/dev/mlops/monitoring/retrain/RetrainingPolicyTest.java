package dev.mlops.monitoring.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.ModelPromoter;
import dev.mlops.api.spi.ModelPromoter.Outcome;
import dev.mlops.api.spi.ModelPromoter.PromotionRequest;
import dev.mlops.api.spi.ModelPromoter.PromotionResult;
import dev.mlops.monitoring.retrain.RetrainingEvent.Step;
import dev.mlops.monitoring.stream.Alert;
import dev.mlops.monitoring.stream.AlertRule;
import dev.mlops.monitoring.stream.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetrainingPolicyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ManualTimeSource clock = new ManualTimeSource(T0);
    private final List<PromotionRequest> promotions = new ArrayList<>();
    private final AtomicLong nextVersion = new AtomicLong(2);

    private static Alert alert(String rule) {
        return new Alert(rule, "drift.share", 0.8, Double.NaN, 0.5, 1, 3, T0, T0, T0, "drift.share = 0.8");
    }

    private static Frame labelled(int rows) {
        String[] y = new String[rows];
        java.util.Arrays.fill(y, "a");
        return Frame.builder().strings("label", y).build();
    }

    private RetrainingPolicy.Builder policy(Map<Long, Double> scores, Outcome outcome) {
        return RetrainingPolicy.builder().model("churn").championVersion(1).clock(clock)
                .retrainer(r -> nextVersion.getAndIncrement())
                .scorer((version, data) -> scores.get(version))
                .promoter(req -> {
                    promotions.add(req);
                    return new PromotionResult(outcome, outcome == Outcome.REFUSED ? "policy says no" : "ok",
                            outcome == Outcome.APPROVAL_REQUESTED ? "req-7" : null);
                });
    }

    private static List<Step> steps(RetrainingPolicy p) {
        return p.history().stream().map(RetrainingEvent::step).toList();
    }

    @Test
    void betterCandidateIsPromotedWithEvidenceAndEveryStepRecorded() {
        RetrainingPolicy p = policy(Map.of(1L, 0.80, 2L, 0.90), Outcome.PROMOTED).build();
        assertTrue(p.onAlert(alert("drift"), labelled(50)));
        assertEquals(List.of(Step.TRIGGERED, Step.RETRAINED, Step.EVALUATED, Step.PROMOTED), steps(p));
        assertEquals(2, p.championVersion());
        PromotionRequest req = promotions.get(0);
        assertEquals("churn", req.model());
        assertEquals(2, req.version());
        assertEquals("champion", req.alias());
        assertEquals("mlops-monitoring", req.actor());
        assertEquals(0.90, req.evidence().get("candidate_score"));
        assertEquals(0.80, req.evidence().get("champion_score"));
        assertEquals(50.0, req.evidence().get("labelled_rows"));
        assertTrue(req.reason().contains("drift"), req.reason());
        RetrainingEvent evaluated = p.history().get(2);
        assertEquals(0.80, evaluated.championScore());
        assertEquals(0.90, evaluated.candidateScore());
        assertEquals(2, evaluated.candidateVersion());
        assertTrue(evaluated.reason().contains("champion v1 scores 0.8000"), evaluated.reason());
        assertFalse(p.running());
    }

    @Test
    void worseOrEqualCandidateKeepsTheChampion() {
        RetrainingPolicy p = policy(Map.of(1L, 0.90, 2L, 0.90), Outcome.PROMOTED).build();
        p.onAlert(alert("drift"), labelled(50));
        assertEquals(Step.KEPT_CHAMPION, steps(p).get(3));
        assertEquals(1, p.championVersion());
        assertTrue(promotions.isEmpty());

        RetrainingPolicy margin = policy(Map.of(1L, 0.90, 3L, 0.905), Outcome.PROMOTED).minImprovement(0.01).build();
        nextVersion.set(3);
        margin.onAlert(alert("drift"), labelled(50));
        assertEquals(Step.KEPT_CHAMPION, steps(margin).get(3));
    }

    @Test
    void approvalAndRefusalAreRecorded() {
        RetrainingPolicy ask = policy(Map.of(1L, 0.5, 2L, 0.9), Outcome.APPROVAL_REQUESTED).build();
        ask.onAlert(alert("drift"), labelled(50));
        assertEquals(Step.APPROVAL_REQUESTED, steps(ask).get(3));
        assertTrue(ask.history().get(3).reason().contains("req-7"));
        assertEquals(1, ask.championVersion(), "the champion moves only on promotion");

        nextVersion.set(2);
        RetrainingPolicy no = policy(Map.of(1L, 0.5, 2L, 0.9), Outcome.REFUSED).build();
        no.onAlert(alert("drift"), labelled(50));
        assertEquals(Step.REFUSED, steps(no).get(3));
        assertEquals("policy says no", no.history().get(3).reason());
    }

    @Test
    void coolDownKeepsOneDriftFromStartingAStorm() {
        RetrainingPolicy p = policy(Map.of(1L, 0.5, 2L, 0.9, 3L, 0.95), Outcome.PROMOTED)
                .cooldown(Duration.ofHours(6)).build();
        assertTrue(p.onAlert(alert("drift"), labelled(50)));
        clock.advance(Duration.ofHours(1));
        assertFalse(p.onAlert(alert("drift"), labelled(50)));
        RetrainingEvent skipped = p.history().get(4);
        assertEquals(Step.SKIPPED, skipped.step());
        assertTrue(skipped.reason().contains("cool-down") && skipped.reason().contains("2026-03-01T16:00:00Z"),
                skipped.reason());
        clock.advance(Duration.ofHours(5));
        assertTrue(p.onAlert(alert("drift"), labelled(50)));
        assertEquals(3, p.championVersion());
    }

    @Test
    void onlyOneAttemptRunsAtATime() throws Exception {
        CountDownLatch inRetrain = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            RetrainingPolicy p = RetrainingPolicy.builder().model("m").championVersion(1).clock(clock)
                    .cooldown(Duration.ZERO).executor(pool)
                    .retrainer(r -> {
                        inRetrain.countDown();
                        release.await();
                        return 2;
                    })
                    .scorer((v, d) -> v).promoter(r -> new PromotionResult(Outcome.PROMOTED, "ok", null)).build();
            assertTrue(p.onAlert(alert("a"), labelled(40)));
            assertTrue(inRetrain.await(10, TimeUnit.SECONDS));
            assertTrue(p.running());
            assertFalse(p.onAlert(alert("b"), labelled(40)));
            assertTrue(p.history().get(1).reason().contains("already running"));
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(Step.PROMOTED, p.history().get(p.history().size() - 1).step());
            assertFalse(p.running());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failuresAreRecordedAndNeverThrown() {
        RetrainingPolicy p = RetrainingPolicy.builder().model("m").championVersion(1).clock(clock)
                .cooldown(Duration.ZERO)
                .retrainer(r -> {
                    throw new IllegalStateException("out of GPUs");
                })
                .scorer((v, d) -> 1).promoter(r -> new PromotionResult(Outcome.PROMOTED, "ok", null)).build();
        p.onAlert(alert("a"), labelled(40));
        assertEquals(Step.FAILED, steps(p).get(1));
        assertTrue(p.history().get(1).reason().contains("out of GPUs"));
        assertFalse(p.running());

        RetrainingPolicy scoring = RetrainingPolicy.builder().model("m").championVersion(1).clock(clock)
                .retrainer(r -> 2).scorer((v, d) -> {
                    throw new java.io.IOException("model file missing");
                }).promoter(r -> new PromotionResult(Outcome.PROMOTED, "ok", null)).build();
        scoring.onAlert(alert("a"), labelled(40));
        assertEquals(Step.FAILED, steps(scoring).get(2));

        RetrainingPolicy promoting = RetrainingPolicy.builder().model("m").championVersion(1).clock(clock)
                .retrainer(r -> 2).scorer((v, d) -> v).promoter(r -> {
                    throw new IllegalStateException("registry down");
                }).build();
        promoting.onAlert(alert("a"), labelled(40));
        assertEquals(Step.FAILED, steps(promoting).get(3));
        assertEquals(1, promoting.championVersion());
    }

    @Test
    void skipsWithoutEnoughDataOrForOtherRules() {
        RetrainingPolicy p = policy(Map.of(1L, 0.5, 2L, 0.9), Outcome.PROMOTED).minLabelledRows(100)
                .triggers("accuracy drop").build();
        assertFalse(p.onAlert(alert("drift"), labelled(500)));
        assertTrue(p.history().get(0).reason().contains("not one of the triggers"));
        assertFalse(p.onAlert(alert("accuracy drop"), labelled(99)));
        assertTrue(p.history().get(1).reason().contains("only 99 labelled rows"));
        p.onAlert(alert("drift"));
        assertEquals(Step.SKIPPED, steps(p).get(2));
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> RetrainingPolicy.builder().model("m").build());
        assertTrue(e.getMessage().contains("championVersion, retrainer, scorer, promoter"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> RetrainingPolicy.builder().cooldown(Duration.ofHours(-1)));
        assertThrows(InvalidArgumentException.class, () -> RetrainingPolicy.builder().minImprovement(-0.1));
        assertThrows(InvalidArgumentException.class, () -> RetrainingPolicy.builder().model(" "));
        assertThrows(InvalidArgumentException.class, () -> RetrainingPolicy.builder().model("a").model("b"));
    }

    @Test
    void closesTheLoopFromAMonitorAlertToAPromotion() {
        ModelPromoter registry = req -> {
            promotions.add(req);
            return new PromotionResult(Outcome.PROMOTED, "alias moved", null);
        };
        // Version 1 always answers "a"; the retrained version 2 answers right. Accuracy is the score.
        RetrainingPolicy policy = RetrainingPolicy.builder().model("m").championVersion(1).clock(clock)
                .retrainer(r -> 2).promoter(registry).minLabelledRows(10)
                .scorer((version, data) -> version == 2 ? 1.0
                        : data.stringColumn("label").stream().filter("a"::equals).count() / (double) data.rowCount())
                .build();
        Monitor monitor = Monitor.builder().windowByCount(20).labelWait(1).logAlerts(false)
                .rule(AlertRule.below("accuracy", 0.8)).listener(policy).build();
        for (int i = 0; i < 20; i++) {
            monitor.logPrediction("id" + i, T0, Map.of(), "a");
        }
        for (int i = 0; i < 20; i++) {
            monitor.logLabel("id" + i, i % 2 == 0 ? "a" : "b");
        }
        assertEquals(List.of(Step.TRIGGERED, Step.RETRAINED, Step.EVALUATED, Step.PROMOTED), steps(policy));
        assertEquals(2, policy.championVersion());
        assertEquals(1, promotions.size());
        assertEquals(0.5, policy.history().get(2).championScore());
        assertTrue(policy.history().get(0).reason().contains("accuracy = 0.5000"));
    }
}
