package dev.mlops.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.ModelUri;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.PromptUri;
import dev.mlops.api.RunUri;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.UnavailableException;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.api.spi.LineageSource;
import dev.mlops.api.spi.ModelPromoter;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.registry.internal.PackageFiles;
import dev.mlops.registry.internal.PromptStore;
import dev.mlops.registry.internal.RegistryStore;
import dev.mlops.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry: registered models, immutable versions stored as verified packages, aliases, tags, lineage,
 * alias policies with approvals, and an append-only audit log, on SQLite (default) or PostgreSQL.
 *
 * <pre>{@code
 * try (Registry registry = Registry.open(Path.of("mlops-data"))) {
 *     ModelVersion v = registry.register("churn", modelPackage, RunUri.parse("runs:/" + runId + "/model"));
 *     registry.setAlias("churn", "challenger", v.version());
 *     ModelPackage p = registry.load(ModelUri.parse("models:/churn@challenger"));
 * }
 * }</pre>
 *
 * <p>Every mutation records who made it ({@link #withActor(String)} gives a view acting as someone else) in the audit
 * log, in the same transaction, and is announced to {@link RegistryListener}s after it commits. Alias moves obey the
 * alias's {@link AliasPolicy}. The registry implements {@link ModelPromoter}, so monitoring can promote through it.
 * Thread-safe; views made by {@code withActor} share the connections, caches and listeners, and closing any of them
 * closes the registry.
 */
public final class Registry implements ModelPromoter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int REGISTER_RETRIES = 20;

    private final Shared shared;
    private final String actor;

    /** What all views of one registry share. */
    private static final class Shared {
        final Database db;
        final RegistryStore store;
        final Path packageRoot;
        final TimeSource clock;
        final LineageSource lineage;
        final Cache<ModelUri, ModelVersion> resolutions;
        final Cache<String, ModelPackage> verifiedPackages;
        final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
        final PromptStore prompts;
        final Cache<PromptUri, PromptVersion> promptResolutions;

        Shared(Database db, Path packageRoot, TimeSource clock, LineageSource lineage, Duration ttl) {
            this.db = db;
            this.store = new RegistryStore(db);
            this.packageRoot = packageRoot;
            this.clock = clock;
            this.lineage = lineage;
            this.resolutions = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
            this.verifiedPackages = Caffeine.newBuilder().maximumSize(256).build();
            this.prompts = new PromptStore(db);
            this.promptResolutions = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
        }
    }

    private Registry(Shared shared, String actor) {
        this.shared = shared;
        this.actor = actor;
    }

    /**
     * Opens (creating if needed) an embedded registry under a directory: {@code registry.db} (SQLite) and
     * {@code packages/}.
     *
     * @param root the directory
     * @return the open registry
     */
    public static Registry open(Path root) {
        return builder().root(root).build();
    }

    /**
     * Opens a registry on a database given by JDBC URL, with packages in {@code mlops-data/packages}.
     *
     * @param jdbcUrl {@code jdbc:postgresql://...} or {@code jdbc:sqlite:...}
     * @return the open registry
     */
    public static Registry open(String jdbcUrl) {
        return builder().jdbcUrl(jdbcUrl).build();
    }

    /**
     * Starts configuring a registry.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a view of this registry that records another actor in the audit log and approvals.
     *
     * @param name who acts
     * @return a view sharing this registry's resources
     */
    public Registry withActor(String name) {
        return new Registry(shared, checkActor(name));
    }

    /**
     * Returns who this view acts as.
     *
     * @return the actor's name
     */
    public String actor() {
        return actor;
    }

    /**
     * Adds a listener for committed changes.
     *
     * @param listener the listener
     */
    public void addListener(RegistryListener listener) {
        shared.listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(RegistryListener listener) {
        shared.listeners.remove(listener);
    }

    // ---------------------------------------------------------------- models

    /**
     * Creates a registered model.
     *
     * @param name the name (see {@link ModelUri#checkName})
     * @param description a description, or {@code null}
     * @return the model
     * @throws AlreadyExistsException if the name is taken
     */
    public RegisteredModel createModel(String name, String description) {
        ModelUri.checkName(name);
        checkText("description", description);
        long now = now();
        boolean created = shared.db.inTransaction(c -> {
            if (!shared.store.ensureModel(c, name, description, now)) {
                return false;
            }
            shared.store.audit(c, name, 0, "MODEL_CREATED", actor, now, null, Map.of("description",
                    String.valueOf(description)));
            return true;
        });
        if (!created) {
            throw new AlreadyExistsException("registered model '" + name + "' already exists");
        }
        fire(RegistryEvent.Type.MODEL_CREATED, name, 0, null);
        return getModel(name);
    }

    /**
     * Returns a registered model.
     *
     * @param name the name
     * @return the model with its tags, aliases and latest version
     * @throws NotFoundException if there is none
     */
    public RegisteredModel getModel(String name) {
        return shared.store.model(name).orElseThrow(() -> RegistryStore.noModel(name));
    }

    /**
     * Searches models by name and tags.
     *
     * @param namePattern a SQL LIKE pattern ({@code %} any text, {@code _} one character); {@code "%"} for all
     * @param tags tags every result must have
     * @return the matching models, by name
     */
    public List<RegisteredModel> searchModels(String namePattern, Map<String, String> tags) {
        return shared.store.searchModels(Objects.requireNonNull(namePattern, "namePattern"), tags).stream()
                .map(this::getModel).toList();
    }

    /**
     * Sets a model's description.
     *
     * @param name the model
     * @param description the new description
     */
    public void setModelDescription(String name, String description) {
        checkText("description", description);
        mutate(name, 0, "DESCRIPTION_SET", RegistryEvent.Type.DESCRIPTION_SET, null, c -> {
            String before = getModel(name).description();
            shared.store.setModelDescription(c, name, description);
            return new Object[] {Map.of("description", String.valueOf(before)), Map.of("description", description)};
        });
    }

    /**
     * Sets a tag on a model.
     *
     * @param name the model
     * @param key the tag key
     * @param value the value
     */
    public void setModelTag(String name, String key, String value) {
        checkTag(key, value);
        mutate(name, 0, "TAG_SET", RegistryEvent.Type.TAG_SET, null, c -> {
            String before = shared.store.setModelTag(c, name, key, value);
            return new Object[] {before == null ? null : Map.of(key, before), Map.of(key, value)};
        });
    }

    /**
     * Deletes a tag from a model.
     *
     * @param name the model
     * @param key the tag key
     */
    public void deleteModelTag(String name, String key) {
        mutate(name, 0, "TAG_DELETED", RegistryEvent.Type.TAG_DELETED, null, c -> {
            String before = shared.store.setModelTag(c, name, key, null);
            return new Object[] {before == null ? null : Map.of(key, before), null};
        });
    }

    /**
     * Deletes a model with all its versions, aliases, policies and stored packages; the audit log keeps its entries.
     *
     * @param name the model
     * @throws NotFoundException if there is none
     */
    public void deleteModel(String name) {
        List<ModelVersion> versions = shared.store.versions(name);
        mutate(name, 0, "MODEL_DELETED", RegistryEvent.Type.MODEL_DELETED, null, c -> {
            shared.store.deleteModel(c, name);
            return new Object[] {Map.of("versions", versions.size()), null};
        });
        for (ModelVersion v : versions) {
            removePackageIfUnused(v.packageDigest());
        }
        invalidate(name);
    }

    // ---------------------------------------------------------------- versions

    /**
     * Registers a package as the next version of a model (creating the model if needed), without a source run.
     *
     * @param name the model
     * @param pkg the package
     * @return the new version
     */
    public ModelVersion register(String name, ModelPackage pkg) {
        return register(name, pkg, null);
    }

    /**
     * Registers a package as the next version of a model, creating the model if needed. The package is verified,
     * copied into the registry's store (once per content) and verified again; only then does the version become
     * visible. If anything fails on the way, no version appears and no copied file stays behind. With a source run
     * and a configured {@link LineageSource}, the run's dataset inputs join the version's lineage.
     *
     * @param name the model
     * @param pkg the package
     * @param source the run artifact the model came from, or {@code null}
     * @return the new version
     * @throws IntegrityException if the package fails its checks
     */
    public ModelVersion register(String name, ModelPackage pkg, RunUri source) {
        ModelUri.checkName(name);
        pkg.verify();
        List<DatasetRef> datasets = new ArrayList<>(pkg.descriptor().datasets());
        if (source != null && shared.lineage != null) {
            for (DatasetRef d : shared.lineage.datasetsOf(source)) {
                if (!datasets.contains(d)) {
                    datasets.add(d);
                }
            }
        }
        String digest = pkg.digest();
        boolean copied = storePackage(pkg);
        long now = now();
        try {
            long version = registerVersion(name, pkg, source, digest, datasets, now);
            fire(RegistryEvent.Type.VERSION_CREATED, name, version, null);
            return getVersion(name, version);
        } catch (RuntimeException e) {
            if (copied) {
                removePackageIfUnused(digest);
            }
            throw e;
        }
    }

    private long registerVersion(String name, ModelPackage pkg, RunUri source, String digest, List<DatasetRef> datasets,
            long now) {
        for (int attempt = 0; ; attempt++) {
            try {
                return shared.db.inTransaction(c -> {
                    if (shared.store.ensureModel(c, name, null, now)) {
                        shared.store.audit(c, name, 0, "MODEL_CREATED", actor, now, null, Map.of());
                    }
                    long version = shared.store.nextVersion(c, name);
                    shared.store.insertVersion(c, new RegistryStore.VersionRow(name, version, source,
                            pkg.descriptor().description(), now, actor, digest, pkg.signature(),
                            pkg.descriptor().metrics()));
                    shared.store.insertDatasets(c, name, version, datasets);
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("version", version);
                    after.put("package", digest);
                    after.put("source", source == null ? null : source.toString());
                    shared.store.audit(c, name, version, "VERSION_CREATED", actor, now, null, after);
                    shared.store.touch(c, name, now);
                    return version;
                });
            } catch (UnavailableException e) {
                // Two PostgreSQL writers can compute the same next version; the loser retries with the next number.
                if (attempt < REGISTER_RETRIES && e.getCause() instanceof SQLException sql
                        && Database.isUniqueViolation(sql)) {
                    continue;
                }
                throw e;
            }
        }
    }

    /** Copies a package into the store under its digest; returns true if this call created the copy. */
    private boolean storePackage(ModelPackage pkg) {
        Path target = packageDir(pkg.digest());
        if (Files.isDirectory(target)) {
            return false;
        }
        PackageFiles.Staged staged = PackageFiles.stage(target);
        try {
            PackageFiles.copyPackage(pkg.directory(), pkg.descriptor(), staged.dir());
            PackageFiles.verify(staged.dir(), pkg.descriptor());
        } catch (IOException e) {
            staged.abort();
            throw new UnavailableException("copying package " + pkg.directory() + " into the registry failed: "
                    + e.getMessage() + "; nothing was registered", e);
        } catch (RuntimeException e) {
            staged.abort();
            throw e;
        }
        try {
            staged.commit();
            return true;
        } catch (AlreadyExistsException e) {
            return false; // another registration stored the same content first
        }
    }

    private void removePackageIfUnused(String digest) {
        long refs = shared.db.read(c -> shared.store.packageReferences(c, digest));
        if (refs == 0) {
            shared.verifiedPackages.invalidate(digest);
            PackageFiles.deleteTree(packageDir(digest));
        }
    }

    private Path packageDir(String digest) {
        if (!digest.matches("[0-9a-f]{64}")) {
            throw new IntegrityException("'" + digest + "' is not a package digest");
        }
        return shared.packageRoot.resolve(digest);
    }

    /**
     * Returns a version.
     *
     * @param name the model
     * @param version the version number
     * @return the version
     * @throws NotFoundException if there is none
     */
    public ModelVersion getVersion(String name, long version) {
        return shared.store.version(name, version).orElseThrow(() -> new NotFoundException("version " + version
                + " of model '" + name + "' does not exist"));
    }

    /**
     * Lists a model's versions, newest first.
     *
     * @param name the model
     * @return the versions
     */
    public List<ModelVersion> versions(String name) {
        getModel(name);
        return shared.store.versions(name);
    }

    /**
     * Lists a model's versions that have every tag given, newest first.
     *
     * @param name the model
     * @param tags the tags to match
     * @return the versions
     */
    public List<ModelVersion> searchVersions(String name, Map<String, String> tags) {
        return shared.store.searchVersions(name, tags);
    }

    /**
     * Sets a tag on a version (for instance a validation status).
     *
     * @param name the model
     * @param version the version
     * @param key the key
     * @param value the value
     */
    public void setVersionTag(String name, long version, String key, String value) {
        checkTag(key, value);
        getVersion(name, version);
        mutate(name, version, "TAG_SET", RegistryEvent.Type.TAG_SET, null, c -> {
            String before = shared.store.setVersionTag(c, name, version, key, value);
            return new Object[] {before == null ? null : Map.of(key, before), Map.of(key, value)};
        });
    }

    /**
     * Deletes a tag from a version.
     *
     * @param name the model
     * @param version the version
     * @param key the key
     */
    public void deleteVersionTag(String name, long version, String key) {
        getVersion(name, version);
        mutate(name, version, "TAG_DELETED", RegistryEvent.Type.TAG_DELETED, null, c -> {
            String before = shared.store.setVersionTag(c, name, version, key, null);
            return new Object[] {before == null ? null : Map.of(key, before), null};
        });
    }

    /**
     * Sets a version's description.
     *
     * @param name the model
     * @param version the version
     * @param description the description
     */
    public void setVersionDescription(String name, long version, String description) {
        checkText("description", description);
        ModelVersion before = getVersion(name, version);
        mutate(name, version, "DESCRIPTION_SET", RegistryEvent.Type.DESCRIPTION_SET, null, c -> {
            shared.store.setVersionDescription(c, name, version, description);
            return new Object[] {Map.of("description", String.valueOf(before.description())),
                Map.of("description", description)};
        });
    }

    /**
     * Deletes a version, the aliases pointing at it, and its stored package unless another version shares it.
     *
     * @param name the model
     * @param version the version
     * @throws NotFoundException if there is none
     */
    public void deleteVersion(String name, long version) {
        ModelVersion v = getVersion(name, version);
        mutate(name, version, "VERSION_DELETED", RegistryEvent.Type.VERSION_DELETED, null, c -> {
            shared.store.deleteVersion(c, name, version);
            return new Object[] {Map.of("version", version, "package", v.packageDigest(), "aliases", v.aliases()), null};
        });
        removePackageIfUnused(v.packageDigest());
        invalidate(name);
    }

    // ---------------------------------------------------------------- resolution and loading

    /**
     * Resolves a model URI to a version: a version number, an alias, or {@code latest}. Resolutions are cached for
     * the configured time; changes made through this registry are seen at once.
     *
     * @param uri the URI
     * @return the version it points at
     * @throws NotFoundException if the model, version or alias does not exist
     */
    public ModelVersion resolve(ModelUri uri) {
        ModelVersion cached = shared.resolutions.getIfPresent(uri);
        if (cached != null) {
            return cached;
        }
        ModelVersion v = resolveUncached(uri);
        shared.resolutions.put(uri, v);
        return v;
    }

    ModelVersion resolveUncached(ModelUri uri) {
        RegisteredModel model = getModel(uri.name());
        long version;
        if (uri.version().isPresent()) {
            version = uri.version().getAsLong();
        } else if (uri.alias().isPresent()) {
            Long target = model.aliases().get(uri.alias().get());
            if (target == null) {
                throw new NotFoundException("model '" + uri.name() + "' has no alias '" + uri.alias().get()
                        + "'; its aliases are " + model.aliases().keySet());
            }
            version = target;
        } else {
            if (model.latestVersion() == 0) {
                throw new NotFoundException("model '" + uri.name() + "' has no versions");
            }
            version = model.latestVersion();
        }
        return getVersion(uri.name(), version);
    }

    /**
     * Loads the package a model URI points at, verified. A package is verified once per registry and content;
     * later loads of the same content reuse the verified package.
     *
     * @param uri the URI
     * @return the verified package
     * @throws IntegrityException if the stored package was changed
     */
    public ModelPackage load(ModelUri uri) {
        ModelVersion v = resolve(uri);
        return shared.verifiedPackages.get(v.packageDigest(), digest -> {
            ModelPackage p = ModelPackage.open(packageDir(digest));
            if (!p.digest().equals(digest)) {
                throw new IntegrityException("the stored package of " + v.uri() + " has descriptor SHA-256 " + p.digest()
                        + " but the registry recorded " + digest);
            }
            return p;
        });
    }

    private void invalidate(String name) {
        shared.resolutions.asMap().keySet().removeIf(u -> u.name().equals(name));
    }

    // ---------------------------------------------------------------- aliases and governance

    /**
     * Points an alias at a version, subject to the alias's policy.
     *
     * @param name the model
     * @param alias the alias (see {@link ModelUri#checkAlias})
     * @param version the version
     * @throws PolicyViolationException listing every rule the move breaks (including a required approval)
     */
    public void setAlias(String name, String alias, long version) {
        ModelUri.checkAlias(alias);
        getVersion(name, version);
        moveAlias(name, alias, version, false);
    }

    private void moveAlias(String name, String alias, long version, boolean approved) {
        long now = now();
        shared.db.inTransaction(c -> {
            ModelVersion target = shared.store.version(c, name, version).orElseThrow(() -> new NotFoundException(
                    "version " + version + " of model '" + name + "' does not exist"));
            AliasPolicy policy = shared.store.policy(c, name, alias).orElse(AliasPolicy.none());
            List<String> violations = violations(c, name, alias, target, policy, approved);
            if (!violations.isEmpty()) {
                throw new PolicyViolationException("moving alias '" + alias + "' of model '" + name + "' to version "
                        + version, violations);
            }
            Optional<Long> before = shared.store.aliasTarget(c, name, alias);
            shared.store.setAlias(c, name, alias, version);
            shared.store.audit(c, name, version, "ALIAS_SET", actor, now,
                    before.map(b -> Map.of("alias", alias, "version", b)).orElse(null),
                    Map.of("alias", alias, "version", version));
            shared.store.touch(c, name, now);
            return null;
        });
        invalidate(name);
        fire(RegistryEvent.Type.ALIAS_SET, name, version, alias);
    }

    private List<String> violations(Connection c, String name, String alias, ModelVersion target, AliasPolicy policy,
            boolean approved) throws SQLException {
        List<String> out = new ArrayList<>();
        if (policy.requireApproval() && !approved) {
            out.add("alias '" + alias + "' needs an approval: call requestAliasChange and have someone else approve");
        }
        policy.minimumMetrics().forEach((metric, min) -> {
            Double value = target.metrics().get(metric);
            if (value == null) {
                out.add("metric '" + metric + "' is not recorded for version " + target.version()
                        + " but must be at least " + min);
            } else if (value < min) {
                out.add("metric '" + metric + "' is " + value + ", below the required " + min);
            }
        });
        policy.maximumMetrics().forEach((metric, max) -> {
            Double value = target.metrics().get(metric);
            if (value == null) {
                out.add("metric '" + metric + "' is not recorded for version " + target.version()
                        + " but must be at most " + max);
            } else if (value > max) {
                out.add("metric '" + metric + "' is " + value + ", above the allowed " + max);
            }
        });
        if (policy.requireCompatibleSignature()) {
            Optional<Long> current = shared.store.aliasTarget(c, name, alias);
            if (current.isPresent() && current.get() != target.version()) {
                ModelVersion holder = shared.store.version(c, name, current.get()).orElseThrow();
                out.addAll(incompatibilities(holder.signature(), target.signature(), holder.version()));
            }
        }
        return out;
    }

    /**
     * Lists why a new signature cannot replace an old one: an input the old version accepts is missing or has
     * another type, the new version requires an input the old one did not have, or an output changed.
     *
     * @param old the current signature
     * @param candidate the new signature
     * @param oldVersion the current version, for the messages
     * @return the incompatibilities, empty when compatible
     */
    static List<String> incompatibilities(Signature old, Signature candidate, long oldVersion) {
        List<String> out = new ArrayList<>();
        for (Field f : old.inputs().fields()) {
            Optional<Field> n = candidate.inputs().find(f.name());
            if (n.isEmpty()) {
                if (!f.nullable()) {
                    out.add("input '" + f.name() + "' of version " + oldVersion + " is missing from the new signature");
                }
            } else if (n.get().type() != f.type()
                    && !(f.type() == DataType.LONG && n.get().type() == DataType.DOUBLE)) {
                out.add("input '" + f.name() + "' changes type from " + f.type().jsonName() + " to "
                        + n.get().type().jsonName());
            }
        }
        for (Field f : candidate.inputs().fields()) {
            if (!f.nullable() && !old.inputs().contains(f.name())) {
                out.add("the new signature requires input '" + f.name() + "', which version " + oldVersion
                        + " does not take");
            }
        }
        Schema oldOut = old.outputs();
        Schema newOut = candidate.outputs();
        if (oldOut != null && newOut != null) {
            for (Field f : oldOut.fields()) {
                Optional<Field> n = newOut.find(f.name());
                if (n.isEmpty() || n.get().type() != f.type()) {
                    out.add("output '" + f.name() + "' of version " + oldVersion + " is missing or changes type");
                }
            }
        }
        return out;
    }

    /**
     * Removes an alias.
     *
     * @param name the model
     * @param alias the alias
     * @throws NotFoundException if the model has no such alias
     */
    public void deleteAlias(String name, String alias) {
        Long before = getModel(name).aliases().get(alias);
        if (before == null) {
            throw new NotFoundException("model '" + name + "' has no alias '" + alias + "'");
        }
        mutate(name, before, "ALIAS_DELETED", RegistryEvent.Type.ALIAS_DELETED, alias, c -> {
            shared.store.setAlias(c, name, alias, null);
            return new Object[] {Map.of("alias", alias, "version", before), null};
        });
        invalidate(name);
    }

    /**
     * Sets the policy that guards moving an alias.
     *
     * @param name the model
     * @param alias the alias
     * @param policy the rules
     */
    public void setPolicy(String name, String alias, AliasPolicy policy) {
        ModelUri.checkAlias(alias);
        Objects.requireNonNull(policy, "policy");
        mutate(name, 0, "POLICY_SET", RegistryEvent.Type.POLICY_SET, alias, c -> {
            Optional<AliasPolicy> before = shared.store.policy(c, name, alias);
            shared.store.setPolicy(c, name, alias, policy);
            return new Object[] {before.map(p -> Map.of("alias", alias, "policy", p)).orElse(null),
                Map.of("alias", alias, "policy", policy)};
        });
    }

    /**
     * Returns the policy on an alias.
     *
     * @param name the model
     * @param alias the alias
     * @return the policy, or {@link AliasPolicy#none()}
     */
    public AliasPolicy policy(String name, String alias) {
        return shared.db.read(c -> shared.store.policy(c, name, alias)).orElse(AliasPolicy.none());
    }

    /**
     * Asks for an alias move that a policy subjects to approval. The policy's other rules are checked now and again
     * at approval.
     *
     * @param name the model
     * @param alias the alias
     * @param version the version the alias should point at
     * @param reason why, kept with the request and in the audit log
     * @return the pending request
     * @throws PolicyViolationException if the move breaks a rule other than the approval
     */
    public ApprovalRequest requestAliasChange(String name, String alias, long version, String reason) {
        ModelUri.checkAlias(alias);
        checkText("reason", reason);
        getVersion(name, version);
        long now = now();
        String id = UUID.randomUUID().toString().replace("-", "");
        ApprovalRequest request = new ApprovalRequest(id, name, version, alias, ApprovalStatus.PENDING, actor,
                java.time.Instant.ofEpochMilli(now), reason == null ? "" : reason, null, null, null);
        shared.db.inTransaction(c -> {
            ModelVersion target = shared.store.version(c, name, version).orElseThrow();
            List<String> violations = violations(c, name, alias, target,
                    shared.store.policy(c, name, alias).orElse(AliasPolicy.none()), true);
            if (!violations.isEmpty()) {
                throw new PolicyViolationException("moving alias '" + alias + "' of model '" + name + "' to version "
                        + version, violations);
            }
            shared.store.insertApproval(c, request);
            shared.store.audit(c, name, version, "APPROVAL_REQUESTED", actor, now, null,
                    Map.of("request", id, "alias", alias, "version", version, "reason", request.reason()));
            return null;
        });
        fire(RegistryEvent.Type.APPROVAL_REQUESTED, name, version, alias);
        return request;
    }

    /**
     * Approves a pending request and moves the alias. When the alias's policy requires approval, the approver must
     * be someone other than the requester.
     *
     * @param requestId the request
     * @param comment the approver's comment
     * @return the approved request
     * @throws ConflictException if the request is not pending or the approver is the requester
     * @throws PolicyViolationException if the move now breaks another rule (the request stays pending)
     */
    public ApprovalRequest approve(String requestId, String comment) {
        ApprovalRequest r = approval(requestId);
        if (r.status() != ApprovalStatus.PENDING) {
            throw new ConflictException("approval request " + requestId + " is already " + r.status());
        }
        if (policy(r.model(), r.alias()).requireApproval() && r.requestedBy().equals(actor)) {
            throw new ConflictException(actor + " requested " + requestId + " and cannot also approve it");
        }
        long now = now();
        shared.db.inTransaction(c -> {
            ModelVersion target = shared.store.version(c, r.model(), r.version()).orElseThrow(() ->
                    new NotFoundException("version " + r.version() + " of model '" + r.model() + "' no longer exists"));
            List<String> violations = violations(c, r.model(), r.alias(), target,
                    shared.store.policy(c, r.model(), r.alias()).orElse(AliasPolicy.none()), true);
            if (!violations.isEmpty()) {
                throw new PolicyViolationException("approving request " + requestId, violations);
            }
            if (!shared.store.decide(c, requestId, ApprovalStatus.APPROVED, actor, now, comment)) {
                throw new ConflictException("approval request " + requestId + " was decided meanwhile");
            }
            Optional<Long> before = shared.store.aliasTarget(c, r.model(), r.alias());
            shared.store.setAlias(c, r.model(), r.alias(), r.version());
            shared.store.audit(c, r.model(), r.version(), "APPROVED", actor, now, null,
                    Map.of("request", requestId, "comment", String.valueOf(comment)));
            shared.store.audit(c, r.model(), r.version(), "ALIAS_SET", actor, now,
                    before.map(b -> Map.of("alias", r.alias(), "version", b)).orElse(null),
                    Map.of("alias", r.alias(), "version", r.version(), "request", requestId));
            shared.store.touch(c, r.model(), now);
            return null;
        });
        invalidate(r.model());
        fire(RegistryEvent.Type.APPROVED, r.model(), r.version(), r.alias());
        fire(RegistryEvent.Type.ALIAS_SET, r.model(), r.version(), r.alias());
        return approval(requestId);
    }

    /**
     * Rejects a pending request; nothing else changes.
     *
     * @param requestId the request
     * @param comment why
     * @return the rejected request
     * @throws ConflictException if the request is not pending
     */
    public ApprovalRequest reject(String requestId, String comment) {
        ApprovalRequest r = approval(requestId);
        long now = now();
        shared.db.inTransaction(c -> {
            if (!shared.store.decide(c, requestId, ApprovalStatus.REJECTED, actor, now, comment)) {
                throw new ConflictException("approval request " + requestId + " is not pending");
            }
            shared.store.audit(c, r.model(), r.version(), "REJECTED", actor, now, null,
                    Map.of("request", requestId, "comment", String.valueOf(comment)));
            return null;
        });
        fire(RegistryEvent.Type.REJECTED, r.model(), r.version(), r.alias());
        return approval(requestId);
    }

    /**
     * Returns an approval request.
     *
     * @param requestId the request's id
     * @return the request
     * @throws NotFoundException if there is none
     */
    public ApprovalRequest approval(String requestId) {
        return shared.db.read(c -> shared.store.approval(c, requestId)).orElseThrow(() ->
                new NotFoundException("approval request '" + requestId + "' does not exist"));
    }

    /**
     * Lists a model's approval requests, newest first.
     *
     * @param name the model
     * @param status only this status, or {@code null} for all
     * @return the requests
     */
    public List<ApprovalRequest> approvals(String name, ApprovalStatus status) {
        return shared.store.approvals(name, status);
    }

    /**
     * Promotes a version through the alias's policy: moves the alias when the policy allows, files an approval
     * request when it requires one, and refuses (saying why) when a rule fails.
     *
     * @param request what to promote
     * @return the outcome
     */
    @Override
    public PromotionResult promote(PromotionRequest request) {
        Registry as = withActor(request.actor());
        String reason = request.reason() + (request.evidence().isEmpty() ? "" : " (evidence "
                + RegistryStore.json(request.evidence()) + ")");
        try {
            if (as.policy(request.model(), request.alias()).requireApproval()) {
                ApprovalRequest r = as.requestAliasChange(request.model(), request.alias(), request.version(), reason);
                return new PromotionResult(Outcome.APPROVAL_REQUESTED, "approval request " + r.id() + " filed", r.id());
            }
            as.setAlias(request.model(), request.alias(), request.version());
            return new PromotionResult(Outcome.PROMOTED, request.alias() + " now points at version " + request.version(),
                    null);
        } catch (PolicyViolationException e) {
            return new PromotionResult(Outcome.REFUSED, e.getMessage(), null);
        }
    }

    // ---------------------------------------------------------------- lineage and audit

    /**
     * Returns where a version came from.
     *
     * @param name the model
     * @param version the version
     * @return its source run and datasets
     */
    public Lineage lineage(String name, long version) {
        ModelVersion v = getVersion(name, version);
        return new Lineage(name, version, v.source(), shared.store.datasets(name, version));
    }

    /**
     * Finds the versions (of any model) trained or evaluated on a dataset.
     *
     * @param datasetDigest the dataset's content digest
     * @return the versions, by model and number
     */
    public List<ModelVersion> versionsTrainedOn(String datasetDigest) {
        return shared.store.versionsByDataset(datasetDigest);
    }

    /**
     * Returns a model's audit log, oldest first. Entries outlive the model's deletion.
     *
     * @param name the model
     * @return the entries
     */
    public List<AuditEntry> auditLog(String name) {
        return shared.store.auditLog(AuditEntry.Subject.MODEL, name);
    }

    /**
     * Returns the prompt registry that shares this registry's database, audit log and actor.
     *
     * @return the prompts
     */
    public Prompts prompts() {
        return new Prompts(shared.prompts, shared.store, shared.clock, actor, shared.promptResolutions);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Change {
        /** Applies a change and returns {before, after} for the audit log. */
        Object[] apply(Connection c) throws SQLException;
    }

    private void mutate(String name, long version, String action, RegistryEvent.Type event, String alias, Change change) {
        long now = now();
        shared.db.inTransaction(c -> {
            if (shared.store.model(c, name).isEmpty()) {
                throw RegistryStore.noModel(name);
            }
            Object[] beforeAfter = change.apply(c);
            shared.store.audit(c, name, version, action, actor, now, beforeAfter[0], beforeAfter[1]);
            if (event != RegistryEvent.Type.MODEL_DELETED) {
                shared.store.touch(c, name, now);
            }
            return null;
        });
        fire(event, name, version, alias);
    }

    private void fire(RegistryEvent.Type type, String model, long version, String alias) {
        RegistryEvent e = new RegistryEvent(type, model, version, alias, actor, shared.clock.now());
        for (RegistryListener l : shared.listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException failure) {
                LOG.warn("registry listener {} failed on {}; the change stands", l, e, failure);
            }
        }
    }

    private long now() {
        return shared.clock.now().toEpochMilli();
    }

    private static String checkActor(String name) {
        if (name == null || name.isBlank() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidArgumentException("actor must be 1 to 256 characters without control characters, not '"
                    + name + "'");
        }
        return name;
    }

    static void checkTag(String key, String value) {
        if (key == null || key.isBlank() || key.length() > 250 || key.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidArgumentException("tag key must be 1 to 250 characters without control characters, not '"
                    + key + "'");
        }
        if (value == null || value.length() > 5000) {
            throw new InvalidArgumentException("tag '" + key + "' needs a value of at most 5000 characters");
        }
    }

    static void checkText(String what, String text) {
        if (text != null && text.length() > 5000) {
            throw new InvalidArgumentException(what + " is " + text.length() + " characters long, more than 5000");
        }
    }

    /** Closes the connections. */
    @Override
    public void close() {
        shared.db.close();
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Configures a {@link Registry}. Not thread-safe; each option may be set once.
     */
    public static final class Builder {
        private Path root;
        private String jdbcUrl;
        private Path packageRoot;
        private String schema;
        private String actor = System.getProperty("user.name", "unknown");
        private TimeSource clock = TimeSource.system();
        private LineageSource lineage;
        private Duration resolutionCacheTtl = Duration.ofSeconds(1);
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
         * Uses an embedded registry under a directory: {@code registry.db} and {@code packages/}.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder root(Path directory) {
            once("root", directory);
            if (jdbcUrl != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; jdbcUrl was already set");
            }
            this.root = directory;
            return this;
        }

        /**
         * Uses a database given by JDBC URL.
         *
         * @param url {@code jdbc:postgresql://...} or {@code jdbc:sqlite:...}
         * @return this builder
         */
        public Builder jdbcUrl(String url) {
            once("jdbcUrl", url);
            if (root != null) {
                throw new IllegalStateException("root and jdbcUrl are alternatives; root was already set");
            }
            this.jdbcUrl = url;
            return this;
        }

        /**
         * Stores packages under this directory (shared storage when several machines use one database).
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder packageRoot(Path directory) {
            once("packageRoot", directory);
            this.packageRoot = directory;
            return this;
        }

        /**
         * Uses (and creates) a PostgreSQL schema.
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
         * Sets who acts by default; the default is the {@code user.name} system property.
         *
         * @param name the actor
         * @return this builder
         */
        public Builder actor(String name) {
            once("actor", name);
            this.actor = checkActor(name);
            return this;
        }

        /**
         * Sets the clock that timestamps changes.
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
         * Sets where the datasets of a source run are looked up at registration (the tracking store implements it).
         *
         * @param source the lineage source
         * @return this builder
         */
        public Builder lineage(LineageSource source) {
            once("lineage", source);
            this.lineage = source;
            return this;
        }

        /**
         * Sets how long a URI resolution may be reused; changes made through this registry invalidate it at once,
         * changes made elsewhere are seen after at most this long. The default is one second; zero disables the
         * cache.
         *
         * @param ttl the time to live
         * @return this builder
         */
        public Builder resolutionCacheTtl(Duration ttl) {
            once("resolutionCacheTtl", ttl);
            if (ttl.isNegative()) {
                throw new InvalidArgumentException("resolution cache TTL must not be negative, but was " + ttl);
            }
            this.resolutionCacheTtl = ttl;
            return this;
        }

        /**
         * Sets the most database connections held; the default is 4.
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
         * Opens the registry.
         *
         * @return the open registry
         */
        public Registry build() {
            if (root == null && jdbcUrl == null) {
                throw new IllegalStateException("set root(directory) or jdbcUrl(url) before build()");
            }
            String url = jdbcUrl;
            Path packages = packageRoot;
            Path lock = null;
            if (root != null) {
                Path r = root.toAbsolutePath().normalize();
                url = "jdbc:sqlite:" + r.resolve("registry.db");
                lock = r.resolve(".registry.lock");
                packages = packages != null ? packages : r.resolve("packages");
            } else if (url.startsWith("jdbc:sqlite:")) {
                Path file = Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
                Path dir = file.toAbsolutePath().getParent();
                lock = dir.resolve(file.getFileName() + ".lock");
                packages = packages != null ? packages : dir.resolve("packages");
            }
            if (packages == null) {
                packages = Path.of("mlops-data", "packages");
            }
            Path packageDir = packages.toAbsolutePath().normalize();
            try {
                Files.createDirectories(packageDir);
            } catch (IOException e) {
                throw new UnavailableException("cannot create " + packageDir + ": " + e.getMessage(), e);
            }
            Database db = Database.open(url, schema, false, poolSize, lock, "dev/mlops/registry/db",
                    "mlops_registry_schema_history");
            return new Registry(new Shared(db, packageDir, clock, lineage, resolutionCacheTtl), actor);
        }
    }
}
