package dev.mlops.tracking;

import dev.mlops.api.ConflictException;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RelativePath;
import dev.mlops.api.RunUri;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.MetricSink;
import dev.mlops.storage.BlobStore;
import dev.mlops.tracking.internal.Limits;
import dev.mlops.tracking.internal.LogWriter;
import dev.mlops.tracking.internal.TrackingStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A run in progress: the handle through which params, metrics, tags, artifacts and dataset inputs are logged. It
 * implements {@link MetricSink}, so code in other modules can log into it without depending on tracking.
 *
 * <p>Logging returns without waiting for I/O (see {@link Tracking}). Params are immutable once logged: logging the
 * same value again is allowed, another value throws {@link ConflictException} at once. Closing the run ends it as
 * FINISHED unless it was ended already; to record FAILED on an exception, call {@link #fail(Throwable)} or use
 * {@link Experiment#run(String, java.util.function.Consumer)}. Thread-safe: several threads may log into one run.
 */
public final class Run implements MetricSink, AutoCloseable {
    /** The tag that records why a run failed. */
    public static final String ERROR_TAG = "mlops.error";
    /** The tag that names a nested run's parent, as MLflow's {@code mlflow.parentRunId}. */
    public static final String PARENT_TAG = "mlops.parentRunId";

    private final Tracking tracking;
    private final String runId;
    private final String experimentId;
    private final Map<String, String> params = new ConcurrentHashMap<>();
    private final Set<String> checkedKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    Run(Tracking tracking, String runId, String experimentId, Map<String, String> existingParams) {
        this.tracking = tracking;
        this.runId = runId;
        this.experimentId = experimentId;
        this.params.putAll(existingParams);
    }

    /**
     * Returns the run's id.
     *
     * @return 32 hex characters
     */
    public String id() {
        return runId;
    }

    /**
     * Returns the id of the run's experiment.
     *
     * @return 32 hex characters
     */
    public String experimentId() {
        return experimentId;
    }

    /**
     * Returns a snapshot of the run, including everything logged so far.
     *
     * @return the run's info
     */
    public RunInfo info() {
        return tracking.getRun(runId);
    }

    /**
     * Returns the URI of one of this run's artifacts.
     *
     * @param artifactPath the path inside the artifacts
     * @return {@code runs:/<id>/<path>}
     */
    public RunUri artifactUri(String artifactPath) {
        return RunUri.of(runId, artifactPath);
    }

    // ---------------------------------------------------------------- params, metrics, tags

    @Override
    public void logParam(String key, String value) {
        Limits.checkKey("param", key);
        Limits.checkValue("param", key, value, Limits.MAX_PARAM_VALUE_LENGTH);
        String previous = params.putIfAbsent(key, value);
        if (previous != null) {
            if (!previous.equals(value)) {
                throw new ConflictException("param '" + key + "' was logged as '" + previous + "' and cannot change to '"
                        + value + "'");
            }
            return;
        }
        tracking.writer().submit(new LogWriter.ParamOp(runId, key, value));
    }

    @Override
    public void logMetric(String key, double value, long step) {
        if (!checkedKeys.contains(key)) {
            Limits.checkKey("metric", key);
            checkedKeys.add(key);
        }
        tracking.writer().submit(new LogWriter.MetricOp(runId, key, value, tracking.clock().now().toEpochMilli(), step));
    }

    @Override
    public void setTag(String key, String value) {
        Limits.checkKey("tag", key);
        Limits.checkValue("tag", key, value, Limits.MAX_TAG_VALUE_LENGTH);
        tracking.writer().submit(new LogWriter.TagOp(runId, key, value));
    }

    /**
     * Deletes a tag; deleting an absent tag does nothing.
     *
     * @param key the tag key
     */
    public void deleteTag(String key) {
        Limits.checkKey("tag", key);
        tracking.writer().submit(new LogWriter.TagOp(runId, key, null));
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Records a dataset the run used.
     *
     * @param input the dataset and its role
     */
    public void logInput(DatasetInput input) {
        tracking.store().logInput(runId, experimentId, input);
    }

    /**
     * Records a frame the run used, with its digest and schema.
     *
     * @param frame the data
     * @param name the dataset's name
     * @param context its role, for instance {@code "training"} or {@code "evaluation"}
     */
    public void logInput(Frame frame, String name, String context) {
        logInput(DatasetInput.of(frame, name).withContext(context));
    }

    // ---------------------------------------------------------------- artifacts

    /**
     * Stores a file among the run's artifacts, under a directory of the artifacts with the file's own name.
     *
     * @param file a local regular file
     * @param artifactDirectory the directory inside the artifacts; empty for the top
     * @return what was stored
     * @throws NotFoundException if the file does not exist
     * @throws InvalidArgumentException if the directory or file name is hostile (see {@link RelativePath}) or the
     *     file is a directory
     */
    public ArtifactInfo logArtifact(Path file, String artifactDirectory) {
        RelativePath dir = RelativePath.of(artifactDirectory == null ? "" : artifactDirectory);
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException(file + " is a directory; use logArtifacts to store a directory");
        }
        if (!Files.exists(file)) {
            throw new NotFoundException("file not found: " + file);
        }
        RelativePath target = dir.resolve(RelativePath.of(file.getFileName().toString()));
        BlobStore.Blob blob = tracking.artifactStore().putFile(file);
        tracking.store().putArtifacts(runId, List.of(new TrackingStore.ArtifactRow(target.toString(), blob.size(),
                blob.sha256())));
        return new ArtifactInfo(target.toString(), false, blob.size(), blob.sha256());
    }

    /**
     * Stores every file below a local directory among the run's artifacts, keeping the relative layout. A symbolic
     * link inside the directory is followed only if it stays inside it.
     *
     * @param directory a local directory
     * @param artifactDirectory the directory inside the artifacts; empty for the top
     * @return the stored files
     * @throws InvalidArgumentException if a link leads out of the directory or a name is hostile; nothing is
     *     recorded then
     */
    public List<ArtifactInfo> logArtifacts(Path directory, String artifactDirectory) {
        RelativePath dir = RelativePath.of(artifactDirectory == null ? "" : artifactDirectory);
        if (!Files.isDirectory(directory)) {
            throw new NotFoundException("directory not found: " + directory);
        }
        List<TrackingStore.ArtifactRow> rows = new ArrayList<>();
        List<ArtifactInfo> infos = new ArrayList<>();
        try {
            Path base = directory.toRealPath();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(directory)) {
                files = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            List<RelativePath> targets = new ArrayList<>();
            for (Path f : files) {
                if (Files.isSymbolicLink(f) && (!Files.exists(f) || !f.toRealPath().startsWith(base))) {
                    throw new InvalidArgumentException("link " + f + " leads out of " + directory + "; not logged");
                }
                if (Files.isDirectory(f)) {
                    throw new InvalidArgumentException("link " + f + " points to a directory; not logged");
                }
                String relative = directory.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                targets.add(dir.resolve(RelativePath.of(relative)));
            }
            for (int i = 0; i < files.size(); i++) {
                BlobStore.Blob blob = tracking.artifactStore().putFile(files.get(i));
                String path = targets.get(i).toString();
                rows.add(new TrackingStore.ArtifactRow(path, blob.size(), blob.sha256()));
                infos.add(new ArtifactInfo(path, false, blob.size(), blob.sha256()));
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + directory + ": " + e.getMessage(), e);
        }
        if (!rows.isEmpty()) {
            tracking.store().putArtifacts(runId, rows);
        }
        return infos;
    }

    /**
     * Stores text as an artifact file, UTF-8 encoded.
     *
     * @param text the content
     * @param artifactFile the file's path inside the artifacts, for instance {@code "notes/summary.md"}
     * @return what was stored
     */
    public ArtifactInfo logText(String text, String artifactFile) {
        return logBytes(text.getBytes(StandardCharsets.UTF_8), artifactFile);
    }

    /**
     * Stores bytes as an artifact file.
     *
     * @param content the content
     * @param artifactFile the file's path inside the artifacts
     * @return what was stored
     */
    public ArtifactInfo logBytes(byte[] content, String artifactFile) {
        RelativePath target = RelativePath.of(artifactFile);
        if (target.isRoot()) {
            throw new InvalidArgumentException("an artifact file needs a name");
        }
        BlobStore.Blob blob = tracking.artifactStore().put(new ByteArrayInputStream(content));
        tracking.store().putArtifacts(runId, List.of(new TrackingStore.ArtifactRow(target.toString(), blob.size(),
                blob.sha256())));
        return new ArtifactInfo(target.toString(), false, blob.size(), blob.sha256());
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts a nested run in the same experiment, with this run as its parent.
     *
     * @param name the child's name
     * @return the running child
     */
    public Run startChildRun(String name) {
        Run child = tracking.startRun(tracking.refresh(experimentId), name, runId);
        child.setTag(PARENT_TAG, runId);
        return child;
    }

    /**
     * Ends the run with a status; everything logged before is flushed first.
     *
     * @param status a terminal status (FINISHED, FAILED or KILLED)
     * @throws InvalidArgumentException if the status is not terminal
     */
    public void end(RunStatus status) {
        if (!status.isTerminal()) {
            throw new InvalidArgumentException("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        ended = true;
        tracking.endRun(runId, status);
    }

    /**
     * Ends the run as FAILED, recording the error's type and message in the tag {@value #ERROR_TAG}.
     *
     * @param error what went wrong
     */
    public void fail(Throwable error) {
        String text = error.getClass().getName() + ": " + error.getMessage();
        setTag(ERROR_TAG, text.length() > Limits.MAX_TAG_VALUE_LENGTH ? text.substring(0, Limits.MAX_TAG_VALUE_LENGTH)
                : text);
        end(RunStatus.FAILED);
    }

    /** Ends the run as FINISHED unless it was ended already. */
    @Override
    public void close() {
        if (!ended) {
            end(RunStatus.FINISHED);
        }
    }

    @Override
    public String toString() {
        return "Run[" + runId + "]";
    }
}
