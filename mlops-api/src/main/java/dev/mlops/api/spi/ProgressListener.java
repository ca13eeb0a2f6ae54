package dev.mlops.api.spi;

import java.io.PrintStream;

/**
 * Receives progress reports from long work: training, tuning, materialization, report building.
 *
 * <p>Library code reports through {@link Progress}, which shields it from a listener that throws (the failure is
 * logged, never propagated). Listeners may be called from several threads and must be thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Receives one report.
     *
     * @param event the report
     */
    void onProgress(ProgressEvent event);

    /**
     * Returns the default listener, which logs through SLF4J at INFO: the start, the end, and in between at most
     * one line per tenth of the work or per ten seconds.
     *
     * @return a logging listener
     */
    static ProgressListener logging() {
        return new LoggingProgressListener();
    }

    /**
     * Returns a listener that ignores every report.
     *
     * @return the no-op listener
     */
    static ProgressListener noop() {
        return event -> { };
    }

    /**
     * Returns a text progress bar for terminals, JShell and example programs, redrawn in place on one line.
     *
     * @param out the stream to draw on, for instance {@code System.err}
     * @return a console listener
     */
    static ProgressListener console(PrintStream out) {
        return new ConsoleProgressBar(out);
    }
}
