package dev.mlops.llm;

import java.util.Objects;
import java.util.function.Function;

/**
 * The model under evaluation, supplied by the host application: a call to any LLM service, a DJL model, or a plain
 * function in tests. When the evaluator runs with concurrency above 1, implementations must be thread-safe.
 */
@FunctionalInterface
public interface Generator {
    /**
     * Generates a completion for a prompt.
     *
     * @param prompt the prompt
     * @return the generation
     * @throws Exception if the model fails; the evaluator records or rethrows it
     */
    Generation generate(String prompt) throws Exception;

    /**
     * Wraps a function from prompt to text; token counts are then estimated by the evaluator.
     *
     * @param function the function
     * @return the generator
     */
    static Generator ofText(Function<String, String> function) {
        Objects.requireNonNull(function, "function");
        return prompt -> Generation.of(function.apply(prompt));
    }
}
