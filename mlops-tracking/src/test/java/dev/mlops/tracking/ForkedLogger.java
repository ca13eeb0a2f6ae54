package dev.mlops.tracking;

import java.nio.file.Path;

/**
 * A program that multi-process tests start in a separate JVM. Modes:
 * {@code log <root> <experiment> <run> <count>} logs count metrics and exits;
 * {@code crash <root> <experiment> <run>} logs forever, flushing every 500 values and printing
 * {@code FLUSHED <n>} after each flush, until it is killed.
 */
public final class ForkedLogger {
    private ForkedLogger() {
    }

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments
     */
    public static void main(String[] args) {
        String mode = args[0];
        Path root = Path.of(args[1]);
        try (Tracking tracking = Tracking.builder().root(root).user("forked").build()) {
            Run run = tracking.experiment(args[2]).startRun(args[3]);
            System.out.println("RUN " + run.id());
            System.out.flush();
            run.logParam("pid", Long.toString(ProcessHandle.current().pid()));
            if (mode.equals("log")) {
                int count = Integer.parseInt(args[4]);
                for (int i = 0; i < count; i++) {
                    run.logMetric("m", i, i);
                    if (i % 1000 == 999) {
                        tracking.flush();
                    }
                }
                run.close();
                System.out.println("DONE");
                return;
            }
            for (long i = 0; ; i++) {
                run.logMetric("m", i, i);
                if (i % 500 == 499) {
                    tracking.flush();
                    System.out.println("FLUSHED " + (i + 1));
                    System.out.flush();
                }
            }
        }
    }
}
