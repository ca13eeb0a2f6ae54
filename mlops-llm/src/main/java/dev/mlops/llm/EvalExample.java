package dev.mlops.llm;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation example: a prompt and the references a good answer resembles.
 *
 * @param id a unique id within its dataset
 * @param prompt the prompt sent to the generator
 * @param references zero or more reference answers (metrics need at least one)
 */
public record EvalExample(String id, String prompt, List<String> references) {
    /**
     * Validates and copies the example.
     *
     * @throws InvalidArgumentException if the id is blank, the prompt is null, or a reference is null
     */
    public EvalExample {
        if (id == null || id.isBlank()) {
            throw new InvalidArgumentException("example id must not be blank");
        }
        if (prompt == null) {
            throw new InvalidArgumentException("example '" + id + "' has a null prompt");
        }
        Objects.requireNonNull(references, () -> "references of example '" + id + "'");
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i) == null) {
                throw new InvalidArgumentException("example '" + id + "' has a null reference at position " + i);
            }
        }
        references = List.copyOf(references);
    }

    /**
     * Creates an example.
     *
     * @param id a unique id
     * @param prompt the prompt
     * @param references the reference answers
     * @return the example
     * @throws InvalidArgumentException if the id is blank or a value is null
     */
    public static EvalExample of(String id, String prompt, String... references) {
        return new EvalExample(id, prompt, List.of(references));
    }
}
