package dev.mlops.tracking;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RelativePath;
import dev.mlops.api.Schema;
import dev.mlops.api.RunUri;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.api.spi.LineageSource;
import dev.mlops.api.spi.MetricPoint;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.storage.BlobStore;
import dev.mlops.storage.Database;
import dev.mlops.tracking.internal.Limits;
import dev.mlops.tracking.internal.LogWriter;
import dev.mlops.tracking.internal.SearchParser;
import dev.mlops.tracking.internal.SearchSql;
import dev.mlops.tracking.internal.TrackingStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The front door of experiment tracking: experiments, runs, their params, metrics, tags, artifacts and dataset
 * inputs, and search over them, in the MLflow data model.
 *
 * <pre>{@code
 * try (Tracking tracking = Tracking.open(Path.of("mlops-data"))) {          // SQLite + local artifacts
 *     Experiment exp = tracking.experiment("churn");                         // get or create
 *     try (Run run = exp.startRun("sgd-baseline")) {                         // FINISHED on close
 *         run.logParams(Map.of("lr", 0.1, "epochs", 5));
 *         run.logMetric("loss", 0.42, 1);
 *     }
 *     List<RunInfo> best = tracking.searchRuns(exp, "metrics.auc > 0.9", "metrics.auc DESC", 10);
 * }
 * }</pre>
 *
 * <p>Logging does not wait for I/O: values go through a bounded queue to one writer thread that commits them in
 * batches (see {@link Builder#queueCapacity(int)} and {@link BackpressurePolicy}). {@link #flush()} returns once
 * everything logged before it is durable, and every read through this object (a search, {@link #getRun}) flushes
 * first, so it sees everything logged before it. Thread-safe; {@link #close()} flushes and releases the
 * connections and the writer thread.
 */
public final class Tracking implements LineageSource, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_RESULTS_LIMIT = 50_000;

    private final TrackingStore store;
    private final BlobStore artifacts;
    private final LogWriter writer;
    private final TimeSource clock;
    private final String user;
    private final String source;

    private Tracking(Builder b) {
        Path lock = null;
        String url = b.jdbcUrl;
        Path artifactRoot = b.artifactRoot;
        if (b.root != null) {
            Path root = b.root.toAbsolutePath().normalize();
            url = "jdbc:sqlite:" + root.resolve("tracking.db");
            lock = root.resolve(".tracking.lock");
            artifactRoot = artifactRoot != null ? artifactRoot : root.resolve("artifacts");
        } else if (url.startsWith("jdbc:sqlite:")) {
            Path file = Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
            Path dir = file.toAbsolutePath().getParent();
            lock = dir.resolve(file.getFileName() + ".lock");
            artifactRoot = artifactRoot != null ? artifactRoot : dir.resolve("artifacts");
        }
        if (artifactRoot == null) {
            artifactRoot = Path.of("mlops-data", "artifacts");
        }
        this.clock = b.clock;
        this.user = b.user;
        this.source = b.source;
        this.artifacts = new BlobStore(artifactRoot);
        Database db = Database.open(url, b.schema, b.durability == Durability.POWER_LOSS, b.poolSize, lock,
                "dev/mlops/tracking/db", "mlops_tracking_schema_history");
        this.store = new TrackingStore(db);
        this.writer = new LogWriter(b.queueCapacity, b.backpressure, store::writeBatch, "mlops-tracking-writer");
    }

    /**
     * Opens (creating if needed) an embedded store under a directory: {@code tracking.db} (SQLite) and
     * {@code artifacts/}.
     *
     * @param root the directory
     * @return the open store
     * @throws dev.mlops.api.UnavailableException if the store cannot be opened or migrated
     */
    public static Tracking open(Path root) {
        return builder().root(root).build();
    }

    /**
     * Opens a store on a database given by JDBC URL ({@code jdbc:postgresql://host/db} or {@code jdbc:sqlite:file}),
     * with artifacts in {@code mlops-data/artifacts} (for SQLite: beside the database file).
     *
     * @param jdbcUrl the database
     * @return the open store
     * @throws dev.mlops.api.UnavailableException if the database cannot be reached or migrated
     */
    public static Tracking open(String jdbcUrl) {
        return builder().jdbcUrl(jdbcUrl).build();
    }

    /**
     * Starts configuring a store.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- experiments

    /**
     * Returns the active experiment with this name, creating it if there is none.
     *
     * @param name the experiment's name
     * @return the experiment
     * @throws ConflictException if an archived experiment has this name
     * @throws InvalidArgumentException if the name is blank or too long
     */
    public Experiment experiment(String name) {
        Limits.checkName("experiment", name, Limits.MAX_EXPERIMENT_NAME_LENGTH);
        TrackingStore.ExperimentRow row = store.createExperimentIfAbsent(newId(), name, clock.now().toEpochMilli());
        if (row.lifecycle() == LifecycleStage.ARCHIVED) {
            throw new ConflictException("experiment '" + name + "' is archived; restore it with restoreExperiment(\""
                    + name + "\") or choose another name");
        }
        return new Experiment(this, row);
    }

    /**
     * Returns an existing experiment by name, active or archived.
     *
     * @param name the experiment's name
     * @return the experiment
     * @throws NotFoundException if there is none
     */
    public Experiment getExperiment(String name) {
        return findExperiment(name).orElseThrow(() -> new NotFoundException("experiment '" + name + "' does not exist"));
    }

    /**
     * Finds an experiment by name.
     *
     * @param name the experiment's name
     * @return the experiment, or empty
     */
    public Optional<Experiment> findExperiment(String name) {
        return store.experimentByName(name).map(row -> new Experiment(this, row));
    }

    /**
     * Lists experiments by name.
     *
     * @param view active, archived or all
     * @return the experiments, ordered by name
     */
    public List<Experiment> experiments(ViewType view) {
        return store.experiments(view).stream().map(row -> new Experiment(this, row)).toList();
    }

    /**
     * Archives an experiment: it disappears from default listings and no new runs can start in it; nothing is
     * deleted.
     *
     * @param name the experiment's name
     * @throws NotFoundException if there is none
     */
    public void archiveExperiment(String name) {
        store.setExperimentLifecycle(getExperiment(name).id(), LifecycleStage.ARCHIVED, clock.now().toEpochMilli());
    }

    /**
     * Restores an archived experiment.
     *
     * @param name the experiment's name
     * @return the restored experiment
     * @throws NotFoundException if there is none
     */
    public Experiment restoreExperiment(String name) {
        store.setExperimentLifecycle(getExperiment(name).id(), LifecycleStage.ACTIVE, clock.now().toEpochMilli());
        return getExperiment(name);
    }

    void setExperimentTag(String experimentId, String key, String value) {
        Limits.checkKey("tag", key);
        Limits.checkValue("tag", key, value, Limits.MAX_TAG_VALUE_LENGTH);
        store.setExperimentTag(experimentId, key, value);
    }

    Experiment refresh(String experimentId) {
        return new Experiment(this, store.experimentById(experimentId)
                .orElseThrow(() -> new NotFoundException("experiment id '" + experimentId + "' does not exist")));
    }

    // ---------------------------------------------------------------- runs

    Run startRun(Experiment experiment, String name, String parentRunId) {
        Experiment current = refresh(experiment.id());
        if (current.lifecycle() == LifecycleStage.ARCHIVED) {
            throw new ConflictException("experiment '" + current.name() + "' is archived; restore it to start runs");
        }
        String runName = name == null ? "run-" + Long.toString(clock.now().toEpochMilli(), 36) : name;
        Limits.checkName("run", runName, Limits.MAX_RUN_NAME_LENGTH);
        String runId = newId();
        long now = clock.now().toEpochMilli();
        store.createRun(new TrackingStore.RunRow(runId, current.id(), runName, RunStatus.RUNNING, now, null, user,
                source, parentRunId, LifecycleStage.ACTIVE));
        return new Run(this, runId, current.id(), Map.of());
    }

    /**
     * Returns a handle on an existing run, to log more to it (for instance to resume after a restart).
     *
     * @param runId the run's id
     * @return a run handle; closing it ends the run as FINISHED if it is still running
     * @throws NotFoundException if there is no such run
     */
    public Run resumeRun(String runId) {
        TrackingStore.RunRow row = store.runRow(runId)
                .orElseThrow(() -> new NotFoundException("run '" + runId + "' does not exist"));
        return new Run(this, runId, row.experimentId(), store.params(runId));
    }

    /**
     * Returns a run with its params, latest metrics, tags and inputs.
     *
     * @param runId the run's id
     * @return the run
     * @throws NotFoundException if there is no such run
     */
    public RunInfo getRun(String runId) {
        flush();
        return store.getRun(runId);
    }

    /**
     * Archives a run: searches skip it unless asked for archived runs.
     *
     * @param runId the run's id
     * @throws NotFoundException if there is no such run
     */
    public void archiveRun(String runId) {
        flush();
        store.setRunLifecycle(runId, LifecycleStage.ARCHIVED);
    }

    /**
     * Restores an archived run.
     *
     * @param runId the run's id
     * @throws NotFoundException if there is no such run
     */
    public void restoreRun(String runId) {
        store.setRunLifecycle(runId, LifecycleStage.ACTIVE);
    }

    void endRun(String runId, RunStatus status) {
        flush();
        store.updateRun(runId, status, clock.now().toEpochMilli());
    }

    /**
     * Returns a metric's full history, ordered by step and timestamp.
     *
     * @param runId the run's id
     * @param key the metric key
     * @return every logged point; empty if the metric was never logged
     */
    public List<MetricPoint> metricHistory(String runId, String key) {
        flush();
        return store.metricHistory(runId, key);
    }

    /**
     * Lists the datasets a run used, for the registry's lineage.
     *
     * @param run the run (the URI's path is ignored)
     * @return the run's dataset inputs
     * @throws NotFoundException if the run does not exist
     */
    @Override
    public List<DatasetRef> datasetsOf(RunUri run) {
        return getRun(run.runId()).inputs().stream().map(i -> new DatasetRef(i.name(), i.digest(), i.context())).toList();
    }

    // ---------------------------------------------------------------- search

    /**
     * Searches runs of one experiment with MLflow's filter grammar.
     *
     * @param experiment the experiment
     * @param filter for instance {@code metrics.auc > 0.9 and params.model = 'sgd'}; blank for all runs
     * @param orderBy for instance {@code metrics.auc DESC, params.lr}; blank for newest first
     * @param maxResults the most runs returned, 1 to 50,000
     * @return the matching active runs
     * @throws InvalidArgumentException if the filter or order-by is malformed, naming the position
     */
    public List<RunInfo> searchRuns(Experiment experiment, String filter, String orderBy, int maxResults) {
        return searchRuns(SearchRuns.in(experiment).filter(filter).orderBy(orderBy).maxResults(maxResults)).runs();
    }

    /**
     * Searches runs, one page at a time.
     *
     * <p>Filter grammar: clauses joined by {@code AND}; each is {@code <entity>.<key> <op> <value>} where the entity is
     * {@code metrics}, {@code params}, {@code tags}, {@code attributes} (run_id, run_name, status, start_time,
     * end_time, user_id, source, parent_run_id) or {@code datasets} (name, digest, context); keys with spaces or
     * dots are quoted with backticks or double quotes; ops are {@code = != < <= > >= LIKE ILIKE IN NOT IN}; metric
     * and time values are numbers, all others quoted strings.
     *
     * @param request what to search
     * @return one page of runs and the token of the next page
     * @throws InvalidArgumentException if the filter, order-by or page token is malformed
     */
    public RunPage searchRuns(SearchRuns request) {
        List<SearchParser.Clause> clauses = SearchParser.parseFilter(request.filter());
        List<SearchParser.OrderKey> order = SearchParser.parseOrderBy(request.orderBy());
        if (request.maxResults() < 1 || request.maxResults() > MAX_RESULTS_LIMIT) {
            throw new InvalidArgumentException("maxResults must be between 1 and " + MAX_RESULTS_LIMIT + ", but was "
                    + request.maxResults());
        }
        String fingerprint = fingerprint(request);
        int offset = request.pageToken() == null ? 0 : decodePageToken(request.pageToken(), fingerprint);
        flush();
        SearchSql.Query q = SearchSql.build(store.db().dialect(), request.experimentIds(), request.view(), clauses, order,
                request.maxResults() + 1, offset);
        List<TrackingStore.RunRow> rows = store.searchRows(q);
        String next = null;
        if (rows.size() > request.maxResults()) {
            rows = rows.subList(0, request.maxResults());
            next = encodePageToken(offset + request.maxResults(), fingerprint);
        }
        return new RunPage(store.withData(rows), next);
    }

    private static String fingerprint(SearchRuns r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((r.experimentIds() + "\u0000" + r.filter() + "\u0000" + r.orderBy() + "\u0000" + r.view() + "\u0000"
                    + r.maxResults()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encodePageToken(int offset, String fingerprint) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((offset + ":" + fingerprint)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int decodePageToken(String token, String fingerprint) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
            int offset = Integer.parseInt(parts[0]);
            if (parts.length != 2 || offset < 0 || !parts[1].equals(fingerprint)) {
                throw new IllegalArgumentException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("page token '" + token + "' is malformed or belongs to another search");
        }
    }

    /**
     * Compares runs side by side: one row per run (in the order given) with its id, name, status and start time, a
     * {@code params.<key>} string column per param and a {@code metrics.<key>} double column per metric (latest
     * values) found in any of the runs; absent values are null.
     *
     * @param runIds the runs
     * @return the comparison
     * @throws NotFoundException if a run does not exist
     */
    public Frame compareRuns(Collection<String> runIds) {
        flush();
        List<RunInfo> runs = new ArrayList<>();
        for (String id : runIds) {
            runs.add(store.getRun(id));
        }
        TreeSet<String> paramKeys = new TreeSet<>();
        TreeSet<String> metricKeys = new TreeSet<>();
        for (RunInfo r : runs) {
            paramKeys.addAll(r.params().keySet());
            metricKeys.addAll(r.metrics().keySet());
        }
        List<Field> fields = new ArrayList<>(List.of(Field.required("run_id", DataType.STRING),
                Field.required("run_name", DataType.STRING), Field.required("status", DataType.STRING),
                Field.required("start_time", DataType.TIMESTAMP)));
        paramKeys.forEach(k -> fields.add(Field.of("params." + k, DataType.STRING)));
        metricKeys.forEach(k -> fields.add(Field.of("metrics." + k, DataType.DOUBLE)));
        Frame.RowBuilder b = Frame.rowBuilder(Schema.of(fields));
        for (RunInfo r : runs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run_id", r.runId());
            row.put("run_name", r.name());
            row.put("status", r.status().name());
            row.put("start_time", r.startTime());
            r.params().forEach((k, v) -> row.put("params." + k, v));
            r.metrics().forEach((k, v) -> row.put("metrics." + k, v));
            b.row(row);
        }
        return b.build();
    }

    // ---------------------------------------------------------------- artifacts

    BlobStore artifactStore() {
        return artifacts;
    }

    /**
     * Lists the files and directories directly under a path of a run's artifacts.
     *
     * @param runId the run's id
     * @param path a directory path inside the artifacts; empty for the top
     * @return the entries, ordered by path
     * @throws InvalidArgumentException if the path is malformed or hostile
     */
    public List<ArtifactInfo> listArtifacts(String runId, String path) {
        RelativePath dir = RelativePath.of(path);
        String prefix = dir.isRoot() ? "" : dir + "/";
        Map<String, ArtifactInfo> entries = new LinkedHashMap<>();
        for (TrackingStore.ArtifactRow row : store.artifacts(runId)) {
            if (!row.path().startsWith(prefix)) {
                continue;
            }
            String rest = row.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(row.path(), new ArtifactInfo(row.path(), false, row.size(), row.sha256()));
            } else {
                String child = prefix + rest.substring(0, slash);
                ArtifactInfo previous = entries.get(child);
                long size = (previous == null ? 0 : previous.size()) + row.size();
                entries.put(child, new ArtifactInfo(child, true, size, null));
            }
        }
        return entries.values().stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
    }

    /**
     * Opens a run's artifact file for reading; the stream verifies the file's SHA-256 when it reaches the end.
     *
     * @param runId the run's id
     * @param path the file's path inside the artifacts
     * @return a stream the caller closes
     * @throws NotFoundException if there is no such file
     */
    public InputStream openArtifact(String runId, String path) {
        String p = RelativePath.of(path).toString();
        TrackingStore.ArtifactRow row = store.artifacts(runId).stream().filter(r -> r.path().equals(p)).findFirst()
                .orElseThrow(() -> new NotFoundException("run " + runId + " has no artifact file '" + p + "'"));
        return artifacts.open(row.sha256(), row.size(), p);
    }

    /**
     * Downloads a run's artifact file, or a directory with everything below it, into a local directory, verifying
     * every file's SHA-256.
     *
     * @param runId the run's id
     * @param path a file or directory inside the artifacts; empty for all
     * @param destination the local directory to write into
     * @return the local path of the downloaded file or directory
     * @throws NotFoundException if nothing is stored under the path
     * @throws dev.mlops.api.IntegrityException if a stored file no longer matches its digest
     */
    public Path downloadArtifacts(String runId, String path, Path destination) {
        RelativePath base = RelativePath.of(path);
        String prefix = base.isRoot() ? "" : base + "/";
        int copied = 0;
        for (TrackingStore.ArtifactRow row : store.artifacts(runId)) {
            if (row.path().equals(base.toString()) || row.path().startsWith(prefix)) {
                Path target = RelativePath.of(row.path()).resolveUnder(destination);
                artifacts.copyTo(row.sha256(), row.size(), row.path(), target);
                copied++;
            }
        }
        if (copied == 0) {
            throw new NotFoundException("run " + runId + " has no artifacts under '" + base + "'");
        }
        return base.resolveUnder(destination);
    }

    // ---------------------------------------------------------------- plumbing

    TrackingStore store() {
        return store;
    }

    LogWriter writer() {
        return writer;
    }

    TimeSource clock() {
        return clock;
    }

    /**
     * Waits until everything logged before this call is durable.
     *
     * @throws dev.mlops.api.MlopsException the first write failure since the previous flush, for instance a
     *     {@link ConflictException} when another process logged a param with another value
     */
    public void flush() {
        writer.flush();
    }

    /** Flushes, stops the writer thread and closes the connections. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            store.db().close();
        }
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Configures a {@link Tracking} store. Not thread-safe; each option may be set once.
     */
    public static final class Builder {
        private Path root;
        private String jdbcUrl;
        private Path artifactRoot;
        private String schema;
        private Durability durability = Durability.PROCESS_CRASH;
        private int queueCapacity = 100_000;
        private BackpressurePolicy backpressure = BackpressurePolicy.BLOCK;
        private int poolSize = 4;
        private TimeSource clock = TimeSource.system();
        private String user = System.getProperty("user.name", "unknown");
        private String source = defaultSource();
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
            Objects.requireNonNull(value, option);
        }

        /**
         * Uses an embedded store under a directory: {@code tracking.db} and {@code artifacts/}.
         *
         * @param directory the directory, created if needed
         * @return this builder
         */
        public Builder root(Path directory) {
            once("root", directory);
            if (jdbcUrl != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; jdbcUrl was already set to " + jdbcUrl);
            }
            this.root = directory;
            return this;
        }

        /**
         * Uses a database given by JDBC URL: {@code jdbc:postgresql://host:5432/db?user=...} or
         * {@code jdbc:sqlite:/path/file.db}.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder jdbcUrl(String url) {
            once("jdbcUrl", url);
            if (root != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; root was already set to " + root);
            }
            this.jdbcUrl = url;
            return this;
        }

        /**
         * Stores artifacts under this directory (shared storage when several machines log to one database).
         *
         * @param directory the artifact directory
         * @return this builder
         */
        public Builder artifactRoot(Path directory) {
            once("artifactRoot", directory);
            this.artifactRoot = directory;
            return this;
        }

        /**
         * Uses (and creates) a PostgreSQL schema instead of the default one.
         *
         * @param name a lower-case SQL identifier
         * @return this builder
         */
        public Builder schema(String name) {
            once("schema", name);
            this.schema = name;
            return this;
        }

        /**
         * Sets what a flush promises on SQLite; the default is {@link Durability#PROCESS_CRASH}.
         *
         * @param value the durability
         * @return this builder
         */
        public Builder durability(Durability value) {
            once("durability", value);
            this.durability = value;
            return this;
        }

        /**
         * Sets how many logged values may wait for the writer; the default is 100,000.
         *
         * @param capacity 1 or more
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            once("queueCapacity", capacity);
            if (capacity < 1) {
                throw new InvalidArgumentException("queue capacity must be 1 or more, but was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Sets what logging does when the queue is full; the default is {@link BackpressurePolicy#BLOCK}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder backpressure(BackpressurePolicy policy) {
            once("backpressure", policy);
            this.backpressure = policy;
            return this;
        }

        /**
         * Sets the most database connections held; the default is 4.
         *
         * @param size 2 or more
         * @return this builder
         */
        public Builder poolSize(int size) {
            once("poolSize", size);
            if (size < 2) {
                throw new InvalidArgumentException("pool size must be 2 or more (one for the writer), but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Sets the clock that timestamps runs and metrics.
         *
         * @param timeSource the clock
         * @return this builder
         */
        public Builder clock(TimeSource timeSource) {
            once("clock", timeSource);
            this.clock = timeSource;
            return this;
        }

        /**
         * Sets the user recorded on new runs; the default is the {@code user.name} system property.
         *
         * @param name the user
         * @return this builder
         */
        public Builder user(String name) {
            once("user", name);
            this.user = Limits.checkName("user", name, 256);
            return this;
        }

        /**
         * Sets the source recorded on new runs; the default is the main class of this JVM.
         *
         * @param description for instance a program or notebook name
         * @return this builder
         */
        public Builder source(String description) {
            once("source", description);
            this.source = Limits.checkName("source", description, 500);
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws IllegalStateException if neither a root nor a JDBC URL was set
         * @throws dev.mlops.api.UnavailableException if the store cannot be opened or migrated
         */
        public Tracking build() {
            if (root == null && jdbcUrl == null) {
                throw new IllegalStateException("set root(directory) or jdbcUrl(url) before build()");
            }
            return new Tracking(this);
        }

        private static String defaultSource() {
            String command = System.getProperty("sun.java.command", "");
            String main = command.isBlank() ? "unknown" : command.split(" ", 2)[0];
            return main.length() > 500 ? main.substring(0, 500) : main;
        }
    }

    /**
     * What to search: experiments, filter, order, page size and page token. Immutable; each {@code with}-style method
     * returns a new request.
     *
     * @param experimentIds the experiments searched
     * @param filter the filter text (blank for all)
     * @param orderBy the order-by text (blank for newest first)
     * @param maxResults the page size
     * @param pageToken the token from the previous page, or null for the first
     * @param view which lifecycle stages are included
     */
    public record SearchRuns(List<String> experimentIds, String filter, String orderBy, int maxResults, String pageToken,
            ViewType view) {
        /**
         * Validates the request.
         *
         * @throws InvalidArgumentException if no experiment is given
         */
        public SearchRuns {
            experimentIds = List.copyOf(experimentIds);
            if (experimentIds.isEmpty()) {
                throw new InvalidArgumentException("a search needs at least one experiment");
            }
            filter = filter == null ? "" : filter;
            orderBy = orderBy == null ? "" : orderBy;
            Objects.requireNonNull(view, "view");
        }

        /**
         * Searches the active runs of experiments, 1000 per page.
         *
         * @param experiments the experiments
         * @return a request with no filter and the default order
         */
        public static SearchRuns in(Experiment... experiments) {
            return new SearchRuns(java.util.Arrays.stream(experiments).map(Experiment::id).toList(), "", "", 1000, null,
                    ViewType.ACTIVE_ONLY);
        }

        /**
         * Sets the filter.
         *
         * @param text the filter
         * @return the changed request
         */
        public SearchRuns filter(String text) {
            return new SearchRuns(experimentIds, text, orderBy, maxResults, pageToken, view);
        }

        /**
         * Sets the order.
         *
         * @param text the order-by
         * @return the changed request
         */
        public SearchRuns orderBy(String text) {
            return new SearchRuns(experimentIds, filter, text, maxResults, pageToken, view);
        }

        /**
         * Sets the page size.
         *
         * @param n 1 to 50,000
         * @return the changed request
         */
        public SearchRuns maxResults(int n) {
            return new SearchRuns(experimentIds, filter, orderBy, n, pageToken, view);
        }

        /**
         * Asks for the page after the one that returned this token.
         *
         * @param token the token
         * @return the changed request
         */
        public SearchRuns pageToken(String token) {
            return new SearchRuns(experimentIds, filter, orderBy, maxResults, token, view);
        }

        /**
         * Sets which lifecycle stages are searched.
         *
         * @param newView the view
         * @return the changed request
         */
        public SearchRuns view(ViewType newView) {
            return new SearchRuns(experimentIds, filter, orderBy, maxResults, pageToken, newView);
        }
    }
}
