package dev.mlops.features;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import dev.mlops.features.internal.DefinitionStore;
import dev.mlops.features.internal.DefinitionStore.Column;
import dev.mlops.features.internal.DefinitionStore.Ref;
import dev.mlops.features.internal.DefinitionStore.Stored;
import dev.mlops.features.internal.Names;
import dev.mlops.features.internal.OfflineStore;
import dev.mlops.features.internal.Schemas;
import dev.mlops.features.internal.ViewLayout;
import dev.mlops.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Definitions: apply, read, search, delete, and resolve services into plans. Thread-safe. */
final class Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final int RETRIES = 20;

    private final Context ctx;

    Catalog(Context ctx) {
        this.ctx = ctx;
    }

    // ---------------------------------------------------------------- apply

    Entity apply(Entity e) {
        String json = DefinitionCodec.encode(e);
        List<Column> cols = e.joinKeys().stream().map(k -> new Column(k.name(), k.type().jsonName())).toList();
        int version = store(DefinitionKind.ENTITY, e.name(), null, e.owner(), e.description(), e.tags(), json, cols,
                List.of(), (c, previous) -> {
                    if (previous != null) {
                        Entity old = DefinitionCodec.entity(previous.specJson(), previous.version());
                        if (!old.joinKeys().equals(e.joinKeys()) && !ctx.defs.users(c, key(DefinitionKind.ENTITY),
                                e.name()).isEmpty()) {
                            throw new ConflictException("entity '" + e.name() + "' changes its join keys from "
                                    + old.joinKeys() + " to " + e.joinKeys() + " while "
                                    + ctx.defs.users(c, key(DefinitionKind.ENTITY), e.name())
                                    + " use it; delete or change them first");
                        }
                    }
                });
        return e.withVersion(version);
    }

    FeatureView apply(FeatureView v) {
        Entity entity = entity(v.name(), v.entity());
        Names.ColumnSet columns = new Names.ColumnSet("feature view '" + v.name() + "'");
        for (Field k : entity.joinKeys()) {
            columns.add("join key of entity '" + entity.name() + "'", k.name());
        }
        columns.add("timestamp column", v.timestampColumn());
        if (v.createdTimestampColumn() != null) {
            columns.add("created timestamp column", v.createdTimestampColumn());
        }
        for (Feature f : v.features()) {
            columns.add("feature", f.name());
        }
        ViewLayout layout = layout(v, entity);
        if (layout.isOfflineTable()) {
            ctx.offline.read(c -> {
                checkTableFits(c, layout);
                return null;
            });
        } else {
            checkFileSource(layout);
        }
        String json = DefinitionCodec.encode(v);
        List<Column> cols = v.features().stream().map(f -> new Column(f.name(), f.type().jsonName())).toList();
        List<Ref> refs = List.of(new Ref(key(DefinitionKind.ENTITY), v.entity()));
        int version = store(DefinitionKind.FEATURE_VIEW, v.name(), v.entity(), v.owner(), v.description(), v.tags(),
                json, cols, refs, (c, previous) -> {
                    if (previous != null) {
                        checkCompatible(c, DefinitionCodec.view(previous.specJson(), previous.version()), v);
                    }
                });
        FeatureView stored = v.withVersion(version);
        if (layout.isOfflineTable()) {
            ensureTable(layout(stored, entity));
        }
        ctx.plans.invalidateAll();
        return stored;
    }

    FeatureService apply(FeatureService s) {
        List<FeatureRef> expanded = new ArrayList<>();
        Set<FeatureRef> seen = new LinkedHashSet<>();
        Map<String, FeatureView> views = new LinkedHashMap<>();
        for (FeatureRef r : s.features()) {
            FeatureView v = views.computeIfAbsent(r.view(), n -> view("feature service '" + s.name() + "'", n));
            if (r.isAll()) {
                for (Feature f : v.features()) {
                    FeatureRef one = new FeatureRef(v.name(), f.name());
                    if (seen.add(one)) {
                        expanded.add(one);
                    }
                }
            } else {
                v.feature(r.feature());
                if (seen.add(r)) {
                    expanded.add(r);
                }
            }
        }
        Set<String> outputNames = new LinkedHashSet<>();
        for (String t : s.transforms()) {
            OnDemandTransform def = transformDefinition("feature service '" + s.name() + "'", t);
            for (FeatureRef in : def.inputs()) {
                FeatureView v = views.computeIfAbsent(in.view(), n -> view("on-demand transform '" + t + "'", n));
                v.feature(in.feature());
                if (seen.add(in)) {
                    expanded.add(in);
                }
            }
            for (Feature out : def.outputs()) {
                if (!outputNames.add(out.name().toLowerCase(Locale.ROOT))) {
                    throw new InvalidArgumentException("feature service '" + s.name() + "' gets output '" + out.name()
                            + "' from two transforms");
                }
            }
        }
        for (FeatureRef r : expanded) {
            if (outputNames.contains(r.feature().toLowerCase(Locale.ROOT))) {
                throw new InvalidArgumentException("feature service '" + s.name() + "' serves feature '" + r
                        + "' and a transform output of the same name '" + r.feature() + "'");
            }
        }
        if (expanded.isEmpty() && s.transforms().isEmpty()) {
            throw new InvalidArgumentException("feature service '" + s.name() + "' serves nothing");
        }
        FeatureService full = s.withFeatures(expanded, 0);
        String json = DefinitionCodec.encode(full);
        List<Column> cols = new ArrayList<>();
        Set<String> colNames = new LinkedHashSet<>();
        for (FeatureRef r : expanded) {
            if (colNames.add(r.feature())) {
                cols.add(new Column(r.feature(), views.get(r.view()).feature(r.feature()).type().jsonName()));
            }
        }
        Set<Ref> refs = new LinkedHashSet<>();
        for (FeatureView v : views.values()) {
            refs.add(new Ref(key(DefinitionKind.FEATURE_VIEW), v.name()));
            refs.add(new Ref(key(DefinitionKind.ENTITY), v.entity()));
        }
        for (String t : s.transforms()) {
            refs.add(new Ref(key(DefinitionKind.ON_DEMAND_TRANSFORM), t));
            for (Feature out : transformDefinition("feature service '" + s.name() + "'", t).outputs()) {
                if (colNames.add(out.name())) {
                    cols.add(new Column(out.name(), out.type().jsonName()));
                }
            }
        }
        int version = store(DefinitionKind.FEATURE_SERVICE, s.name(), null, s.owner(), s.description(), s.tags(), json,
                cols, new ArrayList<>(refs), (c, previous) -> { });
        ctx.plans.invalidate(s.name());
        return full.withFeatures(expanded, version);
    }

    OnDemandTransform apply(OnDemandTransform t) {
        if (!t.hasFunction()) {
            throw new InvalidArgumentException("on-demand transform '" + t.name() + "' has no function to apply");
        }
        Set<Ref> refs = new LinkedHashSet<>();
        for (FeatureRef in : t.inputs()) {
            FeatureView v = view("on-demand transform '" + t.name() + "'", in.view());
            v.feature(in.feature());
            refs.add(new Ref(key(DefinitionKind.FEATURE_VIEW), v.name()));
            refs.add(new Ref(key(DefinitionKind.ENTITY), v.entity()));
        }
        String json = DefinitionCodec.encode(t);
        List<Column> cols = t.outputs().stream().map(f -> new Column(f.name(), f.type().jsonName())).toList();
        int version = store(DefinitionKind.ON_DEMAND_TRANSFORM, t.name(), null, t.owner(), t.description(), t.tags(),
                json, cols, new ArrayList<>(refs), (c, previous) -> {
                    if (previous != null) {
                        OnDemandTransform old = DefinitionCodec.transform(previous.specJson(), previous.version());
                        if (!old.outputs().equals(t.outputs()) || !old.inputs().equals(t.inputs())) {
                            List<String> users = ctx.defs.users(c, key(DefinitionKind.ON_DEMAND_TRANSFORM), t.name());
                            if (!users.isEmpty()) {
                                LOG.info("on-demand transform '{}' changes its inputs or outputs; {} use it and are "
                                        + "checked again when read", t.name(), users);
                            }
                        }
                    }
                });
        OnDemandTransform stored = t.withVersion(version);
        ctx.functions.put(t.name(), stored);
        ctx.plans.invalidateAll();
        return stored;
    }

    @FunctionalInterface
    private interface Check {
        void accept(Connection c, Stored previous) throws SQLException;
    }

    /** Stores a definition unless the current version is the same; returns the (new or current) version. */
    private int store(DefinitionKind kind, String name, String entity, String owner, String description,
            Map<String, String> tags, String json, List<Column> columns, List<Ref> refs, Check check) {
        String sha = DefinitionCodec.sha256(json);
        for (int attempt = 0; ; attempt++) {
            try {
                return ctx.db.inTransaction(c -> {
                    Optional<DefinitionStore.Head> head = ctx.defs.head(c, key(kind), name);
                    Stored previous = null;
                    if (head.isPresent() && !head.get().deleted()) {
                        previous = ctx.defs.get(c, key(kind), name, head.get().version()).orElseThrow();
                        if (previous.specSha256().equals(sha)) {
                            return previous.version();
                        }
                    }
                    check.accept(c, previous);
                    int version = head.map(h -> h.version() + 1).orElse(1);
                    long now = ctx.nowMillis();
                    ctx.defs.insert(c, new Stored(key(kind), name, version, entity, owner, description, json, sha, now,
                            ctx.actor, tags, columns, refs), now);
                    LOG.debug("{} '{}' is now version {}", kind.label(), name, version);
                    return version;
                });
            } catch (UnavailableException e) {
                if (attempt < RETRIES && e.getCause() instanceof SQLException sql && Database.isUniqueViolation(sql)) {
                    continue; // another writer stored the same version first; read its version and try again
                }
                throw e;
            }
        }
    }

    private void checkCompatible(Connection c, FeatureView old, FeatureView v) throws SQLException {
        String what = "feature view '" + v.name() + "'";
        if (!old.entity().equals(v.entity())) {
            throw new ConflictException(what + " changes its entity from '" + old.entity() + "' to '" + v.entity()
                    + "'; its stored rows are keyed by the old one. Delete the view first or use a new name");
        }
        if (!old.timestampColumn().equals(v.timestampColumn())) {
            throw new ConflictException(what + " changes its timestamp column from '" + old.timestampColumn()
                    + "' to '" + v.timestampColumn() + "'; delete the view first or use a new name");
        }
        if (!java.util.Objects.equals(old.createdTimestampColumn(), v.createdTimestampColumn())) {
            throw new ConflictException(what + " changes its created timestamp column from '"
                    + old.createdTimestampColumn() + "' to '" + v.createdTimestampColumn()
                    + "'; delete the view first or use a new name");
        }
        Map<String, Feature> now = new HashMap<>();
        v.features().forEach(f -> now.put(f.name(), f));
        for (Feature f : old.features()) {
            Feature n = now.get(f.name());
            if (n != null && n.type() != f.type()) {
                throw new ConflictException(what + " changes the type of feature '" + f.name() + "' from "
                        + f.type().jsonName() + " to " + n.type().jsonName() + "; its stored values keep the old type. "
                        + "Use a new feature name, or delete the view first");
            }
        }
        for (String user : ctx.defs.users(c, key(DefinitionKind.FEATURE_VIEW), v.name())) {
            String[] kn = user.split(":", 2);
            Stored s = ctx.defs.current(c, kn[0], kn[1]).orElseThrow();
            List<FeatureRef> used = DefinitionKind.of(kn[0]) == DefinitionKind.FEATURE_SERVICE
                    ? DefinitionCodec.service(s.specJson(), s.version()).features()
                    : DefinitionCodec.transform(s.specJson(), s.version()).inputs();
            for (FeatureRef r : used) {
                if (r.view().equals(v.name()) && !now.containsKey(r.feature())) {
                    throw new ConflictException(what + " drops feature '" + r.feature() + "', which "
                            + DefinitionKind.of(kn[0]).label() + " '" + kn[1] + "' uses; change it first");
                }
            }
        }
    }

    private void checkTableFits(Connection c, ViewLayout layout) throws SQLException {
        Map<String, String> existing = OfflineStore.tableColumns(c, layout.table());
        for (Field f : layout.columns()) {
            String have = existing.get(f.name().toLowerCase(Locale.ROOT));
            if (have != null && dev.mlops.features.internal.Sql.dataType(have) != f.type()) {
                throw new ConflictException("the offline table of feature view '" + layout.view() + "' holds column '"
                        + f.name() + "' as " + have + " but the definition says " + f.type().jsonName()
                        + "; delete the view to drop its data, or use a new feature name");
            }
        }
    }

    /** Checks that a file source holds every column of the view with a fitting type. */
    void checkFileSource(ViewLayout layout) {
        ctx.offline.read(c -> {
            List<OfflineStore.SqlColumn> have;
            try {
                have = OfflineStore.describe(c, OfflineStore.fileRelation(layout.source()));
            } catch (SQLException e) {
                throw OfflineStore.failure("reading " + layout.source().describe() + " of feature view '"
                        + layout.view() + "'", e);
            }
            Schemas.check(layout.source().describe(), "feature view '" + layout.view() + "'", have, roles(layout));
            return null;
        });
    }

    static Map<Field, String> roles(ViewLayout layout) {
        Map<Field, String> need = new LinkedHashMap<>();
        for (Field k : layout.keys()) {
            need.put(k, "join key");
        }
        need.put(Field.of(layout.timestampColumn(), DataType.TIMESTAMP), "timestamp column");
        if (layout.createdColumn() != null) {
            need.put(Field.of(layout.createdColumn(), DataType.TIMESTAMP), "created timestamp column");
        }
        for (Field f : layout.features()) {
            need.put(f, "feature");
        }
        return need;
    }

    /** Creates or widens a view's offline table once per view version. */
    void ensureTable(ViewLayout layout) {
        if (!layout.isOfflineTable() || ctx.ensured.contains(layout.view() + "@" + layout.version())) {
            return;
        }
        ctx.offline.write(c -> {
            ctx.offline.ensureTable(c, layout);
            return null;
        });
        ctx.ensured.add(layout.view() + "@" + layout.version());
    }

    static ViewLayout layout(FeatureView v, Entity e) {
        List<Field> features = v.features().stream().map(f -> Field.of(f.name(), f.type())).toList();
        return new ViewLayout(v.name(), v.version(), e.joinKeys(), v.timestampColumn(), v.createdTimestampColumn(),
                features, v.source(), v.ttlMicros());
    }

    // ---------------------------------------------------------------- read

    private <T> T current(DefinitionKind kind, String name, String usedBy, Decoder<T> decoder) {
        Names.definition(kind.label(), name);
        Optional<Stored> s = ctx.db.read(c -> ctx.defs.current(c, key(kind), name));
        if (s.isEmpty()) {
            throw new NotFoundException((usedBy == null ? "" : usedBy + " names ") + kind.label() + " '" + name
                    + "', which is not defined" + (usedBy == null ? "" : "; apply it first"));
        }
        return decoder.decode(s.get().specJson(), s.get().version());
    }

    private <T> T version(DefinitionKind kind, String name, int version, Decoder<T> decoder) {
        Names.definition(kind.label(), name);
        Optional<Stored> s = ctx.db.read(c -> ctx.defs.get(c, key(kind), name, version));
        if (s.isEmpty()) {
            throw new NotFoundException(kind.label() + " '" + name + "' has no version " + version);
        }
        return decoder.decode(s.get().specJson(), s.get().version());
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(String json, int version);
    }

    Entity entity(String name) {
        return current(DefinitionKind.ENTITY, name, null, DefinitionCodec::entity);
    }

    Entity entity(String usedByView, String name) {
        return current(DefinitionKind.ENTITY, name, "feature view '" + usedByView + "'", DefinitionCodec::entity);
    }

    Entity entity(String name, int version) {
        return version(DefinitionKind.ENTITY, name, version, DefinitionCodec::entity);
    }

    FeatureView view(String name) {
        return current(DefinitionKind.FEATURE_VIEW, name, null, DefinitionCodec::view);
    }

    FeatureView view(String usedBy, String name) {
        return current(DefinitionKind.FEATURE_VIEW, name, usedBy, DefinitionCodec::view);
    }

    FeatureView view(String name, int version) {
        return version(DefinitionKind.FEATURE_VIEW, name, version, DefinitionCodec::view);
    }

    FeatureService service(String name) {
        return current(DefinitionKind.FEATURE_SERVICE, name, null, DefinitionCodec::service);
    }

    FeatureService service(String name, int version) {
        return version(DefinitionKind.FEATURE_SERVICE, name, version, DefinitionCodec::service);
    }

    private OnDemandTransform transformDefinition(String usedBy, String name) {
        return current(DefinitionKind.ON_DEMAND_TRANSFORM, name, usedBy, DefinitionCodec::transform);
    }

    /** Returns the current transform definition, with its function when this process applied that version. */
    OnDemandTransform transform(String name) {
        OnDemandTransform def = transformDefinition(null, name);
        OnDemandTransform bound = ctx.functions.get(name);
        return bound != null && bound.equals(def) ? bound : def;
    }

    OnDemandTransform transform(String name, int version) {
        OnDemandTransform def = version(DefinitionKind.ON_DEMAND_TRANSFORM, name, version, DefinitionCodec::transform);
        OnDemandTransform bound = ctx.functions.get(name);
        return bound != null && bound.equals(def) ? bound : def;
    }

    List<DefinitionInfo> history(DefinitionKind kind, String name) {
        Names.definition(kind.label(), name);
        List<Stored> all = ctx.db.read(c -> ctx.defs.history(c, key(kind), name));
        if (all.isEmpty()) {
            throw new NotFoundException(kind.label() + " '" + name + "' was never defined");
        }
        return all.stream().map(Catalog::info).toList();
    }

    List<DefinitionInfo> search(DefinitionQuery q) {
        DefinitionStore.Search s = new DefinitionStore.Search(q.kind().map(Catalog::key).orElse(null),
                q.nameContains().orElse(null), q.text().orElse(null), q.owner().orElse(null), q.entity().orElse(null),
                q.column().orElse(null), q.tags(), q.limit());
        return ctx.db.read(c -> ctx.defs.search(c, s)).stream().map(Catalog::info).toList();
    }

    private static DefinitionInfo info(Stored s) {
        return new DefinitionInfo(DefinitionKind.of(s.kind()), s.name(), s.version(), s.owner(), s.description(),
                s.entity(), s.tags(), s.columns().stream().map(Column::name).toList(),
                s.refs().stream().map(r -> r.kind() + ":" + r.name()).toList(), Instant.ofEpochMilli(s.createdTime()),
                s.createdBy(), s.specSha256());
    }

    // ---------------------------------------------------------------- delete

    void delete(DefinitionKind kind, String name) {
        Names.definition(kind.label(), name);
        boolean deleted = ctx.db.inTransaction(c -> {
            List<String> users = ctx.defs.users(c, key(kind), name);
            if (!users.isEmpty()) {
                throw new ConflictException(kind.label() + " '" + name + "' is used by " + users
                        + "; delete or change them first");
            }
            return ctx.defs.markDeleted(c, key(kind), name, ctx.nowMillis());
        });
        if (!deleted) {
            throw new NotFoundException(kind.label() + " '" + name + "' is not defined");
        }
        if (kind == DefinitionKind.FEATURE_VIEW) {
            ctx.offline.write(c -> {
                ctx.offline.dropTable(c, name);
                return null;
            });
            ctx.ensured.removeIf(s -> s.startsWith(name + "@"));
            ctx.online.deleteView(name);
        }
        if (kind == DefinitionKind.ON_DEMAND_TRANSFORM) {
            ctx.functions.remove(name);
        }
        ctx.plans.invalidateAll();
    }

    // ---------------------------------------------------------------- plans

    /** Resolves a view with its entity for reading or writing. */
    ViewLayout layout(String view) {
        FeatureView v = view(view);
        return layout(v, entity("feature view '" + view + "'", v.entity()));
    }

    /** A view with the entity it describes. */
    record Resolved(FeatureView view, Entity entity) {
        ViewLayout layout() {
            return Catalog.layout(view, entity);
        }
    }

    Resolved resolve(String view) {
        FeatureView v = view(view);
        return new Resolved(v, entity("feature view '" + view + "'", v.entity()));
    }

    ServicePlan plan(String serviceName) {
        FeatureService s = service(serviceName);
        Map<String, Integer> versions = new TreeMap<>();
        versions.put(key(DefinitionKind.FEATURE_SERVICE) + ":" + s.name(), s.version());
        Map<String, List<Feature>> byView = new LinkedHashMap<>();
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        Map<String, FeatureView> views = new LinkedHashMap<>();
        List<Feature> outputs = new ArrayList<>();
        Map<FeatureRef, Integer> refColumn = new HashMap<>();
        for (FeatureRef r : s.features()) {
            FeatureView v = views.computeIfAbsent(r.view(), n -> view("feature service '" + s.name() + "'", n));
            Feature f;
            try {
                f = v.feature(r.feature());
            } catch (NotFoundException e) {
                throw new NotFoundException("feature service '" + s.name() + "' (version " + s.version() + ") reads '"
                        + r + "', which feature view '" + v.name() + "' (version " + v.version() + ") no longer has");
            }
            byView.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(f);
            positions.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(outputs.size());
            refColumn.put(r, outputs.size());
            outputs.add(f);
        }
        List<ServicePlan.ViewPlan> viewPlans = new ArrayList<>();
        for (FeatureView v : views.values()) {
            Entity e = entity("feature view '" + v.name() + "'", v.entity());
            versions.put(key(DefinitionKind.FEATURE_VIEW) + ":" + v.name(), v.version());
            versions.put(key(DefinitionKind.ENTITY) + ":" + e.name(), e.version());
            List<Feature> fs = byView.get(v.name());
            int[] cols = positions.get(v.name()).stream().mapToInt(Integer::intValue).toArray();
            viewPlans.add(new ServicePlan.ViewPlan(v, e, layout(v, e), fs,
                    fs.stream().map(f -> Field.of(f.name(), f.type())).toList(), cols));
        }
        List<OnDemandTransform> transforms = new ArrayList<>();
        List<int[]> inputs = new ArrayList<>();
        for (String t : s.transforms()) {
            OnDemandTransform def = transformDefinition("feature service '" + s.name() + "'", t);
            OnDemandTransform bound = ctx.functions.get(t);
            if (bound == null) {
                throw new IllegalStateException("feature service '" + s.name() + "' uses on-demand transform '" + t
                        + "' (version " + def.version() + "), whose Java function is not applied in this process; "
                        + "call store.apply(transform) at start-up");
            }
            if (!bound.equals(def)) {
                throw new IllegalStateException("on-demand transform '" + t + "' is at version " + def.version()
                        + " but this process applied version " + bound.version() + "; apply the current code");
            }
            versions.put(key(DefinitionKind.ON_DEMAND_TRANSFORM) + ":" + t, def.version());
            int[] in = new int[def.inputs().size() + def.requestFields().size()];
            int i = 0;
            for (FeatureRef r : def.inputs()) {
                Integer col = refColumn.get(r);
                if (col == null) {
                    throw new NotFoundException("on-demand transform '" + t + "' reads '" + r + "', which feature "
                            + "service '" + s.name() + "' does not serve; apply the service again");
                }
                in[i++] = col;
            }
            while (i < in.length) {
                in[i++] = -1;
            }
            transforms.add(bound);
            inputs.add(in);
            outputs.addAll(def.outputs());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = outputs.size() - 1; i >= 0; i--) {
            index.put(outputs.get(i).name(), i);
        }
        int[] columnView = new int[outputs.size()];
        int[] columnIndex = new int[outputs.size()];
        java.util.Arrays.fill(columnView, -1);
        int transformColumn = 0;
        for (int col = 0; col < outputs.size(); col++) {
            columnIndex[col] = col >= refColumn.size() ? transformColumn++ : -1;
        }
        for (int v = 0; v < viewPlans.size(); v++) {
            int[] cols = viewPlans.get(v).columns();
            for (int i = 0; i < cols.length; i++) {
                columnView[cols[i]] = v;
                columnIndex[cols[i]] = i;
            }
        }
        return new ServicePlan(s, viewPlans, transforms, inputs, List.copyOf(outputs), Map.copyOf(index),
                java.util.Collections.unmodifiableMap(versions), columnView, columnIndex);
    }

    static String key(DefinitionKind kind) {
        return kind.key();
    }
}
