package dev.mlops.tracking;

import dev.mlops.tracking.internal.TrackingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An experiment: a named group of runs. A snapshot of the experiment's state plus the operations on it; immutable
 * and thread-safe. Obtain one from {@link Tracking#experiment(String)}.
 */
public final class Experiment {
    private final Tracking tracking;
    private final TrackingStore.ExperimentRow row;

    Experiment(Tracking tracking, TrackingStore.ExperimentRow row) {
        this.tracking = tracking;
        this.row = row;
    }

    /**
     * Returns the experiment's id.
     *
     * @return 32 hex characters
     */
    public String id() {
        return row.id();
    }

    /**
     * Returns the experiment's unique name.
     *
     * @return the name
     */
    public String name() {
        return row.name();
    }

    /**
     * Returns whether the experiment is active or archived (as of this snapshot).
     *
     * @return the lifecycle stage
     */
    public LifecycleStage lifecycle() {
        return row.lifecycle();
    }

    /**
     * Returns when the experiment was created.
     *
     * @return the creation time
     */
    public Instant creationTime() {
        return Instant.ofEpochMilli(row.creationTime());
    }

    /**
     * Returns the experiment's tags (as of this snapshot).
     *
     * @return an unmodifiable map
     */
    public Map<String, String> tags() {
        return Map.copyOf(row.tags());
    }

    /**
     * Sets a tag on the experiment.
     *
     * @param key the tag key
     * @param value the value, at most 5000 characters
     * @return a fresh snapshot including the tag
     * @throws dev.mlops.api.InvalidArgumentException if the key or value breaks MLflow's limits
     */
    public Experiment setTag(String key, String value) {
        tracking.setExperimentTag(id(), key, value);
        return tracking.refresh(id());
    }

    /**
     * Starts a run. Close it (try-with-resources) to end it as FINISHED, or end it explicitly with
     * {@link Run#end(RunStatus)}.
     *
     * @param name the run's name
     * @return the running run
     * @throws dev.mlops.api.ConflictException if the experiment is archived
     */
    public Run startRun(String name) {
        return tracking.startRun(this, name, null);
    }

    /**
     * Starts a run with a generated name.
     *
     * @return the running run
     * @throws dev.mlops.api.ConflictException if the experiment is archived
     */
    public Run startRun() {
        return tracking.startRun(this, null, null);
    }

    /**
     * Runs work inside a new run: the run ends FINISHED when the work returns and FAILED (with the error recorded
     * in the tag {@code mlops.error}) when it throws; the error is rethrown.
     *
     * @param name the run's name
     * @param work what to do with the run
     * @return the finished run's info
     */
    public RunInfo run(String name, Consumer<Run> work) {
        Run run = startRun(name);
        try {
            work.accept(run);
        } catch (RuntimeException | Error e) {
            run.fail(e);
            throw e;
        }
        run.close();
        return tracking.getRun(run.id());
    }

    /**
     * Searches this experiment's runs; see {@link Tracking#searchRuns(Tracking.SearchRuns)} for the grammar.
     *
     * @param filter the filter, blank for all
     * @param orderBy the order, blank for newest first
     * @param maxResults the most runs returned
     * @return the matching runs
     */
    public List<RunInfo> searchRuns(String filter, String orderBy, int maxResults) {
        return tracking.searchRuns(this, filter, orderBy, maxResults);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Experiment e && e.row.id().equals(row.id());
    }

    @Override
    public int hashCode() {
        return row.id().hashCode();
    }

    @Override
    public String toString() {
        return "Experiment[" + name() + ", id=" + id() + ", " + lifecycle() + "]";
    }
}
