package dev.mlops.features;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A summary of one stored definition version, as search and history return it.
 *
 * @param kind what it defines
 * @param name its name
 * @param version its version, from 1
 * @param owner its owner, or null
 * @param description its description, or null
 * @param entity the entity of a feature view, or null
 * @param tags its tags
 * @param columns the columns it names: join keys of an entity, features of a view, the features a service serves,
 *     the outputs of a transform
 * @param references what it uses, as {@code kind:name}
 * @param created when the version was stored
 * @param createdBy who stored it
 * @param specSha256 the SHA-256 of its canonical JSON form
 */
public record DefinitionInfo(DefinitionKind kind, String name, int version, String owner, String description,
        String entity, Map<String, String> tags, List<String> columns, List<String> references, Instant created,
        String createdBy, String specSha256) {
    /** Copies the collections. */
    public DefinitionInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        tags = Map.copyOf(tags);
        columns = List.copyOf(columns);
        references = List.copyOf(references);
    }
}
