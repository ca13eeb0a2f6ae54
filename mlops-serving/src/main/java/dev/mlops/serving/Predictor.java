package dev.mlops.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.ModelUri;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.SignatureMismatchException;
import dev.mlops.api.UnavailableException;
import dev.mlops.registry.ModelPackage;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registry;
import dev.mlops.registry.RegistryEvent;
import dev.mlops.registry.RegistryListener;
import dev.mlops.serving.internal.Batcher;
import dev.mlops.serving.internal.LoadedModel;
import dev.mlops.serving.internal.ModelLoader;
import dev.mlops.serving.internal.ModelRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model in-process: checks each input against the model's signature, runs the package's Tribuo, ONNX or
 * TorchScript flavor on the CPU or a GPU, and returns {@link Prediction}s.
 *
 * <pre>{@code
 * try (Predictor p = Predictor.builder()
 *         .registry(registry, "models:/churn@champion")     // follows the alias; or .modelPackage(pkg)
 *         .batching(Batching.defaults())                   // coalesce concurrent single-row calls
 *         .cache(10_000, Duration.ofMinutes(5))
 *         .build()) {
 *     Prediction p1 = p.predict(Map.of("age", 42.0, "visits", 3L));
 * }
 * }</pre>
 *
 * <p>A predictor bound to a registry alias polls the registry (and hears this JVM's registry events) and swaps in
 * the new version once it is loaded and warmed up; requests in flight finish on the model they started on, so a swap
 * fails none of them. {@link #rollback()} returns to the previous version. A challenger can take a share of traffic
 * (canary) or score a copy of every request (shadow). Every prediction can be sampled to an
 * {@link InferenceListener}. Thread-safe; {@link #close()} releases the models' native resources and threads.
 */
public final class Predictor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);

    private final Builder config;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final AtomicReference<LoadedModel> challenger = new AtomicReference<>();
    private final Object swapLock = new Object();
    private LoadedModel previous;
    private long rolledBackFrom = -1;
    private final Batcher batcher;
    private final Cache<CacheKey, Prediction> cache;
    private final ScheduledExecutorService watcher;
    private final ThreadPoolExecutor shadowPool;
    private final RegistryListener registryListener;
    private final String modelLabel;
    private final Timer latency;
    private final MeterRegistry meters;
    private final DistributionSummary batchSizes;
    private volatile boolean closed;

    private record CacheKey(String digest, float[] row) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && k.digest.equals(digest) && Arrays.equals(k.row, row);
        }

        @Override
        public int hashCode() {
            return digest.hashCode() * 31 + Arrays.hashCode(row);
        }
    }

    private Predictor(Builder b) {
        this.config = b;
        this.meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
        this.modelLabel = b.uri != null ? b.uri.name() : "package";
        this.latency = Timer.builder("mlops.serving.predictions").description("prediction latency")
                .tag("model", modelLabel).publishPercentileHistogram().register(meters);
        this.batchSizes = DistributionSummary.builder("mlops.serving.batch.size").tag("model", modelLabel)
                .register(meters);
        LoadedModel first = b.uri != null ? loadFromRegistry(b.uri) : load(b.pkg, modelLabel, 0);
        current.set(first);
        if (b.challengerUri != null) {
            challenger.set(loadFromRegistry(b.challengerUri));
        }
        this.batcher = b.batching == null ? null : new Batcher(b.batching, this::runBatch, batchSizes::record,
                "mlops-serving-" + modelLabel);
        if (batcher != null) {
            Gauge.builder("mlops.serving.queue.depth", batcher, Batcher::depth).tag("model", modelLabel)
                    .register(meters);
        }
        this.cache = b.cacheSize <= 0 ? null : Caffeine.newBuilder().maximumSize(b.cacheSize)
                .expireAfterWrite(b.cacheTtl).build();
        this.shadowPool = b.shadow ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000),
                r -> daemon(r, "mlops-serving-shadow")) : null;
        if (b.registry != null && b.uri != null) {
            this.registryListener = this::onRegistryEvent;
            b.registry.addListener(registryListener);
            if (!b.refreshInterval.isZero()) {
                this.watcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mlops-serving-watcher"));
                watcher.scheduleWithFixedDelay(this::refreshQuietly, b.refreshInterval.toMillis(),
                        b.refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                this.watcher = null;
            }
        } else {
            this.registryListener = null;
            this.watcher = null;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts configuring a predictor.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- loading and swapping

    private LoadedModel loadFromRegistry(ModelUri uri) {
        ModelVersion v = config.registry.resolve(uri);
        return load(config.registry.load(v.uri()), v.name(), v.version());
    }

    private LoadedModel load(ModelPackage pkg, String name, long version) {
        ModelRunner runner = ModelLoader.load(pkg, config.engine, config.device, config.poolSize);
        try {
            LoadedModel m = new LoadedModel(name, version, pkg.digest(), pkg.signature(), runner);
            runner.run(new float[1][runner.inputs().size()]); // warm up before any caller depends on it
            return m;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    private void onRegistryEvent(RegistryEvent e) {
        boolean ours = e.model().equals(config.uri.name()) || (config.challengerUri != null
                && e.model().equals(config.challengerUri.name()));
        if (ours && (e.type() == RegistryEvent.Type.ALIAS_SET || e.type() == RegistryEvent.Type.ALIAS_DELETED)
                && watcher != null && !closed) {
            try {
                watcher.execute(this::refreshQuietly);
            } catch (RejectedExecutionException ignored) {
                // closing: nothing to refresh
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            meters.counter("mlops.serving.swap.failures", "model", modelLabel).increment();
            LOG.warn("could not refresh {}; keeping version {}", config.uri, current.get().version(), e);
        }
    }

    /**
     * Checks the registry now and swaps in the version the alias points at, if it changed. A predictor that was
     * rolled back stays on its version until the alias moves to yet another one.
     *
     * @return true if a new version was swapped in
     * @throws IllegalStateException if the predictor is not bound to a registry URI
     */
    public boolean refresh() {
        if (config.registry == null || config.uri == null) {
            throw new IllegalStateException("this predictor serves a package, not a registry URI");
        }
        boolean swapped = false;
        synchronized (swapLock) {
            if (closed) {
                return false;
            }
            ModelVersion target = config.registry.resolve(config.uri);
            LoadedModel now = current.get();
            if (target.version() != now.version() && target.version() != rolledBackFrom) {
                LoadedModel next = load(config.registry.load(target.uri()), target.name(), target.version());
                install(next);
                rolledBackFrom = -1;
                swapped = true;
            }
            if (config.challengerUri != null) {
                ModelVersion c = config.registry.resolve(config.challengerUri);
                LoadedModel old = challenger.get();
                if (old == null || old.version() != c.version()) {
                    LoadedModel next = load(config.registry.load(c.uri()), c.name(), c.version());
                    challenger.set(next);
                    if (old != null) {
                        old.release();
                    }
                }
            }
        }
        return swapped;
    }

    /** Puts a model in place; the one it replaces stays loaded for rollback, the one before that is released. */
    private void install(LoadedModel next) {
        LoadedModel replaced = current.getAndSet(next);
        LoadedModel dropped = previous;
        previous = replaced;
        if (dropped != null) {
            dropped.release();
        }
        meters.counter("mlops.serving.swaps", "model", modelLabel).increment();
        LOG.info("now serving {} version {} ({} on {}), was version {}", next.name(), next.version(),
                next.runner().engine(), next.runner().device(), replaced.version());
    }

    /**
     * Returns to the version served before the last swap, without reloading it.
     *
     * @return the version now served
     * @throws ConflictException if there is no previous version
     */
    public long rollback() {
        synchronized (swapLock) {
            if (previous == null) {
                throw new ConflictException("there is no previous version to roll back to");
            }
            LoadedModel back = previous;
            LoadedModel from = current.getAndSet(back);
            previous = from;
            rolledBackFrom = from.version();
            LOG.info("rolled back {} from version {} to {}", back.name(), from.version(), back.version());
            return back.version();
        }
    }

    private LoadedModel acquire(AtomicReference<LoadedModel> slot) {
        while (true) {
            if (closed) {
                throw new UnavailableException("the predictor is closed");
            }
            LoadedModel m = slot.get();
            if (m == null) {
                return null;
            }
            if (m.acquire()) {
                return m;
            }
            // The model was released by a swap between get and acquire: the slot holds its successor now.
        }
    }

    // ---------------------------------------------------------------- predicting

    /**
     * Predicts one row.
     *
     * @param row input values by column name (numbers, or booleans for boolean columns)
     * @return the prediction
     * @throws SignatureMismatchException listing every problem of the row
     * @throws OverloadedException if batching is on and its queue is full
     * @throws PredictionTimeoutException if batching is on and no answer came in time
     */
    public Prediction predict(Map<String, ?> row) {
        long start = System.nanoTime();
        LoadedModel m = acquire(current);
        try {
            float[] x = check(m, row);
            LoadedModel target = m;
            InferenceRecord.Role role = InferenceRecord.Role.PRIMARY;
            LoadedModel canary = null;
            if (config.canaryFraction > 0 && ThreadLocalRandom.current().nextDouble() < config.canaryFraction) {
                canary = acquire(challenger);
                if (canary != null) {
                    target = canary;
                    role = InferenceRecord.Role.CANARY;
                }
            }
            try {
                Prediction p = score(target, x, role == InferenceRecord.Role.PRIMARY && batcher != null);
                latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                log(p, row, role, System.nanoTime() - start);
                if (config.shadow && role == InferenceRecord.Role.PRIMARY) {
                    shadow(p.id(), row, x);
                }
                return p;
            } finally {
                if (canary != null) {
                    canary.release();
                }
            }
        } catch (OverloadedException e) {
            error("overloaded");
            throw e;
        } catch (PredictionTimeoutException e) {
            error("timeout");
            throw e;
        } catch (RuntimeException e) {
            if (!(e instanceof SignatureMismatchException)) {
                error("internal");
            }
            throw e;
        } finally {
            m.release();
        }
    }

    private float[] check(LoadedModel m, Map<String, ?> row) {
        try {
            return m.checker().row(row);
        } catch (SignatureMismatchException e) {
            error("invalid_input");
            throw e;
        }
    }

    private Prediction score(LoadedModel m, float[] x, boolean batched) {
        CacheKey key = null;
        if (cache != null) {
            key = new CacheKey(m.packageDigest(), x);
            Prediction hit = cache.getIfPresent(key);
            meters.counter("mlops.serving.cache", "model", modelLabel, "result", hit == null ? "miss" : "hit")
                    .increment();
            if (hit != null) {
                return new Prediction(newId(), hit.model(), hit.version(), hit.label(), hit.scores());
            }
        }
        float[] out = batched ? batcher.predict(m, x) : m.runner().run(new float[][] {x})[0];
        Prediction p = toPrediction(m, newId(), out);
        if (key != null) {
            cache.put(key, p);
        }
        return p;
    }

    /** Runs one batch for the batcher, on the model its requests were checked against. */
    private float[][] runBatch(Object model, float[][] rows) {
        LoadedModel m = (LoadedModel) model;
        if (!m.acquire()) {
            throw new UnavailableException("model version " + m.version() + " was unloaded before its batch ran; retry");
        }
        try {
            return m.runner().run(rows);
        } finally {
            m.release();
        }
    }

    private static Prediction toPrediction(LoadedModel m, String id, float[] out) {
        ModelRunner r = m.runner();
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> names = r.outputs();
        int best = 0;
        for (int k = 0; k < out.length; k++) {
            scores.put(k < names.size() ? names.get(k) : "output_" + k, (double) out[k]);
            if (out[k] > out[best]) {
                best = k;
            }
        }
        String label = r.classifier() && out.length > 0 ? (best < names.size() ? names.get(best) : "output_" + best)
                : null;
        return new Prediction(id, m.name(), m.version(), label, scores);
    }

    /**
     * Predicts every row of a frame in one batch.
     *
     * @param input rows that fit the signature
     * @return one prediction per row, in order
     * @throws SignatureMismatchException listing every mismatch
     */
    public List<Prediction> predict(Frame input) {
        long start = System.nanoTime();
        LoadedModel m = acquire(current);
        try {
            float[][] x;
            try {
                x = m.checker().frame(input);
            } catch (SignatureMismatchException e) {
                error("invalid_input");
                throw e;
            }
            float[][] out = x.length == 0 ? new float[0][] : m.runner().run(x);
            List<Prediction> result = new ArrayList<>(out.length);
            for (float[] row : out) {
                result.add(toPrediction(m, newId(), row));
            }
            long elapsed = System.nanoTime() - start;
            latency.record(elapsed, TimeUnit.NANOSECONDS);
            if (config.listener != null) {
                for (int i = 0; i < result.size(); i++) {
                    log(result.get(i), input.row(i).toMap(), InferenceRecord.Role.PRIMARY, elapsed);
                }
            }
            return result;
        } finally {
            m.release();
        }
    }

    /**
     * Predicts a frame and returns the predictions as a frame: {@code prediction_id}, {@code label} (classifiers)
     * and one {@code score.<output>} column per output.
     *
     * @param input rows that fit the signature
     * @return the predictions
     */
    public Frame predictFrame(Frame input) {
        List<Prediction> ps = predict(input);
        ModelInfo info = info();
        List<Field> fields = new ArrayList<>(List.of(Field.required("prediction_id", DataType.STRING)));
        if (info.classifier()) {
            fields.add(Field.required("label", DataType.STRING));
        }
        for (String o : info.outputs()) {
            fields.add(Field.required("score." + o, DataType.DOUBLE));
        }
        Frame.RowBuilder b = Frame.rowBuilder(Schema.of(fields));
        for (Prediction p : ps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prediction_id", p.id());
            row.putAll(p.toMap());
            b.row(row);
        }
        return b.build();
    }

    /**
     * Runs dense rows straight through the model: no signature check beyond the width, no cache, no batching, no
     * log. For callers that already hold feature vectors in the model's input order ({@link ModelInfo#inputs()}).
     *
     * @param rows one row per example
     * @return the raw outputs, one row per example
     * @throws InvalidArgumentException if a row has the wrong width
     */
    public float[][] predictDense(float[][] rows) {
        LoadedModel m = acquire(current);
        try {
            int d = m.runner().inputs().size();
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != d) {
                    throw new InvalidArgumentException("row " + i + " has " + rows[i].length + " values but the model "
                            + "takes " + d + ": " + m.runner().inputs());
                }
            }
            return m.runner().run(rows);
        } finally {
            m.release();
        }
    }

    private void shadow(String id, Map<String, ?> row, float[] x) {
        LoadedModel c = acquire(challenger);
        if (c == null) {
            return;
        }
        Map<String, Object> copy = new LinkedHashMap<>(row);
        try {
            shadowPool.execute(() -> {
                long start = System.nanoTime();
                try {
                    Prediction p = toPrediction(c, id, c.runner().run(new float[][] {x})[0]);
                    log(p, copy, InferenceRecord.Role.SHADOW, System.nanoTime() - start);
                } catch (RuntimeException e) {
                    LOG.debug("shadow prediction {} failed", id, e);
                    error("shadow");
                } finally {
                    c.release();
                }
            });
        } catch (RejectedExecutionException e) {
            c.release();
            meters.counter("mlops.serving.shadow.dropped", "model", modelLabel).increment();
        }
    }

    private void log(Prediction p, Map<String, ?> inputs, InferenceRecord.Role role, long nanos) {
        InferenceListener l = config.listener;
        if (l == null || (config.sampleRate < 1.0 && ThreadLocalRandom.current().nextDouble() >= config.sampleRate)) {
            return;
        }
        try {
            l.onInference(new InferenceRecord(p.id(), p.model(), p.version(), role, new LinkedHashMap<>(inputs),
                    p.toMap(), Duration.ofNanos(nanos), Instant.now()));
        } catch (RuntimeException e) {
            LOG.warn("inference listener {} failed; the prediction stands", l, e);
        }
    }

    private void error(String kind) {
        meters.counter("mlops.serving.errors", "model", modelLabel, "kind", kind).increment();
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    /**
     * Describes the model being served now.
     *
     * @return name, version, signature, engine, device, inputs and outputs
     */
    public ModelInfo info() {
        LoadedModel m = acquire(current);
        try {
            ModelRunner r = m.runner();
            return new ModelInfo(m.name(), m.version(), m.packageDigest(), m.signature(), r.engine(), r.device(),
                    r.inputs(), r.outputs(), r.classifier());
        } finally {
            m.release();
        }
    }

    /**
     * Tells whether the predictor serves requests.
     *
     * @return false once closed
     */
    public boolean ready() {
        return !closed && current.get() != null;
    }

    /**
     * Returns the meter registry the predictor records into.
     *
     * @return the registry
     */
    public MeterRegistry meters() {
        return meters;
    }

    /** Stops watching, drains the batch queue, and releases every model. */
    @Override
    public void close() {
        synchronized (swapLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (watcher != null) {
            watcher.shutdownNow();
        }
        if (registryListener != null) {
            config.registry.removeListener(registryListener);
        }
        if (batcher != null) {
            batcher.close();
        }
        if (shadowPool != null) {
            shadowPool.shutdown();
            try {
                shadowPool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (swapLock) {
            release(current.getAndSet(null));
            release(challenger.getAndSet(null));
            release(previous);
            previous = null;
        }
    }

    private static void release(LoadedModel m) {
        if (m != null) {
            m.release();
        }
    }

    /**
     * What a predictor serves.
     *
     * @param name the model's name
     * @param version its version (0 for a package served directly)
     * @param packageDigest the package's digest
     * @param signature the signature
     * @param engine the engine running it
     * @param device the device it runs on
     * @param inputs the input columns in model order
     * @param outputs the output names
     * @param classifier whether outputs are class scores
     */
    public record ModelInfo(String name, long version, String packageDigest, Signature signature, String engine,
            String device, List<String> inputs, List<String> outputs, boolean classifier) {
        /** Copies the lists. */
        public ModelInfo {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * Configures a {@link Predictor}. Not thread-safe; each option may be set once.
     */
    public static final class Builder {
        private ModelPackage pkg;
        private Registry registry;
        private ModelUri uri;
        private ModelUri challengerUri;
        private double canaryFraction;
        private boolean shadow;
        private ModelEngine engine = ModelEngine.AUTO;
        private DeviceChoice device = DeviceChoice.AUTO;
        private int poolSize = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Batching batching;
        private long cacheSize;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private InferenceListener listener;
        private double sampleRate = 1.0;
        private Duration refreshInterval = Duration.ofSeconds(2);
        private MeterRegistry meters;
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Serves a package directly.
         *
         * @param value the verified package
         * @return this builder
         */
        public Builder modelPackage(ModelPackage value) {
            once("model");
            this.pkg = Objects.requireNonNull(value, "package");
            return this;
        }

        /**
         * Serves the package in a directory, verified first.
         *
         * @param directory the package directory
         * @return this builder
         */
        public Builder packageDirectory(Path directory) {
            return modelPackage(ModelPackage.open(directory));
        }

        /**
         * Serves what a registry URI points at and, for an alias, follows the alias as it moves.
         *
         * @param source the registry
         * @param modelUri for instance {@code models:/churn@champion}
         * @return this builder
         */
        public Builder registry(Registry source, String modelUri) {
            once("model");
            this.registry = Objects.requireNonNull(source, "registry");
            this.uri = ModelUri.parse(modelUri);
            return this;
        }

        /**
         * Sends a share of requests to a challenger from the same registry (a canary).
         *
         * @param challengerUri the challenger, for instance {@code models:/churn@challenger}
         * @param fraction the share of requests, in (0, 1]
         * @return this builder
         */
        public Builder canary(String challengerUri, double fraction) {
            once("challenger");
            if (!(fraction > 0 && fraction <= 1)) {
                throw new InvalidArgumentException("canary fraction must be in (0, 1], but was " + fraction);
            }
            this.challengerUri = ModelUri.parse(challengerUri);
            this.canaryFraction = fraction;
            return this;
        }

        /**
         * Lets a challenger score a copy of every request in the background; callers get the primary's answer and
         * the inference log gets both.
         *
         * @param challengerUri the challenger
         * @return this builder
         */
        public Builder shadow(String challengerUri) {
            once("challenger");
            this.challengerUri = ModelUri.parse(challengerUri);
            this.shadow = true;
            return this;
        }

        /**
         * Chooses the flavor to run; the default is {@link ModelEngine#AUTO}.
         *
         * @param value the engine
         * @return this builder
         */
        public Builder engine(ModelEngine value) {
            once("engine");
            this.engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /**
         * Chooses the device; the default is {@link DeviceChoice#AUTO}.
         *
         * @param value the device
         * @return this builder
         */
        public Builder device(DeviceChoice value) {
            once("device");
            this.device = Objects.requireNonNull(value, "device");
            return this;
        }

        /**
         * Sets how many engine predictors to pool where the engine needs a pool (PyTorch); the default is the number
         * of processors.
         *
         * @param size 1 or more
         * @return this builder
         */
        public Builder poolSize(int size) {
            once("poolSize");
            if (size < 1) {
                throw new InvalidArgumentException("pool size must be 1 or more, but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Turns on dynamic micro-batching of single-row requests.
         *
         * @param options batch size, delay, queue capacity, timeout and workers
         * @return this builder
         */
        public Builder batching(Batching options) {
            once("batching");
            this.batching = Objects.requireNonNull(options, "batching");
            return this;
        }

        /**
         * Caches predictions by model content and exact input.
         *
         * @param maxEntries the most cached predictions
         * @param ttl how long an entry lives
         * @return this builder
         */
        public Builder cache(long maxEntries, Duration ttl) {
            once("cache");
            if (maxEntries < 1) {
                throw new InvalidArgumentException("cache size must be 1 or more, but was " + maxEntries);
            }
            this.cacheSize = maxEntries;
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * Sends a sample of inference records to a listener.
         *
         * @param value the listener
         * @param rate the share of predictions logged, in [0, 1]
         * @return this builder
         */
        public Builder inferenceLog(InferenceListener value, double rate) {
            once("inferenceLog");
            if (!(rate >= 0 && rate <= 1)) {
                throw new InvalidArgumentException("sample rate must be in [0, 1], but was " + rate);
            }
            this.listener = Objects.requireNonNull(value, "listener");
            this.sampleRate = rate;
            return this;
        }

        /**
         * Sets how often a registry-bound predictor checks its alias; zero turns polling off (this JVM's registry
         * events still trigger a check).
         *
         * @param interval the polling interval
         * @return this builder
         */
        public Builder refreshInterval(Duration interval) {
            once("refreshInterval");
            if (interval.isNegative()) {
                throw new InvalidArgumentException("refresh interval must not be negative, but was " + interval);
            }
            this.refreshInterval = interval;
            return this;
        }

        /**
         * Records meters into a registry (for instance the application's Prometheus registry).
         *
         * @param registry the meter registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            once("meterRegistry");
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Loads and warms up the model (and the challenger) and starts serving.
         *
         * @return the predictor
         * @throws IllegalStateException if no model source was set, or a challenger without a registry
         */
        public Predictor build() {
            if (pkg == null && uri == null) {
                throw new IllegalStateException("set modelPackage(...), packageDirectory(...) or registry(...) first");
            }
            if (challengerUri != null && registry == null) {
                throw new IllegalStateException("canary and shadow challengers come from a registry");
            }
            return new Predictor(this);
        }
    }
}
