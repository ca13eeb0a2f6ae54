package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;

/**
 * Perplexity from token log-probabilities (natural logarithms, as language-model APIs return them):
 * {@code exp(-mean(log p))}. A corpus perplexity weights every token equally, {@code exp(-sum / tokens)}, which is
 * not the mean of the sequences' perplexities. A token of probability 0 ({@code -Infinity}) makes the perplexity
 * infinite. Stateless and thread-safe.
 */
public final class Perplexity {
    private Perplexity() {
    }

    /**
     * Returns the perplexity of one sequence.
     *
     * @param tokenLogProbs the natural-log probability of each token, at least one, each at most 0
     * @return the perplexity, 1 or more
     * @throws InvalidArgumentException if the sequence is empty or a value is NaN or positive
     */
    public static double of(double[] tokenLogProbs) {
        return Math.exp(-sum(tokenLogProbs, 0) / tokenLogProbs.length);
    }

    /**
     * Returns the perplexity of a corpus of sequences, weighting each token equally.
     *
     * @param sequences the token log-probabilities of each sequence; at least one token in all
     * @return the perplexity
     * @throws InvalidArgumentException if there are no tokens or a value is NaN or positive
     */
    public static double corpus(List<double[]> sequences) {
        double total = 0;
        long tokens = 0;
        for (int s = 0; s < sequences.size(); s++) {
            double[] seq = sequences.get(s);
            if (seq.length > 0) {
                total += sum(seq, s);
                tokens += seq.length;
            }
        }
        if (tokens == 0) {
            throw new InvalidArgumentException("perplexity needs at least one token log-probability");
        }
        return Math.exp(-total / tokens);
    }

    private static double sum(double[] logProbs, int sequence) {
        if (logProbs == null || logProbs.length == 0) {
            throw new InvalidArgumentException("sequence " + sequence + " has no token log-probabilities");
        }
        double s = 0;
        for (int i = 0; i < logProbs.length; i++) {
            double v = logProbs[i];
            if (Double.isNaN(v) || v > 0) {
                throw new InvalidArgumentException("token " + i + " of sequence " + sequence
                        + " has log-probability " + v + "; expected a natural log of a probability, at most 0");
            }
            s += v;
        }
        return s;
    }
}
