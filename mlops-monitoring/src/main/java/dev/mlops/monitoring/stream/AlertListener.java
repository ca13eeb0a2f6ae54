package dev.mlops.monitoring.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives alerts. A listener that throws is logged and otherwise ignored: it never breaks monitoring or the other
 * listeners. Listeners may be called from the threads that log predictions and labels, so they must be thread-safe
 * and should return quickly (hand long work to an executor).
 */
@FunctionalInterface
public interface AlertListener {
    /**
     * Receives one alert.
     *
     * @param alert the alert
     */
    void onAlert(Alert alert);

    /**
     * Receives one alert together with the monitor that raised it, for listeners that need its data (a retraining
     * policy reads {@link Monitor#recentLabelled()}). By default it calls {@link #onAlert(Alert)}.
     *
     * @param alert the alert
     * @param source the monitor that raised it
     */
    default void onAlert(Alert alert, Monitor source) {
        onAlert(alert);
    }

    /**
     * Returns the default listener, which logs each alert through SLF4J at WARN under the logger
     * {@code dev.mlops.monitoring.alerts}.
     *
     * @return the logging listener
     */
    static AlertListener logging() {
        return LoggingAlertListener.INSTANCE;
    }
}

/** Logs alerts at WARN. */
final class LoggingAlertListener implements AlertListener {
    static final LoggingAlertListener INSTANCE = new LoggingAlertListener();
    private static final Logger LOG = LoggerFactory.getLogger("dev.mlops.monitoring.alerts");

    private LoggingAlertListener() {
    }

    @Override
    public void onAlert(Alert alert) {
        LOG.warn("alert '{}' on window {}: {}", alert.rule(), alert.window(), alert.message());
    }

    @Override
    public String toString() {
        return "AlertListener.logging()";
    }
}
