package dev.mlops.tracking;

import dev.mlops.api.RunUri;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a run: its attributes and its data (params, latest metric values, tags, dataset inputs).
 *
 * @param runId the run's id
 * @param experimentId the experiment's id
 * @param name the run's name
 * @param status the run's status
 * @param startTime when the run started
 * @param endTime when the run ended, or {@code null} while it runs
 * @param user who started it
 * @param source what started it (a main class, a notebook)
 * @param parentRunId the parent run's id for a nested run, or {@code null}
 * @param lifecycle active or archived
 * @param params parameter values by key
 * @param metrics the latest value of each metric by key
 * @param tags tag values by key
 * @param inputs the datasets the run used
 */
public record RunInfo(String runId, String experimentId, String name, RunStatus status, Instant startTime,
        Instant endTime, String user, String source, String parentRunId, LifecycleStage lifecycle,
        Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags, List<DatasetInput> inputs) {
    /**
     * Copies the collections and checks the required parts.
     *
     * @throws NullPointerException if a required part is null
     */
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
        params = Map.copyOf(params);
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
        inputs = List.copyOf(inputs);
    }

    /**
     * Returns the URI of an artifact of this run, for lineage records such as a registered model's source.
     *
     * @param artifactPath the path inside the run's artifacts
     * @return {@code runs:/<run-id>/<path>}
     */
    public RunUri artifactUri(String artifactPath) {
        return RunUri.of(runId, artifactPath);
    }
}
