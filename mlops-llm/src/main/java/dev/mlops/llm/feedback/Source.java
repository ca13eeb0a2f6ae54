package dev.mlops.llm.feedback;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;

/**
 * The author of a judgement: its kind and an id (a user name, a judge model, a program).
 *
 * @param type human, LLM judge or code
 * @param id the author's id, 1 to 256 characters
 */
public record Source(SourceType type, String id) {
    /**
     * Validates the source.
     *
     * @throws InvalidArgumentException if the id is blank or longer than 256 characters
     */
    public Source {
        Objects.requireNonNull(type, "type");
        Checks.text("source id", id, 256);
    }

    /**
     * Returns a human author.
     *
     * @param id the person's id
     * @return the source
     */
    public static Source human(String id) {
        return new Source(SourceType.HUMAN, id);
    }

    /**
     * Returns an LLM judge.
     *
     * @param id the judge's id, for instance its model name
     * @return the source
     */
    public static Source llmJudge(String id) {
        return new Source(SourceType.LLM_JUDGE, id);
    }

    /**
     * Returns a program.
     *
     * @param id the program's id
     * @return the source
     */
    public static Source code(String id) {
        return new Source(SourceType.CODE, id);
    }
}
