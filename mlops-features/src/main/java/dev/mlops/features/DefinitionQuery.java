package dev.mlops.features;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.features.internal.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to look for among the current definitions; every condition set must hold. Immutable; each method returns a
 * new query.
 *
 * <pre>{@code
 * List<DefinitionInfo> found = store.search(DefinitionQuery.all()
 *         .kind(DefinitionKind.FEATURE_VIEW).entity("patient").tag("team", "oncology"));
 * }</pre>
 */
public final class DefinitionQuery {
    private static final DefinitionQuery ALL = new DefinitionQuery(null, null, null, null, null, null, Map.of(), 1000);

    private final DefinitionKind kind;
    private final String nameContains;
    private final String text;
    private final String owner;
    private final String entity;
    private final String column;
    private final Map<String, String> tags;
    private final int limit;

    private DefinitionQuery(DefinitionKind kind, String nameContains, String text, String owner, String entity,
            String column, Map<String, String> tags, int limit) {
        this.kind = kind;
        this.nameContains = nameContains;
        this.text = text;
        this.owner = owner;
        this.entity = entity;
        this.column = column;
        this.tags = tags;
        this.limit = limit;
    }

    /**
     * Returns the query that matches every current definition (at most 1000).
     *
     * @return the query
     */
    public static DefinitionQuery all() {
        return ALL;
    }

    /**
     * Keeps one kind of definition.
     *
     * @param k the kind
     * @return the narrowed query
     */
    public DefinitionQuery kind(DefinitionKind k) {
        return new DefinitionQuery(Objects.requireNonNull(k, "kind"), nameContains, text, owner, entity, column, tags,
                limit);
    }

    /**
     * Keeps definitions whose name contains a text, ignoring case.
     *
     * @param part the text
     * @return the narrowed query
     */
    public DefinitionQuery nameContains(String part) {
        return new DefinitionQuery(kind, Names.text("name filter", Objects.requireNonNull(part, "part")), text, owner,
                entity, column, tags, limit);
    }

    /**
     * Keeps definitions whose name or description contains a text, ignoring case.
     *
     * @param part the text
     * @return the narrowed query
     */
    public DefinitionQuery text(String part) {
        return new DefinitionQuery(kind, nameContains, Names.text("text filter", Objects.requireNonNull(part, "part")),
                owner, entity, column, tags, limit);
    }

    /**
     * Keeps definitions with this owner.
     *
     * @param who the owner
     * @return the narrowed query
     */
    public DefinitionQuery owner(String who) {
        return new DefinitionQuery(kind, nameContains, text, Objects.requireNonNull(who, "owner"), entity, column, tags,
                limit);
    }

    /**
     * Keeps definitions about an entity: its feature views and the services and transforms that read them.
     *
     * @param entityName the entity's name
     * @return the narrowed query
     */
    public DefinitionQuery entity(String entityName) {
        return new DefinitionQuery(kind, nameContains, text, owner, Names.definition("entity", entityName), column, tags,
                limit);
    }

    /**
     * Keeps definitions that name a column: a view with this feature, a service serving it, a transform producing it,
     * an entity with this join key.
     *
     * @param columnName the column's name
     * @return the narrowed query
     */
    public DefinitionQuery column(String columnName) {
        return new DefinitionQuery(kind, nameContains, text, owner, entity, Names.column("column", columnName), tags,
                limit);
    }

    /**
     * Keeps definitions with a tag; several tags must all match.
     *
     * @param key the tag key
     * @param value the tag value
     * @return the narrowed query
     */
    public DefinitionQuery tag(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(tags);
        more.put(key, value);
        return new DefinitionQuery(kind, nameContains, text, owner, entity, column, Map.copyOf(Names.tags("query", more)),
                limit);
    }

    /**
     * Returns at most this many definitions.
     *
     * @param most 1 to 10,000
     * @return the query
     * @throws InvalidArgumentException if the limit is out of range
     */
    public DefinitionQuery limit(int most) {
        if (most < 1 || most > 10_000) {
            throw new InvalidArgumentException("search limit must be 1 to 10000, but was " + most);
        }
        return new DefinitionQuery(kind, nameContains, text, owner, entity, column, tags, most);
    }

    /**
     * Returns the kind filter.
     *
     * @return the kind, if set
     */
    public Optional<DefinitionKind> kind() {
        return Optional.ofNullable(kind);
    }

    /**
     * Returns the name filter.
     *
     * @return the text, if set
     */
    public Optional<String> nameContains() {
        return Optional.ofNullable(nameContains);
    }

    /**
     * Returns the name-or-description filter.
     *
     * @return the text, if set
     */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /**
     * Returns the owner filter.
     *
     * @return the owner, if set
     */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /**
     * Returns the entity filter.
     *
     * @return the entity, if set
     */
    public Optional<String> entity() {
        return Optional.ofNullable(entity);
    }

    /**
     * Returns the column filter.
     *
     * @return the column, if set
     */
    public Optional<String> column() {
        return Optional.ofNullable(column);
    }

    /**
     * Returns the tag filters.
     *
     * @return the tags
     */
    public Map<String, String> tags() {
        return tags;
    }

    /**
     * Returns the result limit.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "DefinitionQuery[kind=" + kind + ", name~" + nameContains + ", text~" + text + ", owner=" + owner
                + ", entity=" + entity + ", column=" + column + ", tags=" + tags + ", limit=" + limit + "]";
    }
}
