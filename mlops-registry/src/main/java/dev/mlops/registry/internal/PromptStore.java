package dev.mlops.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.registry.ChatMessage;
import dev.mlops.registry.Prompt;
import dev.mlops.registry.PromptTemplate;
import dev.mlops.registry.PromptVersion;
import dev.mlops.storage.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every SQL statement about prompts, for both dialects. Thread-safe. */
public final class PromptStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db an open, migrated registry database
     */
    public PromptStore(Database db) {
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

    // ---------------------------------------------------------------- template encoding

    /** The canonical JSON form of a template. */
    public static String templateJson(PromptTemplate template) {
        ObjectNode node = RegistryStore.JSON.createObjectNode();
        if (template.isChat()) {
            node.put("type", "chat");
            ArrayNode messages = node.putArray("messages");
            for (ChatMessage m : template.messages()) {
                messages.addObject().put("role", m.role()).put("content", m.content());
            }
        } else {
            node.put("type", "text");
            node.put("text", template.text());
        }
        return RegistryStore.json(node);
    }

    /** Reads a template from its JSON form. */
    static PromptTemplate template(String json) {
        JsonNode node = RegistryStore.parse(json, JsonNode.class);
        if ("chat".equals(node.path("type").asText())) {
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : node.path("messages")) {
                messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
            }
            return PromptTemplate.chat(messages);
        }
        return PromptTemplate.text(node.path("text").asText());
    }

    /** SHA-256 of a template's canonical JSON, hex. */
    public static String digest(String templateJson) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(templateJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ---------------------------------------------------------------- prompts

    /** Creates the prompt row if absent; returns true when it was created. */
    public boolean ensurePrompt(Connection c, String name, String description, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompts (name, description, creation_time, "
                + "last_updated_time, next_version) VALUES (?, ?, ?, ?, 1) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setLong(3, now);
            ps.setLong(4, now);
            return ps.executeUpdate() > 0;
        }
    }

    /** Reads a prompt. */
    public Optional<Prompt> prompt(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, description, creation_time, last_updated_time, "
                + "(SELECT MAX(version) FROM prompt_versions v WHERE v.name = p.name) FROM prompts p WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Prompt(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        RegistryStore.keyValues(c, "SELECT key, value FROM prompt_tags WHERE name = ?", name),
                        aliases(c, name), rs.getLong(5)));
            }
        }
    }

    /** Lists prompt names matching a LIKE pattern. */
    public List<String> search(Connection c, String namePattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM prompts WHERE name LIKE ? ORDER BY name")) {
            ps.setString(1, namePattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** Touches a prompt's last-updated time. */
    public void touch(Connection c, String name, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE prompts SET last_updated_time = ? WHERE name = ?")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Sets a prompt's description. */
    public void setDescription(Connection c, String name, String description) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE prompts SET description = ? WHERE name = ?")) {
            ps.setString(1, description);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Sets or deletes (null value) a prompt tag; returns the previous value. */
    public String setTag(Connection c, String name, String key, String value) throws SQLException {
        String previous = RegistryStore.single(c, "SELECT value FROM prompt_tags WHERE name = ? AND key = ?", name,
                key);
        if (value == null) {
            RegistryStore.update(c, "DELETE FROM prompt_tags WHERE name = ? AND key = ?", name, key);
        } else {
            RegistryStore.update(c, "INSERT INTO prompt_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) "
                    + "DO UPDATE SET value = excluded.value", name, key, value);
        }
        return previous;
    }

    /** Deletes a prompt and everything that hangs on it except audit entries. */
    public void deletePrompt(Connection c, String name) throws SQLException {
        for (String table : List.of("prompt_aliases", "prompt_version_tags", "prompt_versions", "prompt_tags",
                "prompts")) {
            RegistryStore.update(c, "DELETE FROM " + table + " WHERE name = ?", name);
        }
    }

    // ---------------------------------------------------------------- versions

    /** Takes the next version number of a prompt (never reused), inside the registering transaction. */
    public long allocateVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE prompts SET next_version = next_version + 1 WHERE name = ?")) {
            ps.setString(1, name);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("prompt '" + name + "' vanished while registering a version");
            }
        }
        return Long.parseLong(RegistryStore.single(c, "SELECT next_version - 1 FROM prompts WHERE name = ?", name));
    }

    /** Inserts a version and its tags. */
    public void insertVersion(Connection c, String name, long version, String templateJson, String digest,
            String commitMessage, String createdBy, long time, Map<String, String> tags) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompt_versions (name, version, template_json, "
                + "digest, commit_message, created_by, creation_time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            ps.setString(3, templateJson);
            ps.setString(4, digest);
            ps.setString(5, commitMessage);
            ps.setString(6, createdBy);
            ps.setLong(7, time);
            ps.executeUpdate();
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            setVersionTag(c, name, version, t.getKey(), t.getValue());
        }
    }

    /** Reads one version. */
    public Optional<PromptVersion> version(Connection c, String name, long version) throws SQLException {
        List<PromptVersion> found = versions(c, name, version);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Reads every version of a prompt (version 0) or one version, in order. */
    public List<PromptVersion> versions(Connection c, String name, long version) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, template_json, digest, commit_message, "
                + "created_by, creation_time FROM prompt_versions WHERE name = ?"
                + (version > 0 ? " AND version = ?" : "") + " ORDER BY version")) {
            ps.setString(1, name);
            if (version > 0) {
                ps.setLong(2, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6)});
                }
            }
        }
        Map<Long, List<String>> aliasesByVersion = new LinkedHashMap<>();
        aliases(c, name).forEach((alias, v) -> aliasesByVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(alias));
        List<PromptVersion> out = new ArrayList<>();
        for (Object[] r : rows) {
            long v = (Long) r[0];
            out.add(new PromptVersion(name, v, template((String) r[1]), (String) r[2], (String) r[3], (String) r[4],
                    Instant.ofEpochMilli((Long) r[5]), versionTags(c, name, v),
                    aliasesByVersion.getOrDefault(v, List.of())));
        }
        return out;
    }

    private static Map<String, String> versionTags(Connection c, String name, long version) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM prompt_version_tags WHERE name = ? "
                + "AND version = ? ORDER BY key")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Sets or deletes (null value) a version tag; returns the previous value. */
    public String setVersionTag(Connection c, String name, long version, String key, String value)
            throws SQLException {
        String previous = versionTags(c, name, version).get(key);
        String sql = value == null
                ? "DELETE FROM prompt_version_tags WHERE name = ? AND version = ? AND key = ?"
                : "INSERT INTO prompt_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) "
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

    /** Deletes a version with its tags and the aliases pointing at it. */
    public void deleteVersion(Connection c, String name, long version) throws SQLException {
        for (String table : List.of("prompt_aliases", "prompt_version_tags", "prompt_versions")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setLong(2, version);
                ps.executeUpdate();
            }
        }
    }

    // ---------------------------------------------------------------- aliases

    /** The aliases of a prompt and their versions, by alias. */
    public Map<String, Long> aliases(Connection c, String name) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM prompt_aliases WHERE name = ? "
                + "ORDER BY alias")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Points an alias at a version. */
    public void setAlias(Connection c, String name, String alias, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompt_aliases (name, alias, version) "
                + "VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version")) {
            ps.setString(1, name);
            ps.setString(2, alias);
            ps.setLong(3, version);
            ps.executeUpdate();
        }
    }

    /** Removes an alias. */
    public void deleteAlias(Connection c, String name, String alias) throws SQLException {
        RegistryStore.update(c, "DELETE FROM prompt_aliases WHERE name = ? AND alias = ?", name, alias);
    }
}
