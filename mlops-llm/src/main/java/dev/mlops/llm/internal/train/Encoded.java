package dev.mlops.llm.internal.train;

import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * One example as tokens: the ids and, for each, whether predicting it counts in the loss.
 *
 * @param ids token ids, the end-of-text token last
 * @param trained per id, whether it is a training target
 * @param truncated whether the end was cut to fit
 */
public record Encoded(long[] ids, boolean[] trained, boolean truncated) {
    /**
     * Encodes rendered segments, each tokenized on its own so that the loss mask falls exactly on segment borders,
     * and appends the end-of-text token as a target. Sequences longer than {@code maxTokens} lose their end.
     *
     * @param segments the rendered example
     * @param tokenizer the tokenizer
     * @param maxTokens the most tokens to keep
     * @return the encoding
     */
    public static Encoded of(List<PromptFormat.Segment> segments, TextTokenizer tokenizer, int maxTokens) {
        long[] ids = new long[0];
        boolean[] trained = new boolean[0];
        for (PromptFormat.Segment s : segments) {
            long[] part = tokenizer.encode(s.text());
            int at = ids.length;
            ids = Arrays.copyOf(ids, at + part.length);
            trained = Arrays.copyOf(trained, at + part.length);
            System.arraycopy(part, 0, ids, at, part.length);
            Arrays.fill(trained, at, at + part.length, s.trained());
        }
        ids = Arrays.copyOf(ids, ids.length + 1);
        trained = Arrays.copyOf(trained, trained.length + 1);
        ids[ids.length - 1] = tokenizer.endOfTextId();
        trained[trained.length - 1] = true;
        boolean cut = ids.length > maxTokens;
        if (cut) {
            ids = Arrays.copyOf(ids, maxTokens);
            trained = Arrays.copyOf(trained, maxTokens);
        }
        return new Encoded(ids, trained, cut);
    }

    /**
     * Counts the targets: positions after the first whose token is trained.
     *
     * @return the count
     */
    public int targets() {
        int n = 0;
        for (int i = 1; i < trained.length; i++) {
            if (trained[i]) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns the number of input positions (one fewer than the tokens).
     *
     * @return the count
     */
    public int positions() {
        return ids.length - 1;
    }
}
