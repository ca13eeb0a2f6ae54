package dev.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RunUri;
import dev.mlops.api.Signature;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.registry.AliasPolicy;
import dev.mlops.registry.ApprovalRequest;
import dev.mlops.registry.ApprovalStatus;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every SQL statement of the registry, for both dialects. Thread-safe. */
public final class RegistryStore {
    /** The mapper for JSON columns: sorted keys. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db an open, migrated database
     */
    public RegistryStore(Database db) {
        this.db = db;
    }

    /**
     * Returns the database.
     *
     * @return the database
     */
    public Database db() {
        return db;
    }

    /** Serializes a value as JSON. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is invalid: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is invalid: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- models

    /** Creates the model row if absent; returns true when it was created. */
    public boolean ensureModel(Connection c, String name, String description, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_models (name, description, creation_time, "
                + "last_updated_time) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setLong(3, now);
            ps.setLong(4, now);
            return ps.executeUpdate() > 0;
        }
    }

    /** Touches a model's last-updated time. */
    public void touch(Connection c, String name, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE registered_models SET last_updated_time = ? WHERE name = ?")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Reads a registered model. */
    public Optional<RegisteredModel> model(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, description, creation_time, last_updated_time, "
                + "(SELECT MAX(version) FROM model_versions v WHERE v.name = m.name) FROM registered_models m "
                + "WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RegisteredModel(rs.getString(1), rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)),
                        keyValues(c, "SELECT key, value FROM registered_model_tags WHERE name = ?", name),
                        aliases(c, name), rs.getLong(5)));
            }
        }
    }

    /** Reads a registered model outside a transaction. */
    public Optional<RegisteredModel> model(String name) {
        return db.read(c -> model(c, name));
    }

    /** Lists model names matching a LIKE pattern and having every tag given. */
    public List<String> searchModels(String namePattern, Map<String, String> tags) {
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT name FROM registered_models m WHERE name LIKE ?");
            List<String> args = new ArrayList<>(List.of(namePattern));
            for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
                sql.append(" AND EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ? "
                        + "AND t.value = ?)");
                args.add(t.getKey());
                args.add(t.getValue());
            }
            sql.append(" ORDER BY name");
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        });
    }

    /** Sets a model's description. */
    public void setModelDescription(Connection c, String name, String description) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE registered_models SET description = ? WHERE name = ?")) {
            ps.setString(1, description);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Sets or deletes (null value) a model tag; returns the previous value. */
    public String setModelTag(Connection c, String name, String key, String value) throws SQLException {
        String previous = single(c, "SELECT value FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
        if (value == null) {
            update(c, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
        } else {
            update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) "
                    + "DO UPDATE SET value = excluded.value", name, key, value);
        }
        return previous;
    }

    /** Deletes a model and everything that hangs on it except audit entries. */
    public void deleteModel(Connection c, String name) throws SQLException {
        for (String table : List.of("model_aliases", "alias_policies", "model_version_datasets", "model_version_tags",
                "model_versions", "registered_model_tags", "registered_models")) {
            update(c, "DELETE FROM " + table + " WHERE name = ?", name);
        }
    }

    // ---------------------------------------------------------------- versions

    /** Takes the next version number of a model (never reused), inside the registering transaction. */
    public long nextVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE registered_models SET next_version = next_version + 1 WHERE name = ?")) {
            ps.setString(1, name);
            if (ps.executeUpdate() != 1) {
                throw noModel(name);
            }
        }
        return Long.parseLong(single(c, "SELECT next_version - 1 FROM registered_models WHERE name = ?", name));
    }

    /** A version row to insert. */
    public record VersionRow(String name, long version, RunUri source, String description, long time, String createdBy,
            String packageSha256, Signature signature, Map<String, Double> metrics) {
    }

    /** Inserts a version. */
    public void insertVersion(Connection c, VersionRow v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_versions (name, version, source, run_id, "
                + "status, description, creation_time, last_updated_time, created_by, package_sha256, signature_json, "
                + "metrics_json) VALUES (?, ?, ?, ?, 'READY', ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.name());
            ps.setLong(2, v.version());
            ps.setString(3, v.source() == null ? null : v.source().toString());
            ps.setString(4, v.source() == null ? null : v.source().runId());
            ps.setString(5, v.description());
            ps.setLong(6, v.time());
            ps.setLong(7, v.time());
            ps.setString(8, v.createdBy());
            ps.setString(9, v.packageSha256());
            ps.setString(10, json(v.signature()));
            ps.setString(11, json(v.metrics()));
            ps.executeUpdate();
        }
    }

    /** Reads a version. */
    public Optional<ModelVersion> version(Connection c, String name, long version) throws SQLException {
        List<ModelVersion> found = versions(c, "WHERE name = ? AND version = ?", name, version);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Reads a version outside a transaction. */
    public Optional<ModelVersion> version(String name, long version) {
        return db.read(c -> version(c, name, version));
    }

    /** Lists a model's versions, newest first. */
    public List<ModelVersion> versions(String name) {
        return db.read(c -> versions(c, "WHERE name = ? ORDER BY version DESC", name));
    }

    /** Lists versions having every tag given, newest first. */
    public List<ModelVersion> searchVersions(String name, Map<String, String> tags) {
        return db.read(c -> {
            StringBuilder where = new StringBuilder("WHERE name = ?");
            List<Object> args = new ArrayList<>(List.of(name));
            for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
                where.append(" AND EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = "
                        + "v.version AND t.key = ? AND t.value = ?)");
                args.add(t.getKey());
                args.add(t.getValue());
            }
            return versions(c, where + " ORDER BY version DESC", args.toArray());
        });
    }

    /** Lists versions that used a dataset digest, across models. */
    public List<ModelVersion> versionsByDataset(String digest) {
        return db.read(c -> versions(c, "WHERE EXISTS (SELECT 1 FROM model_version_datasets d WHERE d.name = v.name "
                + "AND d.version = v.version AND d.digest = ?) ORDER BY name, version", digest));
    }

    private List<ModelVersion> versions(Connection c, String where, Object... args) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, version, source, description, creation_time, "
                + "created_by, package_sha256, signature_json, metrics_json FROM model_versions v " + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)});
                }
            }
        }
        List<ModelVersion> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String name = (String) r[0];
            long version = (Long) r[1];
            Map<String, String> tags = keyValues(c, "SELECT key, value FROM model_version_tags WHERE name = ? "
                    + "AND version = " + version, name);
            List<String> aliases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias")) {
                ps.setString(1, name);
                ps.setLong(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        aliases.add(rs.getString(1));
                    }
                }
            }
            out.add(new ModelVersion(name, version, r[2] == null ? null : RunUri.parse((String) r[2]), (String) r[3],
                    Instant.ofEpochMilli((Long) r[4]), (String) r[5], (String) r[6],
                    parse((String) r[7], Signature.class),
                    parse((String) r[8], new TypeReference<Map<String, Double>>() { }), tags, aliases));
        }
        return out;
    }

    /** Sets a version's description. */
    public void setVersionDescription(Connection c, String name, long version, String description) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE model_versions SET description = ? WHERE name = ? AND version = ?")) {
            ps.setString(1, description);
            ps.setString(2, name);
            ps.setLong(3, version);
            ps.executeUpdate();
        }
    }

    /** Sets or deletes (null value) a version tag; returns the previous value. */
    public String setVersionTag(Connection c, String name, long version, String key, String value) throws SQLException {
        String previous;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT value FROM model_version_tags WHERE name = ? AND version = ? AND key = ?")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                previous = rs.next() ? rs.getString(1) : null;
            }
        }
        String sql = value == null ? "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?"
                : "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setLong(2, version);
            ps.setString(3, key);
            if (value != null) {
                ps.setString(4, value);
            }
            ps.executeUpdate();
        }
        return previous;
    }

    /** Deletes a version, its tags, datasets and aliases. */
    public void deleteVersion(Connection c, String name, long version) throws SQLException {
        for (String table : List.of("model_aliases", "model_version_datasets", "model_version_tags", "model_versions")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setLong(2, version);
                ps.executeUpdate();
            }
        }
    }

    /** Counts versions (of any model) stored with a package digest. */
    public long packageReferences(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM model_versions WHERE package_sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the datasets of a version. */
    public void insertDatasets(Connection c, String name, long version, List<DatasetRef> datasets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_version_datasets (name, version, dataset_name, "
                + "digest, context) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (DatasetRef d : datasets) {
                ps.setString(1, name);
                ps.setLong(2, version);
                ps.setString(3, d.name());
                ps.setString(4, d.digest());
                ps.setString(5, d.context());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Returns the datasets of a version. */
    public List<DatasetRef> datasets(String name, long version) {
        return db.read(c -> {
            List<DatasetRef> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT dataset_name, digest, context FROM "
                    + "model_version_datasets WHERE name = ? AND version = ? ORDER BY dataset_name, context, digest")) {
                ps.setString(1, name);
                ps.setLong(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DatasetRef(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- aliases and policies

    /** Returns the version an alias points at. */
    public Optional<Long> aliasTarget(Connection c, String name, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?")) {
            ps.setString(1, name);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Returns a model's aliases. */
    public Map<String, Long> aliases(Connection c, String name) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM model_aliases WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Points an alias at a version (or removes it, for a null version). */
    public void setAlias(Connection c, String name, String alias, Long version) throws SQLException {
        if (version == null) {
            update(c, "DELETE FROM model_aliases WHERE name = ? AND alias = ?", name, alias);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_aliases (name, alias, version) VALUES (?, ?, ?) "
                + "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version")) {
            ps.setString(1, name);
            ps.setString(2, alias);
            ps.setLong(3, version);
            ps.executeUpdate();
        }
    }

    /** Returns an alias's policy. */
    public Optional<AliasPolicy> policy(Connection c, String name, String alias) throws SQLException {
        String json = single(c, "SELECT policy_json FROM alias_policies WHERE name = ? AND alias = ?", name, alias);
        return json == null ? Optional.empty() : Optional.of(parse(json, AliasPolicy.class));
    }

    /** Sets an alias's policy. */
    public void setPolicy(Connection c, String name, String alias, AliasPolicy policy) throws SQLException {
        update(c, "INSERT INTO alias_policies (name, alias, policy_json) VALUES (?, ?, ?) ON CONFLICT (name, alias) "
                + "DO UPDATE SET policy_json = excluded.policy_json", name, alias, json(policy));
    }

    // ---------------------------------------------------------------- approvals

    /** Inserts an approval request. */
    public void insertApproval(Connection c, ApprovalRequest r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_requests (request_id, name, version, alias, "
                + "status, requested_by, requested_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.model());
            ps.setLong(3, r.version());
            ps.setString(4, r.alias());
            ps.setString(5, r.status().name());
            ps.setString(6, r.requestedBy());
            ps.setLong(7, r.requestedAt().toEpochMilli());
            ps.setString(8, r.reason());
            ps.executeUpdate();
        }
    }

    /** Records a decision; returns false if the request was no longer pending. */
    public boolean decide(Connection c, String id, ApprovalStatus status, String by, long at, String comment)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE approval_requests SET status = ?, decided_by = ?, "
                + "decided_at = ?, comment = ? WHERE request_id = ? AND status = 'PENDING'")) {
            ps.setString(1, status.name());
            ps.setString(2, by);
            ps.setLong(3, at);
            ps.setString(4, comment);
            ps.setString(5, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Reads an approval request. */
    public Optional<ApprovalRequest> approval(Connection c, String id) throws SQLException {
        List<ApprovalRequest> found = approvals(c, "WHERE request_id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Lists a model's approval requests, newest first, optionally by status. */
    public List<ApprovalRequest> approvals(String name, ApprovalStatus status) {
        return db.read(c -> status == null
                ? approvals(c, "WHERE name = ? ORDER BY requested_at DESC, request_id", name)
                : approvals(c, "WHERE name = ? AND status = ? ORDER BY requested_at DESC, request_id", name,
                        status.name()));
    }

    private List<ApprovalRequest> approvals(Connection c, String where, Object... args) throws SQLException {
        List<ApprovalRequest> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT request_id, name, version, alias, status, requested_by, "
                + "requested_at, reason, decided_by, decided_at, comment FROM approval_requests " + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long decidedAt = rs.getLong(10);
                    boolean undecided = rs.wasNull();
                    out.add(new ApprovalRequest(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            ApprovalStatus.valueOf(rs.getString(5)), rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), rs.getString(9),
                            undecided ? null : Instant.ofEpochMilli(decidedAt), rs.getString(11)));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- audit

    /** Appends an audit entry about a model. */
    public void audit(Connection c, String name, long version, String action, String actor, long time, Object before,
            Object after) throws SQLException {
        audit(c, AuditEntry.Subject.MODEL, name, version, action, actor, time, before, after);
    }

    /** Appends an audit entry. */
    public void audit(Connection c, AuditEntry.Subject subject, String name, long version, String action, String actor,
            long time, Object before, Object after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (name, version, action, actor, time, "
                + "before_json, after_json, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            if (version > 0) {
                ps.setLong(2, version);
            } else {
                ps.setNull(2, Types.BIGINT);
            }
            ps.setString(3, action);
            ps.setString(4, actor);
            ps.setLong(5, time);
            ps.setString(6, before == null ? null : json(before));
            ps.setString(7, after == null ? null : json(after));
            ps.setString(8, subject.name());
            ps.executeUpdate();
        }
    }

    /** Returns the audit entries about one model or prompt, in order. */
    public List<AuditEntry> auditLog(AuditEntry.Subject subject, String name) {
        return db.read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT entry_id, name, version, action, actor, time, "
                    + "before_json, after_json FROM audit_log WHERE subject = ? AND name = ? ORDER BY entry_id")) {
                ps.setString(1, subject.name());
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getLong(1), subject, rs.getString(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7),
                                rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- helpers

    static Map<String, String> keyValues(Connection c, String sql, String name) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY key")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    static String single(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, (Object[]) args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, (Object[]) args);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }

    /** Throws when a model does not exist. */
    public static NotFoundException noModel(String name) {
        return new NotFoundException("registered model '" + name + "' does not exist");
    }
}
