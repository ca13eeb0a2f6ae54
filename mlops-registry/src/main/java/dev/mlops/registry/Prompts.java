package dev.mlops.registry;

import com.github.benmanes.caffeine.cache.Cache;
import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.ModelUri;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.PromptUri;
import dev.mlops.api.spi.TimeSource;
import dev.mlops.registry.internal.PromptStore;
import dev.mlops.registry.internal.RegistryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prompt registry: named prompt templates with immutable, numbered versions, commit messages, tags and aliases,
 * resolved through {@code prompts:/name@alias} URIs, with every change in the registry's audit log.
 *
 * <pre>{@code
 * Prompts prompts = registry.prompts();
 * PromptVersion v = prompts.register("summarize",
 *         PromptTemplate.text("Summarize in {{words}} words:\n{{document}}"), "first draft");
 * prompts.setAlias("summarize", "production", v.version());
 * String prompt = prompts.load("prompts:/summarize@production")
 *         .render(Map.of("words", 50, "document", text));
 * }</pre>
 *
 * <p>A version's template never changes once registered (the database refuses updates to it); version numbers are
 * never reused within a prompt, even after a version is deleted. Registering a template identical to the latest
 * version's is allowed and gives a new version, as a commit with the same tree would. Alias and latest resolutions
 * are cached for the registry's resolution TTL; changes made through this registry are seen at once. Obtained from
 * {@link Registry#prompts()}; thread-safe.
 */
public final class Prompts {
    private final PromptStore store;
    private final RegistryStore registryStore;
    private final TimeSource clock;
    private final String actor;
    private final Cache<PromptUri, PromptVersion> resolutions;

    Prompts(PromptStore store, RegistryStore registryStore, TimeSource clock, String actor,
            Cache<PromptUri, PromptVersion> resolutions) {
        this.store = store;
        this.registryStore = registryStore;
        this.clock = clock;
        this.actor = actor;
        this.resolutions = resolutions;
    }

    /**
     * Creates an empty prompt.
     *
     * @param name the name (the rules of model names, see {@link ModelUri#checkName})
     * @param description a description, or {@code null}
     * @return the prompt
     * @throws AlreadyExistsException if the name is taken
     */
    public Prompt create(String name, String description) {
        checkName(name);
        Registry.checkText("description", description);
        long now = now();
        boolean created = store.db().inTransaction(c -> {
            if (!store.ensurePrompt(c, name, description, now)) {
                return false;
            }
            audit(c, name, 0, "PROMPT_CREATED", now, null, Map.of("description", String.valueOf(description)));
            return true;
        });
        if (!created) {
            throw new AlreadyExistsException("prompt '" + name + "' already exists");
        }
        return get(name);
    }

    /**
     * Registers a new version of a prompt, creating the prompt if it does not exist.
     *
     * @param name the prompt's name
     * @param template the template
     * @param commitMessage what changed, or {@code null}
     * @return the new version
     */
    public PromptVersion register(String name, PromptTemplate template, String commitMessage) {
        return register(name, template, commitMessage, Map.of());
    }

    /**
     * Registers a new version of a prompt with tags, creating the prompt if it does not exist.
     *
     * @param name the prompt's name
     * @param template the template
     * @param commitMessage what changed, or {@code null} (at most 5000 characters)
     * @param tags tags for the version
     * @return the new version
     * @throws InvalidArgumentException if the name, commit message or a tag is invalid
     */
    public PromptVersion register(String name, PromptTemplate template, String commitMessage,
            Map<String, String> tags) {
        checkName(name);
        Objects.requireNonNull(template, "template");
        Registry.checkText("commit message", commitMessage);
        Map<String, String> tagCopy = new LinkedHashMap<>(Objects.requireNonNull(tags, "tags"));
        tagCopy.forEach(Registry::checkTag);
        String json = PromptStore.templateJson(template);
        String digest = PromptStore.digest(json);
        long now = now();
        long version = store.db().inTransaction(c -> {
            if (store.ensurePrompt(c, name, null, now)) {
                audit(c, name, 0, "PROMPT_CREATED", now, null, Map.of("description", "null"));
            }
            long v = store.allocateVersion(c, name);
            store.insertVersion(c, name, v, json, digest, commitMessage, actor, now, tagCopy);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("digest", digest);
            after.put("commit_message", String.valueOf(commitMessage));
            after.put("variables", List.copyOf(template.variables()));
            audit(c, name, v, "PROMPT_VERSION_CREATED", now, null, after);
            store.touch(c, name, now);
            return v;
        });
        invalidate(name);
        return version(name, version);
    }

    /**
     * Returns a prompt.
     *
     * @param name the name
     * @return the prompt with its tags, aliases and latest version
     * @throws NotFoundException if there is none
     */
    public Prompt get(String name) {
        return store.db().read(c -> store.prompt(c, name)).orElseThrow(() -> noPrompt(name));
    }

    /**
     * Lists prompts by name.
     *
     * @param namePattern a SQL LIKE pattern ({@code %} any text, {@code _} one character); {@code "%"} for all
     * @return the matching prompts, by name
     */
    public List<Prompt> search(String namePattern) {
        Objects.requireNonNull(namePattern, "namePattern");
        return store.db().read(c -> store.search(c, namePattern)).stream().map(this::get).toList();
    }

    /**
     * Returns one version.
     *
     * @param name the prompt
     * @param version the version
     * @return the version
     * @throws NotFoundException if the prompt or version does not exist
     */
    public PromptVersion version(String name, long version) {
        return store.db().read(c -> store.version(c, name, version)).orElseThrow(() -> noVersion(name, version));
    }

    /**
     * Returns every version of a prompt, oldest first.
     *
     * @param name the prompt
     * @return the versions
     * @throws NotFoundException if the prompt does not exist
     */
    public List<PromptVersion> versions(String name) {
        get(name);
        return store.db().read(c -> store.versions(c, name, 0));
    }

    /**
     * Resolves a prompt URI to a version: a number, an alias or {@code latest}.
     *
     * @param uri the URI
     * @return the version
     * @throws NotFoundException if the prompt, version or alias does not exist
     */
    public PromptVersion load(PromptUri uri) {
        Objects.requireNonNull(uri, "uri");
        PromptVersion cached = resolutions.getIfPresent(uri);
        if (cached != null) {
            return cached;
        }
        PromptVersion resolved = store.db().read(c -> {
            String name = uri.name();
            var prompt = store.prompt(c, name).orElseThrow(() -> noPrompt(name));
            long v;
            if (uri.version().isPresent()) {
                v = uri.version().getAsLong();
            } else if (uri.alias().isPresent()) {
                Long target = prompt.aliases().get(uri.alias().get());
                if (target == null) {
                    throw new NotFoundException("prompt '" + name + "' has no alias '" + uri.alias().get()
                            + "'; its aliases are " + prompt.aliases().keySet());
                }
                v = target;
            } else {
                v = prompt.latestVersion();
                if (v == 0) {
                    throw new NotFoundException("prompt '" + name + "' has no versions");
                }
            }
            return store.version(c, name, v).orElseThrow(() -> noVersion(name, v));
        });
        resolutions.put(uri, resolved);
        return resolved;
    }

    /**
     * Parses and resolves a prompt URI.
     *
     * @param uri for instance {@code prompts:/summarize@production}
     * @return the version
     * @throws InvalidArgumentException if the URI is malformed
     * @throws NotFoundException if the prompt, version or alias does not exist
     */
    public PromptVersion load(String uri) {
        return load(PromptUri.parse(uri));
    }

    /**
     * Points an alias at a version.
     *
     * @param name the prompt
     * @param alias the alias (see {@link ModelUri#checkAlias})
     * @param version the version
     * @throws NotFoundException if the prompt or version does not exist
     */
    public void setAlias(String name, String alias, long version) {
        ModelUri.checkAlias(alias);
        mutate(name, version, "PROMPT_ALIAS_SET", c -> {
            store.version(c, name, version).orElseThrow(() -> noVersion(name, version));
            Long before = store.aliases(c, name).get(alias);
            store.setAlias(c, name, alias, version);
            return new Object[] {before == null ? null : Map.of("alias", alias, "version", before),
                    Map.of("alias", alias, "version", version)};
        });
    }

    /**
     * Removes an alias.
     *
     * @param name the prompt
     * @param alias the alias
     * @throws NotFoundException if the prompt or alias does not exist
     */
    public void deleteAlias(String name, String alias) {
        mutate(name, 0, "PROMPT_ALIAS_DELETED", c -> {
            Long before = store.aliases(c, name).get(alias);
            if (before == null) {
                throw new NotFoundException("prompt '" + name + "' has no alias '" + alias + "'");
            }
            store.deleteAlias(c, name, alias);
            return new Object[] {Map.of("alias", alias, "version", before), null};
        });
    }

    /**
     * Sets a prompt's description.
     *
     * @param name the prompt
     * @param description the description, or {@code null}
     */
    public void setDescription(String name, String description) {
        Registry.checkText("description", description);
        mutate(name, 0, "PROMPT_DESCRIPTION_SET", c -> {
            String before = store.prompt(c, name).orElseThrow(() -> noPrompt(name)).description();
            store.setDescription(c, name, description);
            return new Object[] {Map.of("description", String.valueOf(before)),
                    Map.of("description", String.valueOf(description))};
        });
    }

    /**
     * Sets a tag on a prompt.
     *
     * @param name the prompt
     * @param key the key
     * @param value the value
     */
    public void setTag(String name, String key, String value) {
        Registry.checkTag(key, value);
        mutate(name, 0, "PROMPT_TAG_SET", c -> tagChange(key, store.setTag(c, name, key, value), value));
    }

    /**
     * Removes a tag from a prompt.
     *
     * @param name the prompt
     * @param key the key
     */
    public void deleteTag(String name, String key) {
        mutate(name, 0, "PROMPT_TAG_DELETED", c -> tagChange(key, store.setTag(c, name, key, null), null));
    }

    /**
     * Sets a tag on a version (tags are the only mutable part of a version).
     *
     * @param name the prompt
     * @param version the version
     * @param key the key
     * @param value the value
     */
    public void setVersionTag(String name, long version, String key, String value) {
        Registry.checkTag(key, value);
        mutate(name, version, "PROMPT_VERSION_TAG_SET", c -> {
            store.version(c, name, version).orElseThrow(() -> noVersion(name, version));
            return tagChange(key, store.setVersionTag(c, name, version, key, value), value);
        });
    }

    /**
     * Removes a tag from a version.
     *
     * @param name the prompt
     * @param version the version
     * @param key the key
     */
    public void deleteVersionTag(String name, long version, String key) {
        mutate(name, version, "PROMPT_VERSION_TAG_DELETED", c -> {
            store.version(c, name, version).orElseThrow(() -> noVersion(name, version));
            return tagChange(key, store.setVersionTag(c, name, version, key, null), null);
        });
    }

    /**
     * Deletes a version and the aliases pointing at it. Its number is not reused.
     *
     * @param name the prompt
     * @param version the version
     * @throws NotFoundException if the prompt or version does not exist
     */
    public void deleteVersion(String name, long version) {
        mutate(name, version, "PROMPT_VERSION_DELETED", c -> {
            PromptVersion v = store.version(c, name, version).orElseThrow(() -> noVersion(name, version));
            store.deleteVersion(c, name, version);
            return new Object[] {Map.of("version", version, "digest", v.digest(), "aliases", v.aliases()), null};
        });
    }

    /**
     * Deletes a prompt with all its versions, tags and aliases. The audit log keeps its entries.
     *
     * @param name the prompt
     * @throws NotFoundException if the prompt does not exist
     */
    public void delete(String name) {
        long now = now();
        store.db().inTransaction(c -> {
            Prompt p = store.prompt(c, name).orElseThrow(() -> noPrompt(name));
            store.deletePrompt(c, name);
            audit(c, name, 0, "PROMPT_DELETED", now, Map.of("latest_version", p.latestVersion(), "aliases",
                    p.aliases()), null);
            return null;
        });
        invalidate(name);
    }

    /**
     * Returns a prompt's audit log, oldest first. Entries outlive the prompt's deletion.
     *
     * @param name the prompt
     * @return the entries
     */
    public List<AuditEntry> auditLog(String name) {
        return registryStore.auditLog(AuditEntry.Subject.PROMPT, name);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Change {
        Object[] apply(Connection c) throws SQLException;
    }

    private void mutate(String name, long version, String action, Change change) {
        long now = now();
        store.db().inTransaction(c -> {
            if (store.prompt(c, name).isEmpty()) {
                throw noPrompt(name);
            }
            Object[] beforeAfter = change.apply(c);
            audit(c, name, version, action, now, beforeAfter[0], beforeAfter[1]);
            store.touch(c, name, now);
            return null;
        });
        invalidate(name);
    }

    private static Object[] tagChange(String key, String before, String after) {
        return new Object[] {before == null ? null : Map.of("key", key, "value", before),
                after == null ? null : Map.of("key", key, "value", after)};
    }

    private void audit(Connection c, String name, long version, String action, long now, Object before, Object after)
            throws SQLException {
        registryStore.audit(c, AuditEntry.Subject.PROMPT, name, version, action, actor, now, before, after);
    }

    private void invalidate(String name) {
        resolutions.asMap().keySet().removeIf(u -> u.name().equals(name));
    }

    private long now() {
        return clock.now().toEpochMilli();
    }

    private static void checkName(String name) {
        PromptUri.latest(name);
    }

    private static NotFoundException noPrompt(String name) {
        return new NotFoundException("prompt '" + name + "' does not exist");
    }

    private static NotFoundException noVersion(String name, long version) {
        return new NotFoundException("version " + version + " of prompt '" + name + "' does not exist");
    }
}
