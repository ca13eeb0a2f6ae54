package dev.mlops.features;

import dev.mlops.api.ConflictException;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.features.internal.Frames;
import dev.mlops.features.internal.Names;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.features.internal.Schemas;
import dev.mlops.features.internal.Sql;
import dev.mlops.features.internal.ViewLayout;
import dev.mlops.storage.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature store: shared, versioned definitions of entities, feature views, feature services and on-demand
 * transforms; pipelines that compute features into an offline store; point-in-time-correct training sets; and
 * materialization into an online store that never serves a value past its TTL.
 *
 * <pre>{@code
 * try (FeatureStore store = FeatureStore.open(Path.of("mlops-data/features"))) {
 *     store.apply(Entity.builder("patient").joinKey("patient_id", DataType.LONG).build());
 *     store.apply(FeatureView.builder("tumour_stats").entity("patient").ttl(Duration.ofDays(90))
 *             .feature("mean_radius", DataType.DOUBLE).build());
 *     store.apply(FeatureService.builder("diagnosis_model").view("tumour_stats").build());
 *     store.pipeline("tumour_features").from(Source.csv(csv)).into("tumour_stats").run();
 *
 *     TrainingSet ts = store.trainingSet(entityRows, "diagnosis_model");        // point in time
 *     store.materializeIncremental("tumour_stats", Instant.now());
 *     OnlineResult r = store.onlineFeatures("diagnosis_model", List.of(Map.of("patient_id", 42L)));
 * }
 * }</pre>
 *
 * <p><b>Storage.</b> Definitions live in SQLite ({@code features.db} under the root directory) or, for teams, in
 * PostgreSQL through the same code ({@link Builder#jdbcUrl(String)}); each change to a definition adds a version,
 * and versions are immutable. Feature rows live in an embedded DuckDB file ({@code offline.duckdb}); one process at a
 * time can open it. The online store is in-process by default and Redis when several serving processes share it.
 *
 * <p><b>Memory.</b> Feature tables never enter the Java heap: joins, pipelines and materialization run inside the
 * engine, which spills to disk past its memory limit, and results stream out in batches of the configured size.
 *
 * <p>Thread-safe. Writes to the offline store (pipeline runs, {@link #write}) are serialized; reads run concurrently.
 * Closing the store closes its online store.
 */
public final class FeatureStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureStore.class);

    private final Context ctx;
    private final Catalog catalog;
    private final TrainingSets trainingSets;
    private final Materializer materializer;
    private final OnlineReader onlineReader;
    private final String description;

    private FeatureStore(Context ctx, String description) {
        this.ctx = ctx;
        this.catalog = new Catalog(ctx);
        this.trainingSets = new TrainingSets(ctx, catalog);
        this.materializer = new Materializer(ctx, catalog);
        this.onlineReader = new OnlineReader(ctx, catalog);
        this.description = description;
    }

    /**
     * Opens (creating if needed) an embedded store under a directory: SQLite definitions, a DuckDB offline store and
     * an in-process online store.
     *
     * @param root the directory
     * @return the open store
     * @throws UnavailableException if the directory or its files cannot be used
     */
    public static FeatureStore open(Path root) {
        return builder().root(root).build();
    }

    /**
     * Starts configuring a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- definitions

    /**
     * Stores an entity, as a new version when it differs from the current one.
     *
     * @param entity the definition
     * @return the stored definition with its version (unchanged when the definition was the same)
     * @throws ConflictException if the join keys change while feature views use the entity
     */
    public Entity apply(Entity entity) {
        return catalog.apply(Objects.requireNonNull(entity, "entity"));
    }

    /**
     * Stores a feature view, as a new version when it differs from the current one, and creates or widens its
     * offline table. Adding features, changing the TTL, owner, description, tags or online flag are compatible
     * changes; changing the entity, a timestamp column or a feature's type is not.
     *
     * @param view the definition
     * @return the stored definition with its version
     * @throws NotFoundException if the entity is not defined
     * @throws InvalidArgumentException if two columns share a name, or a file source lacks a column or has an
     *     unfitting type (naming the view and the column)
     * @throws ConflictException if the change is incompatible with the stored rows or with a service using the view
     */
    public FeatureView apply(FeatureView view) {
        return catalog.apply(Objects.requireNonNull(view, "view"));
    }

    /**
     * Stores a feature service, expanding {@code view:*} and adding its transforms' inputs.
     *
     * @param service the definition
     * @return the stored definition with its version and explicit features
     * @throws NotFoundException if a view, feature or transform is not defined
     */
    public FeatureService apply(FeatureService service) {
        return catalog.apply(Objects.requireNonNull(service, "service"));
    }

    /**
     * Stores an on-demand transform's definition and registers its function in this process.
     *
     * @param transform the transform, with its function
     * @return the stored transform with its version and function
     * @throws NotFoundException if an input view or feature is not defined
     */
    public OnDemandTransform apply(OnDemandTransform transform) {
        return catalog.apply(Objects.requireNonNull(transform, "transform"));
    }

    /**
     * Returns the current version of an entity.
     *
     * @param name the name
     * @return the entity
     * @throws NotFoundException if it is not defined
     */
    public Entity entity(String name) {
        return catalog.entity(name);
    }

    /**
     * Returns one version of an entity.
     *
     * @param name the name
     * @param version the version
     * @return the entity
     * @throws NotFoundException if there is no such version
     */
    public Entity entity(String name, int version) {
        return catalog.entity(name, version);
    }

    /**
     * Returns the current version of a feature view.
     *
     * @param name the name
     * @return the view
     * @throws NotFoundException if it is not defined
     */
    public FeatureView featureView(String name) {
        return catalog.view(name);
    }

    /**
     * Returns one version of a feature view.
     *
     * @param name the name
     * @param version the version
     * @return the view
     * @throws NotFoundException if there is no such version
     */
    public FeatureView featureView(String name, int version) {
        return catalog.view(name, version);
    }

    /**
     * Returns the current version of a feature service.
     *
     * @param name the name
     * @return the service
     * @throws NotFoundException if it is not defined
     */
    public FeatureService featureService(String name) {
        return catalog.service(name);
    }

    /**
     * Returns one version of a feature service.
     *
     * @param name the name
     * @param version the version
     * @return the service
     * @throws NotFoundException if there is no such version
     */
    public FeatureService featureService(String name, int version) {
        return catalog.service(name, version);
    }

    /**
     * Returns the current version of an on-demand transform, with its function when this process applied it.
     *
     * @param name the name
     * @return the transform
     * @throws NotFoundException if it is not defined
     */
    public OnDemandTransform transform(String name) {
        return catalog.transform(name);
    }

    /**
     * Returns every version of a definition, oldest first (also of a deleted one).
     *
     * @param kind the kind
     * @param name the name
     * @return the versions
     * @throws NotFoundException if the name was never defined
     */
    public List<DefinitionInfo> history(DefinitionKind kind, String name) {
        return catalog.history(Objects.requireNonNull(kind, "kind"), name);
    }

    /**
     * Searches the current definitions, so teams can find and reuse each other's features.
     *
     * @param query the conditions
     * @return the matches, by kind and name
     */
    public List<DefinitionInfo> search(DefinitionQuery query) {
        return catalog.search(Objects.requireNonNull(query, "query"));
    }

    /**
     * Deletes a definition (its versions stay in its history). Deleting a feature view also drops its offline rows
     * and its online rows.
     *
     * @param kind the kind
     * @param name the name
     * @throws NotFoundException if it is not defined
     * @throws ConflictException if another definition uses it, naming them
     */
    public void delete(DefinitionKind kind, String name) {
        catalog.delete(Objects.requireNonNull(kind, "kind"), name);
    }

    // ---------------------------------------------------------------- offline

    /**
     * Starts a pipeline; its name keys its watermark.
     *
     * @param name a lower-case letter, then lower-case letters, digits or {@code _}
     * @return an empty pipeline
     */
    public Pipeline pipeline(String name) {
        return new Pipeline(ctx, catalog, name);
    }

    /**
     * Writes rows into a view's offline table in one transaction. A row with the same keys, event time and created
     * time as a stored row replaces it; within the frame the last such row wins.
     *
     * @param view the view's name
     * @param rows exactly the view's columns: join keys, timestamp, created timestamp if any, every feature
     * @return the number of rows stored
     * @throws InvalidArgumentException if a column is missing, extra or of an unfitting type, or a key or timestamp is
     *     null (naming the view and the column); nothing is written then
     */
    public long write(String view, Frame rows) {
        Objects.requireNonNull(rows, "rows");
        ViewLayout layout = catalog.layout(view);
        if (!layout.isOfflineTable()) {
            throw new InvalidArgumentException("feature view '" + view + "' reads " + layout.source().describe()
                    + "; rows are written only to views on the offline store");
        }
        Map<Field, String> roles = Catalog.roles(layout);
        Set<String> expected = new LinkedHashSet<>();
        for (Field f : roles.keySet()) {
            expected.add(f.name().toLowerCase(Locale.ROOT));
        }
        for (Field f : rows.schema().fields()) {
            if (!expected.contains(f.name().toLowerCase(Locale.ROOT))) {
                throw new InvalidArgumentException("the rows for feature view '" + view + "' have column '" + f.name()
                        + "', which the view does not define; it has " + layout.columns().stream().map(Field::name)
                                .toList());
            }
        }
        List<OfflineStore.SqlColumn> have = rows.schema().fields().stream()
                .map(f -> new OfflineStore.SqlColumn(f.name(), Sql.type(f.type()))).toList();
        Map<Field, String> matched = Schemas.check("the rows", "feature view '" + view + "'", have, roles);
        List<String> required = new ArrayList<>();
        layout.keys().forEach(k -> required.add(k.name()));
        required.add(layout.timestampColumn());
        for (String r : required) {
            String col = matched.get(roles.keySet().stream().filter(f -> f.name().equals(r)).findFirst().orElseThrow());
            int nulls = rows.column(col).nullCount();
            if (nulls > 0) {
                throw new InvalidArgumentException("the rows for feature view '" + view + "' hold " + nulls
                        + " nulls in column '" + col + "', which must not be null; nothing was written");
            }
        }
        catalog.ensureTable(layout);
        return ctx.offline.write(c -> {
            String stage = "__mlops_write";
            Frames.toTempTable(c, stage, rows, rows.schema().names(), true);
            try {
                StringBuilder select = new StringBuilder();
                StringBuilder cols = new StringBuilder();
                for (Map.Entry<Field, String> m : matched.entrySet()) {
                    Field f = m.getKey();
                    select.append(select.length() == 0 ? "" : ", ").append("CAST(").append(Sql.id(m.getValue()))
                            .append(" AS ").append(Sql.type(f.type())).append(") AS ").append(Sql.id(f.name()));
                    cols.append(cols.length() == 0 ? "" : ", ").append(Sql.id(f.name()));
                }
                // A row is identified by its keys, event time and created time (a missing created time counts as
                // the event time).
                String ts = Sql.id(layout.timestampColumn());
                String created = layout.createdColumn() == null ? null : Sql.id(layout.createdColumn());
                StringBuilder pk = new StringBuilder();
                StringBuilder match = new StringBuilder();
                for (Field k : layout.keys()) {
                    String id = Sql.id(k.name());
                    pk.append(id).append(", ");
                    match.append("t.").append(id).append(" = s.").append(id).append(" AND ");
                }
                pk.append(ts).append(", ").append(created == null ? ts : "coalesce(" + created + ", " + ts + ")");
                match.append("t.").append(ts).append(" = s.").append(ts);
                if (created != null) {
                    match.append(" AND coalesce(t.").append(created).append(", t.").append(ts).append(") = coalesce(s.")
                            .append(created).append(", s.").append(ts).append(')');
                }
                String dedup = "__mlops_write_rows";
                OfflineStore.exec(c, "CREATE TEMP TABLE " + dedup + " AS SELECT " + cols + " FROM (SELECT " + select
                        + ", " + OfflineStore.ROW + " FROM " + Sql.id(stage) + ") QUALIFY row_number() OVER (PARTITION BY "
                        + pk + " ORDER BY " + OfflineStore.ROW + " DESC) = 1");
                OfflineStore.exec(c, "DELETE FROM " + Sql.id(layout.table()) + " t USING " + dedup + " s WHERE " + match);
                OfflineStore.exec(c, "INSERT INTO " + Sql.id(layout.table()) + " (" + cols + ") SELECT " + cols
                        + " FROM " + dedup);
                long n = OfflineStore.queryLong(c, "SELECT count(*) FROM " + dedup);
                OfflineStore.exec(c, "DROP TABLE " + dedup);
                return n;
            } finally {
                OfflineStore.exec(c, "DROP TABLE IF EXISTS " + Sql.id(stage));
            }
        });
    }

    /**
     * Reads every offline row of a view, ordered by keys and times; meant for inspection of small views.
     *
     * @param view the view's name
     * @return the rows, with the view's columns
     */
    public Frame offlineRows(String view) {
        ViewLayout layout = catalog.layout(view);
        if (layout.isOfflineTable()) {
            catalog.ensureTable(layout);
        } else {
            catalog.checkFileSource(layout);
        }
        List<Field> fields = layout.columns();
        return ctx.offline.read(c -> {
            StringBuilder select = new StringBuilder("SELECT ");
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                select.append(i == 0 ? "" : ", ").append(Frames.fetchExpression(Sql.id(f.name()), f.type()));
            }
            for (Field k : layout.keys()) {
                order.append(Sql.id(k.name())).append(", ");
            }
            order.append(Sql.id(layout.timestampColumn()));
            if (layout.createdColumn() != null) {
                order.append(", ").append(Sql.id(layout.createdColumn()));
            }
            String from = layout.isOfflineTable() ? Sql.id(layout.table()) : OfflineStore.fileRelation(layout.source());
            Frames.Collector collector = new Frames.Collector(fields, 1, 1024);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(select + " FROM " + from + " ORDER BY " + order)) {
                while (rs.next()) {
                    collector.add(rs);
                }
            } catch (SQLException e) {
                throw OfflineStore.failure("reading feature view '" + view + "'", e);
            }
            return collector.drainFrame();
        });
    }

    // ---------------------------------------------------------------- training sets

    /**
     * Builds a point-in-time-correct training set: for each entity row, the latest values of each view with an
     * event time at or before the row's time ({@code event_timestamp} column) and within the view's TTL, ties broken
     * by the latest created time. Rows keep their order.
     *
     * @param entityRows the entity rows: join keys, the time column and any other columns (labels, request fields)
     * @param service the feature service
     * @return the training set
     * @throws NotFoundException if the service or one of its definitions is not defined
     * @throws InvalidArgumentException if a column is missing or of the wrong type, a time is null, or an output
     *     column would clash with an entity column (naming it)
     */
    public TrainingSet trainingSet(Frame entityRows, String service) {
        return trainingSet(entityRows, service, TrainingOptions.defaults());
    }

    /**
     * Builds a point-in-time-correct training set with options (time column, "as known at" mode, names).
     *
     * @param entityRows the entity rows
     * @param service the feature service
     * @param options the options
     * @return the training set
     * @throws NotFoundException if the service or one of its definitions is not defined
     * @throws InvalidArgumentException if the entity rows do not fit, naming the column
     */
    public TrainingSet trainingSet(Frame entityRows, String service, TrainingOptions options) {
        Objects.requireNonNull(entityRows, "entityRows");
        Objects.requireNonNull(options, "options");
        Names.definition("feature service", service);
        return trainingSets.build(entityRows, service, options);
    }

    /**
     * Builds a training set from entity rows of any size and hands it over in batches of the configured size, in
     * entity-row order; the heap holds one batch at a time.
     *
     * @param entityRows where the entity rows come from (a file, a query, a frame, a view)
     * @param service the feature service
     * @param options the options (the batch size among them)
     * @param batches receives each batch: the entity rows' columns, the features and the transforms' outputs
     * @return the size, digest and definition versions of what was delivered
     * @throws NotFoundException if the service or one of its definitions is not defined
     * @throws InvalidArgumentException if the entity rows do not fit, naming the column
     */
    public TrainingSetInfo trainingSet(Source entityRows, String service, TrainingOptions options,
            Consumer<Frame> batches) {
        Objects.requireNonNull(entityRows, "entityRows");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(batches, "batches");
        Names.definition("feature service", service);
        return trainingSets.stream(entityRows, service, options, batches);
    }

    // ---------------------------------------------------------------- online

    /**
     * Copies the latest value of each entity, as of {@code end}, from the offline to the online store, for the
     * entities whose latest row has an event time in {@code (start, end]}. Values already expired at {@code end} are
     * skipped. An online row is never replaced by an older one, so rewriting a window is safe.
     *
     * @param view the view's name
     * @param start the window's start (exclusive), or null for all history
     * @param end the window's end (inclusive)
     * @return what was written
     */
    public MaterializationResult materialize(String view, Instant start, Instant end) {
        return materializer.window(view, start, Objects.requireNonNull(end, "end"));
    }

    /**
     * Materializes a view from its online watermark (the end of the previous materialization) to {@code end}.
     *
     * @param view the view's name
     * @param end the new watermark
     * @return what was written
     * @throws ConflictException if {@code end} is before the watermark
     */
    public MaterializationResult materializeIncremental(String view, Instant end) {
        return materializer.incremental(view, Objects.requireNonNull(end, "end"));
    }

    /**
     * Materializes every online view from its watermark to {@code end}.
     *
     * @param end the new watermark
     * @return one result per view
     * @throws ConflictException if {@code end} is before a view's watermark (views before it were materialized)
     */
    public List<MaterializationResult> materializeIncremental(Instant end) {
        Objects.requireNonNull(end, "end");
        List<MaterializationResult> results = new ArrayList<>();
        for (DefinitionInfo v : search(DefinitionQuery.all().kind(DefinitionKind.FEATURE_VIEW).limit(10_000))) {
            if (catalog.view(v.name()).online()) {
                results.add(materializer.incremental(v.name(), end));
            }
        }
        return results;
    }

    /**
     * Reads a service's features for entities from the online store. Values older than their view's TTL come back
     * with status {@link FeatureStatus#EXPIRED} and no value; transforms run on what is present.
     *
     * @param service the feature service
     * @param entityRows one map per entity: its join keys and any request fields
     * @return the values and statuses, one row per entity row
     * @throws NotFoundException if the service is not defined
     * @throws InvalidArgumentException if a join key is missing or of the wrong type (naming the row and key)
     */
    public OnlineResult onlineFeatures(String service, List<? extends Map<String, ?>> entityRows) {
        return onlineReader.read(service, OnlineReader.of(Objects.requireNonNull(entityRows, "entityRows")));
    }

    /**
     * Reads a service's features for the entities of a frame (join key columns and request fields).
     *
     * @param service the feature service
     * @param entityRows the entity rows
     * @return the values and statuses, one row per entity row
     */
    public OnlineResult onlineFeatures(String service, Frame entityRows) {
        return onlineReader.read(service, OnlineReader.of(Objects.requireNonNull(entityRows, "entityRows")));
    }

    /**
     * Returns the online store.
     *
     * @return the online store this feature store reads and writes
     */
    public OnlineStore onlineStore() {
        return ctx.online;
    }

    /**
     * Returns the time up to which a view was materialized.
     *
     * @param view the view's name
     * @return the watermark, if there is one
     */
    public java.util.Optional<Instant> onlineWatermark(String view) {
        return ctx.online.watermark(Names.definition("feature view", view));
    }

    @Override
    public void close() {
        try {
            ctx.online.close();
        } finally {
            try {
                ctx.offline.close();
            } finally {
                ctx.db.close();
            }
        }
    }

    @Override
    public String toString() {
        return "FeatureStore[" + description + "]";
    }

    /** Configures a {@link FeatureStore}. Not thread-safe. */
    public static final class Builder {
        private Path root;
        private String jdbcUrl;
        private String schema;
        private OnlineStore online;
        private int batchSize = 65_536;
        private String memoryLimit;
        private int threads;
        private TimeSource clock = TimeSource.system();
        private String actor = System.getProperty("user.name", "unknown");
        private ProgressListener progress = ProgressListener.logging();
        private Duration definitionCacheTtl = Duration.ofSeconds(1);
        private int poolSize = 4;
        private final Set<String> set = new LinkedHashSet<>();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
            Objects.requireNonNull(value, option);
        }

        /**
         * Sets the directory for the embedded files: {@code features.db} (definitions, unless a JDBC URL is set),
         * {@code offline.duckdb} and the engine's spill directory.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder root(Path directory) {
            once("root", directory);
            this.root = directory;
            return this;
        }

        /**
         * Keeps the definitions in another database, shared by a team: {@code jdbc:postgresql://...} (or
         * {@code jdbc:sqlite:...}).
         *
         * @param url the JDBC URL
         * @return this builder
         */
        public Builder jdbcUrl(String url) {
            once("jdbcUrl", url);
            this.jdbcUrl = url;
            return this;
        }

        /**
         * Uses (and creates) a PostgreSQL schema for the definitions.
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
         * Sets the online store; the feature store closes it. The default is an {@link InMemoryOnlineStore}.
         *
         * @param store the online store
         * @return this builder
         */
        public Builder online(OnlineStore store) {
            once("online", store);
            this.online = store;
            return this;
        }

        /**
         * Sets how many rows move at a time between the engine and Java (training-set batches, fetches,
         * materialization chunks); the default is 65,536.
         *
         * @param rows 1 to 16,777,216
         * @return this builder
         * @throws InvalidArgumentException if the size is out of range
         */
        public Builder batchSize(int rows) {
            once("batchSize", rows);
            if (rows < 1 || rows > (1 << 24)) {
                throw new InvalidArgumentException("batch size must be 1 to 16777216, but was " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /**
         * Sets the offline engine's memory limit, past which it spills to disk, for instance {@code "4GB"}; by
         * default the engine's own (80 % of the machine's memory).
         *
         * @param limit a size with unit
         * @return this builder
         * @throws InvalidArgumentException if the text is not a size
         */
        public Builder offlineMemoryLimit(String limit) {
            once("offlineMemoryLimit", limit);
            if (!limit.matches("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
                throw new InvalidArgumentException("offline memory limit " + Names.show(limit)
                        + " must be a size such as 512MB or 4GB");
            }
            this.memoryLimit = limit;
            return this;
        }

        /**
         * Sets the offline engine's worker threads; by default one per core.
         *
         * @param count 1 or more
         * @return this builder
         * @throws InvalidArgumentException if the count is below 1
         */
        public Builder offlineThreads(int count) {
            once("offlineThreads", count);
            if (count < 1) {
                throw new InvalidArgumentException("offline threads must be 1 or more, but was " + count);
            }
            this.threads = count;
            return this;
        }

        /**
         * Sets the clock that judges TTLs online and stamps definitions.
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
         * Sets who is recorded as storing definitions; the default is the {@code user.name} system property.
         *
         * @param name the actor
         * @return this builder
         */
        public Builder actor(String name) {
            once("actor", name);
            if (name.isBlank() || name.length() > 256) {
                throw new InvalidArgumentException("actor must be 1 to 256 characters, but was " + Names.show(name));
            }
            this.actor = name;
            return this;
        }

        /**
         * Sets where pipeline runs, training sets and materializations report progress; the default logs.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            once("progress", listener);
            this.progress = listener;
            return this;
        }

        /**
         * Sets how long a resolved feature service is reused by online reads; changes made through this store are
         * seen at once, changes made elsewhere after at most this long. The default is one second.
         *
         * @param ttl the time to live
         * @return this builder
         */
        public Builder definitionCacheTtl(Duration ttl) {
            once("definitionCacheTtl", ttl);
            if (ttl.isNegative()) {
                throw new InvalidArgumentException("definition cache TTL must not be negative, but was " + ttl);
            }
            this.definitionCacheTtl = ttl;
            return this;
        }

        /**
         * Sets the most database connections held for definitions; the default is 4.
         *
         * @param size 1 or more
         * @return this builder
         */
        public Builder poolSize(int size) {
            once("poolSize", size);
            if (size < 1) {
                throw new InvalidArgumentException("pool size must be 1 or more, but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store
         * @throws IllegalStateException if no root directory was set
         * @throws UnavailableException if a database cannot be opened
         */
        public FeatureStore build() {
            if (root == null) {
                throw new IllegalStateException("set root(directory) before build(); it holds the offline store");
            }
            Path r = root.toAbsolutePath().normalize();
            String url = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + r.resolve("features.db");
            Path lock = url.startsWith("jdbc:sqlite:") ? r.resolve(".features.lock") : null;
            OfflineStore offline = OfflineStore.open(r.resolve("offline.duckdb"), r.resolve("offline.tmp"), memoryLimit,
                    threads);
            Database db;
            try {
                db = Database.open(url, schema, false, poolSize, lock, "dev/mlops/features/db",
                        "mlops_features_schema_history");
            } catch (RuntimeException e) {
                offline.close();
                throw e;
            }
            OnlineStore on = online != null ? online : InMemoryOnlineStore.create();
            Context ctx = new Context(db, offline, on, clock, actor, progress, batchSize, definitionCacheTtl);
            LOG.debug("feature store open: definitions in {}, offline store {}, online store {}", db, offline.file(),
                    on.name());
            return new FeatureStore(ctx, "definitions " + db + ", offline " + offline.file() + ", online " + on.name());
        }
    }
}
