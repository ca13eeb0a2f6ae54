package dev.mlops.monitoring.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.RecordingMetricSink;
import dev.mlops.monitoring.drift.ColumnRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MonitorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Frame reference(Random rnd, int n) {
        double[] x = new double[n];
        String[] p = new String[n];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
            p[i] = x[i] > 0 ? "pos" : "neg";
            y[i] = rnd.nextDouble() < 0.9 ? p[i] : (p[i].equals("pos") ? "neg" : "pos");
        }
        return Frame.builder().doubles("x", x).strings("prediction", p).strings("label", y).build();
    }

    @Test
    void countWindowsJoinDelayedLabelsAndScoreByHand() {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        RecordingMetricSink sink = new RecordingMetricSink();
        Monitor m = Monitor.builder().windowByCount(4).classification("pos").labelWait(1).metricSink(sink)
                .listener(alerts::add).rule(AlertRule.below("accuracy", 0.6)).build();
        // Window 0: predictions pos, pos, neg, neg with scores; labels arrive later.
        String[] pred = {"pos", "pos", "neg", "neg"};
        double[] score = {0.9, 0.6, 0.4, 0.2};
        for (int i = 0; i < 4; i++) {
            m.logPrediction("a" + i, T0.plusSeconds(i), Map.of(), pred[i], score[i]);
        }
        WindowSummary w0 = m.windows().get(0);
        assertTrue(w0.closed());
        assertFalse(w0.complete());
        assertEquals(4, w0.rows());
        assertEquals(0, w0.labelled());
        assertEquals(T0, w0.start());
        assertEquals(T0.plusSeconds(3), w0.end());
        // Labels: pos, neg, neg, pos -> accuracy 2/4; positives scored 0.9 and 0.2, negatives 0.6 and 0.4: AUC 2/4.
        assertTrue(m.logLabel("a0", "pos"));
        assertTrue(m.logLabel("a1", "neg"));
        assertTrue(m.logLabel("a2", "neg"));
        assertTrue(alerts.isEmpty(), "performance is final only when every row is labelled or the wait is over");
        assertTrue(m.logLabel("a3", "pos"));
        WindowSummary done = m.windows().get(0);
        assertTrue(done.complete());
        assertEquals(0.5, done.metric("accuracy").orElseThrow());
        assertEquals(0.5, done.metric("auc").orElseThrow());
        assertEquals(0.5, done.metric("precision").orElseThrow());
        assertEquals(0.5, done.metric("recall").orElseThrow());
        assertEquals(1, alerts.size());
        Alert a = alerts.get(0);
        assertEquals("accuracy", a.metric());
        assertEquals(0.5, a.value());
        assertEquals(0, a.window());
        assertTrue(a.message().contains("accuracy = 0.5000 in window 0"), a.message());
        assertTrue(sink.history("accuracy").stream().anyMatch(p -> p.value() == 0.5 && p.step() == 0));
        assertTrue(sink.history("rows").stream().anyMatch(p -> p.value() == 4));
        assertFalse(m.logLabel("a0", "pos"), "a label for a finished window is dropped");
        assertFalse(m.logLabel("nope", "pos"));
        assertEquals(2, m.unmatchedLabels());
        Frame labelled = m.recentLabelled();
        assertEquals(4, labelled.rowCount());
        assertEquals(List.of("prediction", "label", "score"), labelled.schema().names());
        assertEquals("pos", labelled.stringColumn("label").getString(3));
    }

    @Test
    void labelWaitFinalizesPartlyLabelledWindows() {
        Monitor m = Monitor.builder().windowByCount(2).labelWait(1).logAlerts(false).build();
        m.logPrediction("1", T0, Map.of(), "a");
        m.logPrediction("2", T0, Map.of(), "b");
        m.logLabel("1", "a");
        assertFalse(m.windows().get(0).complete());
        m.logPrediction("3", T0, Map.of(), "a");
        m.logPrediction("4", T0, Map.of(), "a");
        WindowSummary w0 = m.windows().get(0);
        assertTrue(w0.complete(), "one later window closed: the wait is over");
        assertEquals(1, w0.labelled());
        assertEquals(1.0, w0.metric("accuracy").orElseThrow());
        assertFalse(m.logLabel("2", "b"));
    }

    @Test
    void timeWindowsAreAlignedAndCloseOnTimeOrOnLaterPredictions() {
        Monitor m = Monitor.builder().windowByTime(Duration.ofHours(1)).regression().logAlerts(false).build();
        m.logPrediction("1", T0.plusSeconds(60), Map.of(), 1.0);
        m.logPrediction("2", T0.plusSeconds(3000), Map.of(), 2.0);
        m.logPrediction("3", T0.plusSeconds(3700), Map.of(), 3.0);
        List<WindowSummary> w = m.windows();
        assertEquals(2, w.size());
        assertEquals(T0, w.get(0).start());
        assertEquals(T0.plus(Duration.ofHours(1)), w.get(0).end());
        assertEquals(2, w.get(0).rows());
        assertTrue(w.get(0).closed());
        assertFalse(w.get(1).closed());
        m.logPrediction("late", T0.plusSeconds(10), Map.of(), 4.0);
        assertEquals(1, m.latePredictions());
        m.advanceTo(T0.plus(Duration.ofMinutes(119)));
        assertFalse(m.windows().get(1).closed());
        m.advanceTo(T0.plus(Duration.ofHours(2)));
        assertTrue(m.windows().get(1).closed());
        m.logLabel("1", 2.0);
        m.logLabel("2", 2.0);
        WindowSummary first = m.windows().get(0);
        assertEquals(Math.sqrt(0.5), first.metric("rmse").orElseThrow(), 1e-15);
        assertEquals(0.5, first.metric("mae").orElseThrow(), 1e-15);
        assertThrows(InvalidArgumentException.class, () -> m.logPrediction("x", T0, Map.of(), "text"));
        assertThrows(InvalidArgumentException.class, () -> m.logLabel("x", Double.NaN));
    }

    @Test
    void windowsAreTestedForDataAndPredictionDrift() {
        Random rnd = new Random(1);
        Frame ref = reference(rnd, 2000);
        RecordingMetricSink sink = new RecordingMetricSink();
        Monitor m = Monitor.builder().windowByCount(300).reference(ref).classification("pos").metricSink(sink)
                .logAlerts(false).build();
        for (int i = 0; i < 600; i++) {
            double x = rnd.nextGaussian() + (i >= 300 ? 1.5 : 0);
            m.logPrediction("p" + i, T0.plusSeconds(i), Map.of("x", x), x > 0 ? "pos" : "neg");
        }
        List<WindowSummary> w = m.windows();
        assertEquals(2, w.size());
        assertEquals(ColumnRole.PREDICTION, w.get(0).drift().column("prediction").role());
        assertFalse(w.get(0).drift().column("x").drifted());
        assertTrue(w.get(1).drift().column("x").drifted());
        assertTrue(w.get(1).drift().column("prediction").drifted());
        assertEquals(1.0, w.get(1).metric("drift.share").orElseThrow());
        assertTrue(w.get(1).metric("drift.x").orElseThrow() > 1.0);
        assertEquals(2, sink.history("drift.x").size());
        assertThrows(InvalidArgumentException.class, () -> m.logPrediction("bad", T0, Map.of("x", "high"), "pos"));
        assertThrows(ConflictException.class, () -> m.logPrediction("p599", T0, Map.of("x", 1.0), "pos"));
    }

    @Test
    void consecutiveRulesFireOnceAndRearm() {
        List<Alert> alerts = new ArrayList<>();
        Monitor m = Monitor.builder().windowByCount(1).labelWait(1).logAlerts(false).listener(alerts::add)
                .rule(AlertRule.below("accuracy", 0.5).consecutive(2)).build();
        boolean[] correct = {false, false, false, true, false, false};
        for (int i = 0; i < correct.length; i++) {
            m.logPrediction("" + i, T0, Map.of(), "a");
            m.logLabel("" + i, correct[i] ? "a" : "b");
        }
        // Streak: 1, 2 (fires), 3 (already fired), reset, 1, 2 (fires again).
        assertEquals(2, alerts.size());
        assertEquals(1, alerts.get(0).window());
        assertEquals(2, alerts.get(0).consecutive());
        assertEquals(5, alerts.get(1).window());
        assertTrue(alerts.get(0).rule().endsWith("x2 windows"), alerts.get(0).rule());
    }

    @Test
    void learnedRulesUseMeanPlusMinusThreeSigmaOfReferenceChunks() {
        AlertRule r = AlertRule.learned("m", List.of(1.0, 2.0, 3.0, 4.0, 5.0));
        // mean 3, sample sd sqrt(2.5)
        assertEquals(3 - 3 * Math.sqrt(2.5), r.lower(), 1e-12);
        assertEquals(3 + 3 * Math.sqrt(2.5), r.upper(), 1e-12);
        assertTrue(r.breaches(7.8));
        assertFalse(r.breaches(7.7));
        assertFalse(r.breaches(Double.NaN));
        assertThrows(InvalidArgumentException.class, () -> AlertRule.learned("m", List.of(1.0)));

        Random rnd = new Random(2);
        Frame ref = reference(rnd, 3000);
        List<Alert> alerts = new ArrayList<>();
        Monitor m = Monitor.builder().windowByCount(300).reference(ref).classification("pos")
                .learnedRule("drift.x").learnedRule("accuracy").logAlerts(false).listener(alerts::add).build();
        for (int i = 0; i < 900; i++) {
            double x = rnd.nextGaussian() + (i >= 600 ? 0.8 : 0);
            m.logPrediction("p" + i, T0, Map.of("x", x), x > 0 ? "pos" : "neg");
        }
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("drift.x", alerts.get(0).metric());
        assertEquals(2, alerts.get(0).window());
        assertTrue(alerts.get(0).rule().contains("learned"));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Monitor.builder().windowByCount(300).reference(ref).learnedRule("nope").build());
        assertTrue(e.getMessage().contains("drift.x"), e.getMessage());
    }

    @Test
    void failingListenersAndSinksDoNotBreakMonitoring() {
        List<Alert> seen = new ArrayList<>();
        Monitor m = Monitor.builder().windowByCount(1).labelWait(1).logAlerts(false)
                .metricSink(new dev.mlops.api.spi.MetricSink() {
                    @Override
                    public void logParam(String key, String value) {
                    }

                    @Override
                    public void logMetric(String key, double value, long step) {
                        throw new IllegalStateException("sink down");
                    }

                    @Override
                    public void setTag(String key, String value) {
                    }
                })
                .listener(a -> {
                    throw new IllegalStateException("listener down");
                })
                .listener(seen::add)
                .rule(AlertRule.above("rows", 0.5)).build();
        m.logPrediction("1", T0, Map.of(), "a");
        assertEquals(1, seen.size(), "the second listener still runs");
    }

    @Test
    void builderFailsFastNamingTheOption() {
        assertMessage(() -> Monitor.builder().build(), "window");
        assertMessage(() -> Monitor.builder().windowByCount(0), "windowByCount");
        assertMessage(() -> Monitor.builder().windowByCount(5).windowByTime(Duration.ofMinutes(1)), "already set");
        assertMessage(() -> Monitor.builder().windowByTime(Duration.ZERO), "windowByTime");
        assertMessage(() -> Monitor.builder().labelWait(-1), "labelWait");
        assertMessage(() -> Monitor.builder().windowByCount(5).learnedRule("accuracy").build(), "reference");
        assertMessage(() -> AlertRule.above("m", Double.NaN), "finite");
        assertMessage(() -> AlertRule.above("m", 1).consecutive(0), "consecutive");
        assertMessage(() -> new AlertRule("r", "m", 2, 1, 1), "above upper bound");
        assertMessage(() -> new AlertRule("r", " ", 0, 1, 1), "metric");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void concurrentLoggingLosesNothing() throws Exception {
        // Every window waits for labels as long as the test runs: with a shorter wait, a thread descheduled between
        // its prediction and its label could see the window's wait end first, and the label would rightly be dropped.
        Monitor m = Monitor.builder().windowByCount(100).labelWait(100).recentWindows(100).logAlerts(false).build();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2500; i++) {
                    String key = id + "-" + i;
                    m.logPrediction(key, T0, Map.of(), "a");
                    m.logLabel(key, i % 2 == 0 ? "a" : "b");
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<WindowSummary> w = m.windows();
        assertEquals(100, w.size());
        assertEquals(10_000, w.stream().mapToInt(WindowSummary::rows).sum());
        assertEquals(10_000, w.stream().mapToInt(WindowSummary::labelled).sum());
        assertEquals(0, m.unmatchedLabels());
    }
}
