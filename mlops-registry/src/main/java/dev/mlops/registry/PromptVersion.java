package dev.mlops.registry;

import dev.mlops.api.PromptUri;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable version of a prompt.
 *
 * @param name the prompt's name
 * @param version the version number, from 1, never reused within a prompt
 * @param template the template
 * @param digest SHA-256 of the template's canonical JSON form, hex; equal templates have equal digests
 * @param commitMessage what changed, or {@code null}
 * @param createdBy who registered it
 * @param creationTime when
 * @param tags tag values by key (tags are the only mutable part of a version)
 * @param aliases the aliases pointing at this version
 */
public record PromptVersion(String name, long version, PromptTemplate template, String digest, String commitMessage,
        String createdBy, Instant creationTime, Map<String, String> tags, List<String> aliases) {
    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a required part is null
     */
    public PromptVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(digest, "digest");
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /**
     * Returns the URI of this exact version, for recording which prompt produced an output.
     *
     * @return {@code prompts:/<name>/<version>}
     */
    public PromptUri uri() {
        return PromptUri.ofVersion(name, version);
    }

    /**
     * Renders a text template; shorthand for {@code template().render(values)}.
     *
     * @param values the variables' values
     * @return the rendered text
     * @throws dev.mlops.api.InvalidArgumentException naming every missing variable
     */
    public String render(Map<String, ?> values) {
        return template.render(values);
    }
}
