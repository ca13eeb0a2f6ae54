package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A ROUGE variant, named as in rouge-score: {@code rouge1} to {@code rouge9} (n-gram overlap), {@code rougeL}
 * (longest common subsequence over the whole text, newlines ignored) and {@code rougeLsum} (summary-level LCS over
 * newline-separated sentences).
 *
 * @param name the variant's name
 */
public record RougeType(String name) {
    private static final Pattern NAME = Pattern.compile("rouge[1-9]|rougeL|rougeLsum");

    /** Unigram overlap. */
    public static final RougeType ROUGE_1 = new RougeType("rouge1");
    /** Bigram overlap. */
    public static final RougeType ROUGE_2 = new RougeType("rouge2");
    /** Sentence-level longest common subsequence. */
    public static final RougeType ROUGE_L = new RougeType("rougeL");
    /** Summary-level longest common subsequence over newline-separated sentences. */
    public static final RougeType ROUGE_LSUM = new RougeType("rougeLsum");

    /**
     * Validates the name.
     *
     * @throws InvalidArgumentException if the name is not {@code rouge1}..{@code rouge9}, {@code rougeL} or
     *     {@code rougeLsum}
     */
    public RougeType {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("unknown ROUGE type '" + name
                    + "'; expected rouge1 to rouge9, rougeL or rougeLsum");
        }
    }

    /**
     * Parses a name.
     *
     * @param name for instance {@code rouge2}
     * @return the type
     * @throws InvalidArgumentException if the name is unknown
     */
    public static RougeType of(String name) {
        return new RougeType(name);
    }

    /**
     * Returns the n-gram variant of an order.
     *
     * @param n 1 to 9
     * @return {@code rouge<n>}
     * @throws InvalidArgumentException if n is out of range
     */
    public static RougeType ngram(int n) {
        if (n < 1 || n > 9) {
            throw new InvalidArgumentException("ROUGE n-gram order must be 1 to 9, but was " + n);
        }
        return new RougeType("rouge" + n);
    }

    /**
     * Returns the n-gram order.
     *
     * @return 1 to 9, or 0 for the LCS variants
     */
    public int order() {
        return name.length() == 6 && Character.isDigit(name.charAt(5)) ? name.charAt(5) - '0' : 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
