package dev.mlops.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/** Peak heap use over a benchmark iteration, from the JVM's memory pools (reset before, read after). */
final class MonitoringHeap {
    private MonitoringHeap() {
    }

    /** Collects garbage and resets the heap pools' peaks, so the next reading covers only what follows. */
    static void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Returns the sum of the heap pools' peaks since the last reset, in MiB. */
    static double peakMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    /** Prints the peak of an iteration, labelled, to the benchmark's output. */
    static void report(String label, double baselineMiB) {
        System.out.printf(Locale.ROOT, "%n[peak heap] %s: %.0f MiB (data held before the iteration: %.0f MiB)%n", label,
                peakMiB(), baselineMiB);
    }
}
