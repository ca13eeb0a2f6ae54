package dev.mlops.api.spi;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws {@code task [#########...........]  45%  450/1000  2.1s} on one line, redrawn in place with a carriage
 * return at most ten times a second, and ends the line when the task finishes or fails. Thread-safe.
 */
final class ConsoleProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private long lastDraw;

    ConsoleProgressBar(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        long now = System.nanoTime();
        boolean last = e.phase() == ProgressEvent.Phase.FINISHED || e.phase() == ProgressEvent.Phase.FAILED;
        if (!last && e.phase() != ProgressEvent.Phase.STARTED && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        out.print('\r');
        out.print(render(e));
        if (last) {
            out.println();
        }
        out.flush();
    }

    static String render(ProgressEvent e) {
        StringBuilder sb = new StringBuilder(e.task()).append(' ');
        double f = e.fraction();
        if (Double.isNaN(f)) {
            sb.append('[').append(" ".repeat(WIDTH)).append("]  ").append(e.done());
        } else {
            int filled = (int) Math.round(f * WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %d/%d", Math.round(f * 100), e.done(), e.total()));
        }
        sb.append(String.format(Locale.ROOT, "  %.1fs", e.elapsed().toNanos() / 1e9));
        if (e.phase() == ProgressEvent.Phase.FAILED) {
            sb.append("  failed: ").append(e.message());
        } else if (e.message() != null) {
            sb.append("  ").append(e.message());
        }
        return sb.toString();
    }
}
