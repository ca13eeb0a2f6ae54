package dev.mlops.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpiTest {
    @Test
    void recordingSinkKeepsHistoryAndEnforcesParamImmutability() {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
        RecordingMetricSink sink = new RecordingMetricSink(clock);
        sink.logParams(Map.of("lr", 0.1));
        sink.logParam("lr", "0.1");
        ConflictException e = assertThrows(ConflictException.class, () -> sink.logParam("lr", "0.2"));
        assertTrue(e.getMessage().contains("'0.1'") && e.getMessage().contains("'0.2'"), e.getMessage());
        sink.logMetric("loss", 1.0, 0);
        clock.advance(Duration.ofSeconds(5));
        sink.logMetric("loss", Double.NaN, 1);
        sink.logMetrics(Map.of("acc", 0.9), 1);
        sink.setTag("team", "risk");
        sink.setTag("team", "fraud");
        assertEquals(List.of("loss", "acc"), sink.metricKeys());
        assertEquals(2, sink.history("loss").size());
        assertEquals(Instant.parse("2026-01-01T00:00:05Z"), sink.history("loss").get(1).timestamp());
        assertTrue(Double.isNaN(sink.last("loss")));
        assertEquals("fraud", sink.tags().get("team"));
        assertThrows(NotFoundException.class, () -> sink.history("nope"));
        sink.logMetric("loss", 1, -1);
        assertEquals(-1, sink.history("loss").get(2).step(), "negative steps are allowed, as in MLflow");
        assertThrows(InvalidArgumentException.class, () -> sink.logParam("", "x"));
    }

    @Test
    void progressShieldsWorkFromAFailingListener() {
        List<ProgressEvent> seen = new ArrayList<>();
        ProgressListener failing = e -> {
            seen.add(e);
            throw new IllegalStateException("listener broke");
        };
        ManualTimeSource clock = new ManualTimeSource(Instant.EPOCH);
        try (Progress p = Progress.start(failing, "train", 4, clock)) {
            p.advance(1);
            clock.advance(Duration.ofMillis(250));
            p.advance(3, "loss 0.1");
            p.finish();
            p.finish();
        }
        assertEquals(List.of(ProgressEvent.Phase.STARTED, ProgressEvent.Phase.ADVANCED, ProgressEvent.Phase.ADVANCED,
                ProgressEvent.Phase.FINISHED), seen.stream().map(ProgressEvent::phase).toList());
        ProgressEvent last = seen.get(3);
        assertEquals(4, last.done());
        assertEquals(1.0, last.fraction());
        assertEquals(Duration.ofMillis(250), last.elapsed());
    }

    @Test
    void closingWithoutFinishingReportsFailure() {
        List<ProgressEvent> seen = new ArrayList<>();
        try (Progress p = Progress.start(seen::add, "load", -1)) {
            p.advance(10);
        }
        ProgressEvent last = seen.get(seen.size() - 1);
        assertEquals(ProgressEvent.Phase.FAILED, last.phase());
        assertTrue(Double.isNaN(seen.get(1).fraction()), "an unknown total has no fraction");
    }

    @Test
    void consoleBarDrawsInPlaceAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener bar = ProgressListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (Progress p = Progress.start(bar, "epochs", 10)) {
            p.advance(5);
            p.finish();
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\repochs ["), out);
        assertTrue(out.contains("100%  10/10") || out.contains("100%  5/10") || out.contains(" 50%  5/10"), out);
        assertTrue(out.endsWith(System.lineSeparator()), "the finished bar ends its line");
        assertTrue(out.contains("[" + "#".repeat(30) + "]") || out.contains("[" + "#".repeat(15)), out);
    }

    @Test
    void loggingListenerAcceptsEveryPhase() {
        ProgressListener log = ProgressListener.logging();
        try (Progress p = Progress.start(log, "materialize", 100)) {
            for (int i = 0; i < 100; i++) {
                p.advance(1);
            }
            p.fail(new RuntimeException("disk full"));
        }
        ProgressListener.noop().onProgress(new ProgressEvent("x", ProgressEvent.Phase.STARTED, 0, 0, Duration.ZERO, null));
        assertEquals(1.0, new ProgressEvent("x", ProgressEvent.Phase.FINISHED, 0, 0, Duration.ZERO, null).fraction());
    }

    @Test
    void manualClockOnlyMovesForward() {
        ManualTimeSource clock = new ManualTimeSource(Instant.EPOCH);
        assertEquals(Instant.EPOCH.plusSeconds(60), clock.advance(Duration.ofMinutes(1)));
        assertEquals(60_000_000_000L, clock.nanoTime());
        assertThrows(InvalidArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        MetricSink.noop().logMetric("x", 1);
        assertTrue(TimeSource.system().now().isAfter(Instant.parse("2020-01-01T00:00:00Z")));
    }
}
