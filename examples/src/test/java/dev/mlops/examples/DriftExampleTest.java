package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.retrain.RetrainingEvent;
import dev.mlops.monitoring.stream.WindowSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftExampleTest {
    @TempDir
    Path dir;

    @Test
    void recalibrationIsDetectedAndTriggersARetrainingThatIsPromoted() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DriftExample.Result r = DriftExample.run(Quickstart.loadBreastCancer(), dir,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        // Offline: the scaled size features drift, the others do not.
        Set<String> drifted = Set.copyOf(r.shiftedDrift().drifted().stream().map(ColumnDrift::column).toList());
        assertTrue(drifted.containsAll(List.of("mean_radius", "mean_area", "worst_perimeter")), drifted.toString());
        assertFalse(drifted.contains("mean_texture"), drifted.toString());
        assertFalse(drifted.contains("mean_smoothness"), drifted.toString());
        // From the stored profile, without the raw rows, every statistic is within its stated error.
        for (ColumnDrift c : r.shiftedDrift().columns()) {
            ColumnDrift p = r.profileDrift().column(c.column());
            assertTrue(Math.abs(c.statistic() - p.statistic()) <= p.statisticError() + 1e-9, c + " vs " + p);
        }

        // Online: the clean windows pass, the recalibrated ones drift and lose accuracy.
        List<WindowSummary> w = r.windows();
        assertEquals(6, w.size());
        assertTrue(w.get(0).metric("drift.share").orElseThrow() < 0.2, w.get(0).toString());
        assertTrue(w.get(0).metric("accuracy").orElseThrow() >= 0.9, w.get(0).toString());
        assertTrue(w.get(2).metric("drift.share").orElseThrow() > 0.2, w.get(2).toString());
        assertTrue(w.get(2).metric("accuracy").orElseThrow() < 0.9, w.get(2).toString());
        assertTrue(r.alerts().stream().anyMatch(a -> a.rule().equals("feature drift") && a.window() == 2));
        assertTrue(r.alerts().stream().anyMatch(a -> a.rule().equals("accuracy drop")));

        // Retraining: triggered once by the accuracy alert, then promoted; the drift alert alone does not retrain.
        List<RetrainingEvent.Step> steps = r.history().stream().map(RetrainingEvent::step).toList();
        assertTrue(steps.containsAll(List.of(RetrainingEvent.Step.TRIGGERED, RetrainingEvent.Step.RETRAINED,
                RetrainingEvent.Step.EVALUATED, RetrainingEvent.Step.PROMOTED)), steps.toString());
        assertEquals(1, steps.stream().filter(RetrainingEvent.Step.TRIGGERED::equals).count(), steps.toString());
        RetrainingEvent evaluated = r.history().stream()
                .filter(e -> e.step() == RetrainingEvent.Step.EVALUATED).findFirst().orElseThrow();
        assertTrue(evaluated.candidateScore() > evaluated.championScore(), evaluated.toString());
        assertEquals(2, r.championVersion());

        // Reports.
        String html = Files.readString(r.driftReport());
        assertTrue(html.contains("mean_radius") && html.contains("<svg"));
        assertTrue(Files.size(r.profileReport()) > 10_000);
        assertTrue(Files.exists(dir.resolve("reference-profile.json")));
        assertTrue(out.contains("ALERT accuracy drop"), out);
        assertTrue(out.contains("RETRAINING PROMOTED"), out);
        assertTrue(out.contains("The alias 'champion' points at version 2."), out);
    }
}
