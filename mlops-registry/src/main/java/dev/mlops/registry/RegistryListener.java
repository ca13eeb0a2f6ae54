package dev.mlops.registry;

/**
 * Receives registry events after they are committed, the in-process form of MLflow's webhooks. A listener that
 * throws is logged and skipped; it never undoes or blocks the change. Listeners are called on the thread that made
 * the change and must be thread-safe.
 */
@FunctionalInterface
public interface RegistryListener {
    /**
     * Receives one event.
     *
     * @param event what changed
     */
    void onEvent(RegistryEvent event);
}
