package dev.mlops.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered prompt: a named line of immutable template versions.
 *
 * @param name the unique name
 * @param description a description, or {@code null}
 * @param creationTime when it was created
 * @param lastUpdatedTime when it last changed
 * @param tags tag values by key
 * @param aliases the version each alias points at
 * @param latestVersion the highest existing version number, or 0 when there is none
 */
public record Prompt(String name, String description, Instant creationTime, Instant lastUpdatedTime,
        Map<String, String> tags, Map<String, Long> aliases, long latestVersion) {
    /**
     * Copies the maps.
     *
     * @throws NullPointerException if the name is null
     */
    public Prompt {
        Objects.requireNonNull(name, "name");
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
