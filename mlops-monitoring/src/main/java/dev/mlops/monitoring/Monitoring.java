package dev.mlops.monitoring;

import dev.mlops.api.Frame;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.retrain.RetrainingPolicy;
import dev.mlops.monitoring.stream.Monitor;

/**
 * The front door of monitoring: data profiles, drift detection, live monitors and retraining policies.
 *
 * <pre>{@code
 * DatasetProfile profile = Monitoring.profile(training);             // exploratory profile, mergeable, JSON
 * profile.writeHtml(Path.of("training-profile.html"), "Training data");
 * profile.writeJson(Path.of("reference-profile.json"));               // keep it instead of the raw rows
 *
 * DriftReport drift = Monitoring.drift(training, lastWeek);           // Evidently's default tests and thresholds
 * DriftReport fromProfile = Monitoring.driftDetector().build()
 *         .compare(DatasetProfile.readJson(Path.of("reference-profile.json")), lastWeek);
 * drift.writeHtml(Path.of("drift.html"), "Drift: last week vs training");
 *
 * Monitor monitor = Monitoring.monitor().windowByCount(500).reference(training).build();
 * }</pre>
 *
 * <p>Static methods only; thread-safe.
 */
public final class Monitoring {
    private Monitoring() {
    }

    /**
     * Profiles a frame with the default sketch sizes.
     *
     * @param frame the data
     * @return the profile
     */
    public static DatasetProfile profile(Frame frame) {
        return Profiler.defaults().profile(frame);
    }

    /**
     * Starts configuring a profiler (sketch sizes, correlations).
     *
     * @return a new builder
     */
    public static Profiler.Builder profiler() {
        return Profiler.builder();
    }

    /**
     * Compares current data with a reference using the default detector (see {@link DriftDetector#defaults()}).
     *
     * @param reference the reference rows
     * @param current the rows to test
     * @return the drift report
     */
    public static DriftReport drift(Frame reference, Frame current) {
        return DriftDetector.defaults().compare(reference, current);
    }

    /**
     * Starts configuring a drift detector.
     *
     * @return a new builder
     */
    public static DriftDetector.Builder driftDetector() {
        return DriftDetector.builder();
    }

    /**
     * Starts configuring a live monitor.
     *
     * @return a new builder
     */
    public static Monitor.Builder monitor() {
        return Monitor.builder();
    }

    /**
     * Starts configuring a retraining policy.
     *
     * @return a new builder
     */
    public static RetrainingPolicy.Builder retrainingPolicy() {
        return RetrainingPolicy.builder();
    }
}
