package dev.mlops.features.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every SQL statement over the definition tables, for SQLite and PostgreSQL alike. Stateless and thread-safe. */
public final class DefinitionStore {
    private static final String COLUMNS = "d.kind, d.name, d.version, d.entity, d.owner, d.description, d.spec_json, "
            + "d.spec_sha256, d.created_time, d.created_by";

    /**
     * A column a definition names.
     *
     * @param name the column
     * @param type the data type's JSON name
     */
    public record Column(String name, String type) {
    }

    /**
     * A definition another one uses.
     *
     * @param kind the used definition's kind key
     * @param name its name
     */
    public record Ref(String kind, String name) {
    }

    /**
     * The head of a name: the current version, or the last one before deletion.
     *
     * @param version the version
     * @param deleted whether the name is deleted
     */
    public record Head(int version, boolean deleted) {
    }

    /**
     * One stored definition version with everything indexed about it.
     *
     * @param kind the kind key
     * @param name the name
     * @param version the version
     * @param entity the entity of a view, or null
     * @param owner the owner, or null
     * @param description the description, or null
     * @param specJson the canonical JSON form
     * @param specSha256 its SHA-256
     * @param createdTime epoch milliseconds
     * @param createdBy who stored it
     * @param tags the tags
     * @param columns the columns it names
     * @param refs what it uses
     */
    public record Stored(String kind, String name, int version, String entity, String owner, String description,
            String specJson, String specSha256, long createdTime, String createdBy, Map<String, String> tags,
            List<Column> columns, List<Ref> refs) {
    }

    /**
     * Search conditions; null fields are not filtered on.
     *
     * @param kind the kind key
     * @param nameContains part of the name
     * @param text part of the name or description
     * @param owner the owner
     * @param entity an entity the definition is about
     * @param column a column it names
     * @param tags tags it must have
     * @param limit the most results
     */
    public record Search(String kind, String nameContains, String text, String owner, String entity, String column,
            Map<String, String> tags, int limit) {
    }

    /**
     * Reads the head of a name.
     *
     * @param c the connection
     * @param kind the kind key
     * @param name the name
     * @return the head, if the name was ever stored
     * @throws SQLException if the database fails
     */
    public Optional<Head> head(Connection c, String kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, deleted FROM feature_definition_heads WHERE kind = ? AND name = ?")) {
            ps.setString(1, kind);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Head(rs.getInt(1), rs.getInt(2) != 0)) : Optional.empty();
            }
        }
    }

    /**
     * Reads one version.
     *
     * @param c the connection
     * @param kind the kind key
     * @param name the name
     * @param version the version
     * @return the stored definition, if it exists
     * @throws SQLException if the database fails
     */
    public Optional<Stored> get(Connection c, String kind, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM feature_definitions d "
                + "WHERE d.kind = ? AND d.name = ? AND d.version = ?")) {
            ps.setString(1, kind);
            ps.setString(2, name);
            ps.setInt(3, version);
            List<Stored> found = read(c, ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /**
     * Reads the current version of a name that is not deleted.
     *
     * @param c the connection
     * @param kind the kind key
     * @param name the name
     * @return the definition, if the name exists and is not deleted
     * @throws SQLException if the database fails
     */
    public Optional<Stored> current(Connection c, String kind, String name) throws SQLException {
        Optional<Head> h = head(c, kind, name);
        if (h.isEmpty() || h.get().deleted()) {
            return Optional.empty();
        }
        return get(c, kind, name, h.get().version());
    }

    /**
     * Reads every version of a name, oldest first.
     *
     * @param c the connection
     * @param kind the kind key
     * @param name the name
     * @return the versions
     * @throws SQLException if the database fails
     */
    public List<Stored> history(Connection c, String kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM feature_definitions d "
                + "WHERE d.kind = ? AND d.name = ? ORDER BY d.version")) {
            ps.setString(1, kind);
            ps.setString(2, name);
            return read(c, ps);
        }
    }

    /**
     * Stores a new version and moves the head to it.
     *
     * @param c the connection, in a transaction
     * @param s the definition
     * @param now epoch milliseconds
     * @throws SQLException if the database fails, for instance when another writer stored the same version first
     */
    public void insert(Connection c, Stored s, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_definitions (kind, name, version, entity, "
                + "owner, description, spec_json, spec_sha256, created_time, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.kind());
            ps.setString(2, s.name());
            ps.setInt(3, s.version());
            ps.setString(4, s.entity());
            ps.setString(5, s.owner());
            ps.setString(6, s.description());
            ps.setString(7, s.specJson());
            ps.setString(8, s.specSha256());
            ps.setLong(9, s.createdTime());
            ps.setString(10, s.createdBy());
            ps.executeUpdate();
        }
        if (!s.tags().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_definition_tags (kind, name, version, "
                    + "tag_key, tag_value) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, String> t : s.tags().entrySet()) {
                    ps.setString(1, s.kind());
                    ps.setString(2, s.name());
                    ps.setInt(3, s.version());
                    ps.setString(4, t.getKey());
                    ps.setString(5, t.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!s.columns().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_definition_columns (kind, name, "
                    + "version, column_name, data_type) VALUES (?, ?, ?, ?, ?)")) {
                for (Column col : s.columns()) {
                    ps.setString(1, s.kind());
                    ps.setString(2, s.name());
                    ps.setInt(3, s.version());
                    ps.setString(4, col.name());
                    ps.setString(5, col.type());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!s.refs().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_definition_refs (kind, name, version, "
                    + "ref_kind, ref_name) VALUES (?, ?, ?, ?, ?)")) {
                for (Ref r : s.refs()) {
                    ps.setString(1, s.kind());
                    ps.setString(2, s.name());
                    ps.setInt(3, s.version());
                    ps.setString(4, r.kind());
                    ps.setString(5, r.name());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_definition_heads (kind, name, version, "
                + "deleted, updated_time) VALUES (?, ?, ?, 0, ?) ON CONFLICT (kind, name) DO UPDATE SET "
                + "version = excluded.version, deleted = 0, updated_time = excluded.updated_time")) {
            ps.setString(1, s.kind());
            ps.setString(2, s.name());
            ps.setInt(3, s.version());
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    /**
     * Marks a name deleted; its versions stay readable in its history.
     *
     * @param c the connection, in a transaction
     * @param kind the kind key
     * @param name the name
     * @param now epoch milliseconds
     * @return whether a current definition was deleted
     * @throws SQLException if the database fails
     */
    public boolean markDeleted(Connection c, String kind, String name, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE feature_definition_heads SET deleted = 1, "
                + "updated_time = ? WHERE kind = ? AND name = ? AND deleted = 0")) {
            ps.setLong(1, now);
            ps.setString(2, kind);
            ps.setString(3, name);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Lists the current definitions that use a definition.
     *
     * @param c the connection
     * @param refKind the used definition's kind key
     * @param refName its name
     * @return the users, as {@code kind:name}
     * @throws SQLException if the database fails
     */
    public List<String> users(Connection c, String refKind, String refName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.kind, r.name FROM feature_definition_refs r "
                + "JOIN feature_definition_heads h ON h.kind = r.kind AND h.name = r.name AND h.version = r.version "
                + "WHERE h.deleted = 0 AND r.ref_kind = ? AND r.ref_name = ? ORDER BY r.kind, r.name")) {
            ps.setString(1, refKind);
            ps.setString(2, refName);
            List<String> users = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            return users;
        }
    }

    /**
     * Lists every current definition of one kind.
     *
     * @param c the connection
     * @param kind the kind key
     * @return the definitions, by name
     * @throws SQLException if the database fails
     */
    public List<Stored> currentAll(Connection c, String kind) throws SQLException {
        return search(c, new Search(kind, null, null, null, null, null, Map.of(), Integer.MAX_VALUE));
    }

    /**
     * Searches the current definitions.
     *
     * @param c the connection
     * @param q the conditions
     * @return the matches, by kind and name
     * @throws SQLException if the database fails
     */
    public List<Stored> search(Connection c, Search q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM feature_definition_heads h "
                + "JOIN feature_definitions d ON d.kind = h.kind AND d.name = h.name AND d.version = h.version "
                + "WHERE h.deleted = 0");
        List<Object> args = new ArrayList<>();
        if (q.kind() != null) {
            sql.append(" AND d.kind = ?");
            args.add(q.kind());
        }
        if (q.nameContains() != null) {
            sql.append(" AND LOWER(d.name) LIKE ? ESCAPE '!'");
            args.add(likePattern(q.nameContains()));
        }
        if (q.text() != null) {
            sql.append(" AND (LOWER(d.name) LIKE ? ESCAPE '!' OR LOWER(COALESCE(d.description, '')) LIKE ? ESCAPE '!')");
            args.add(likePattern(q.text()));
            args.add(likePattern(q.text()));
        }
        if (q.owner() != null) {
            sql.append(" AND d.owner = ?");
            args.add(q.owner());
        }
        if (q.entity() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM feature_definition_refs r WHERE r.kind = d.kind AND r.name = d.name "
                    + "AND r.version = d.version AND r.ref_kind = 'entity' AND r.ref_name = ?)");
            args.add(q.entity());
        }
        if (q.column() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM feature_definition_columns x WHERE x.kind = d.kind "
                    + "AND x.name = d.name AND x.version = d.version AND x.column_name = ?)");
            args.add(q.column());
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            sql.append(" AND EXISTS (SELECT 1 FROM feature_definition_tags t WHERE t.kind = d.kind AND t.name = d.name "
                    + "AND t.version = d.version AND t.tag_key = ? AND t.tag_value = ?)");
            args.add(t.getKey());
            args.add(t.getValue());
        }
        sql.append(" ORDER BY d.kind, d.name");
        if (q.limit() < Integer.MAX_VALUE) {
            sql.append(" LIMIT ").append(q.limit());
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, (String) args.get(i));
            }
            return read(c, ps);
        }
    }

    private static String likePattern(String part) {
        return "%" + part.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_")
                + "%";
    }

    private List<Stored> read(Connection c, PreparedStatement ps) throws SQLException {
        List<Stored> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Stored(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getString(10), Map.of(),
                        List.of(), List.of()));
            }
        }
        List<Stored> full = new ArrayList<>(rows.size());
        for (Stored s : rows) {
            full.add(new Stored(s.kind(), s.name(), s.version(), s.entity(), s.owner(), s.description(), s.specJson(),
                    s.specSha256(), s.createdTime(), s.createdBy(), tags(c, s), columns(c, s), refs(c, s)));
        }
        return full;
    }

    private static Map<String, String> tags(Connection c, Stored s) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tag_key, tag_value FROM feature_definition_tags "
                + "WHERE kind = ? AND name = ? AND version = ?")) {
            bindVersion(ps, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return tags;
    }

    private static List<Column> columns(Connection c, Stored s) throws SQLException {
        List<Column> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM feature_definition_columns "
                + "WHERE kind = ? AND name = ? AND version = ? ORDER BY column_name")) {
            bindVersion(ps, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new Column(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return cols;
    }

    private static List<Ref> refs(Connection c, Stored s) throws SQLException {
        List<Ref> refs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ref_kind, ref_name FROM feature_definition_refs "
                + "WHERE kind = ? AND name = ? AND version = ? ORDER BY ref_kind, ref_name")) {
            bindVersion(ps, s);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(new Ref(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return refs;
    }

    private static void bindVersion(PreparedStatement ps, Stored s) throws SQLException {
        ps.setString(1, s.kind());
        ps.setString(2, s.name());
        ps.setInt(3, s.version());
    }
}
