package dev.mlops.api.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs progress at INFO, throttled per task to a line per tenth of the work or per ten seconds. */
final class LoggingProgressListener implements ProgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingProgressListener.class);
    private static final long MIN_INTERVAL_NANOS = 10_000_000_000L;

    private final Map<String, long[]> lastLogged = new ConcurrentHashMap<>();

    @Override
    public void onProgress(ProgressEvent e) {
        switch (e.phase()) {
            case STARTED -> {
                lastLogged.put(e.task(), new long[] {System.nanoTime(), 0});
                LOG.info("{}: started{}", e.task(), e.total() >= 0 ? " (" + e.total() + " steps)" : "");
            }
            case ADVANCED -> {
                long[] last = lastLogged.computeIfAbsent(e.task(), k -> new long[] {System.nanoTime(), 0});
                long tenth = (long) Math.floor(e.fraction() * 10);
                long now = System.nanoTime();
                boolean due;
                synchronized (last) {
                    due = (!Double.isNaN(e.fraction()) && tenth > last[1]) || now - last[0] >= MIN_INTERVAL_NANOS;
                    if (due) {
                        last[0] = now;
                        last[1] = Math.max(last[1], tenth);
                    }
                }
                if (due) {
                    LOG.info("{}: {}{} after {} ms", e.task(), e.done(), e.total() >= 0 ? "/" + e.total() : "",
                            e.elapsed().toMillis());
                }
            }
            case FINISHED -> {
                lastLogged.remove(e.task());
                LOG.info("{}: finished {} steps in {} ms", e.task(), e.done(), e.elapsed().toMillis());
            }
            case FAILED -> {
                lastLogged.remove(e.task());
                LOG.warn("{}: failed after {} ms: {}", e.task(), e.elapsed().toMillis(), e.message());
            }
            default -> throw new IllegalStateException("unknown phase " + e.phase());
        }
    }
}
