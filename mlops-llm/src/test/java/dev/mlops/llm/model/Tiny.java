package dev.mlops.llm.model;

import dev.mlops.llm.train.SftExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny models, a character tokenizer and synthetic string tasks shared by the fine-tuning tests. */
public final class Tiny {
    /** The task alphabet plus the separator the prompt format ends with. */
    public static final String ALPHABET = "abcdefgh=";
    /** Prompt format of the string tasks: the input, then {@code =}. */
    public static final PromptFormat FORMAT = PromptFormat.template("{prompt}=");

    private Tiny() {
    }

    /**
     * A two-layer model of width 32.
     *
     * @param vocab the vocabulary size
     * @param dropout the dropout rate
     * @return the configuration
     */
    public static Gpt2Config config(int vocab, double dropout) {
        return Gpt2Config.builder().vocabSize(vocab).contextLength(32).embeddingSize(32).layers(2).heads(2)
                .dropout(dropout).build();
    }

    /**
     * Writes and loads the character tokenizer of {@link #ALPHABET} (11 tokens).
     *
     * @param dir a directory
     * @return the tokenizer
     */
    public static TextTokenizer tokenizer(Path dir) {
        return TextTokenizer.characterLevel(dir.resolve("tokenizer.json"), ALPHABET);
    }

    /**
     * Random strings of 3 to 6 letters from a to h, with their copy or reversal as completion.
     *
     * @param reverse true to reverse, false to copy
     * @param n how many
     * @param seed the seed
     * @return the examples
     */
    public static List<SftExample> strings(boolean reverse, int n, long seed) {
        Random r = new Random(seed);
        List<SftExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(4);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append((char) ('a' + r.nextInt(8)));
            }
            String s = sb.toString();
            out.add(SftExample.of(s, reverse ? new StringBuilder(s).reverse().toString() : s));
        }
        return out;
    }

    /**
     * Returns the largest absolute difference between two logit tensors.
     *
     * @param a first
     * @param b second
     * @return the difference
     */
    public static double maxDiff(float[][] a, float[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }
}
