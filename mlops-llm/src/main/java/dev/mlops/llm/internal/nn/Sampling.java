package dev.mlops.llm.internal.nn;

import dev.mlops.llm.internal.SplitMix;
import java.util.Arrays;

/** Picks the next token from logits: greedy, or sampled after temperature, top-k and top-p. */
public final class Sampling {
    private Sampling() {
    }

    /**
     * Returns the log-softmax of logits.
     *
     * @param logits the logits
     * @return natural-log probabilities
     */
    public static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }

    /**
     * Picks a token.
     *
     * @param logits the logits of the next position
     * @param temperature 0 for the most likely token (lowest id on ties), else the temperature
     * @param topK 0 for all, else how many of the most likely to keep
     * @param topP the nucleus mass in (0, 1]
     * @param rng the random source (unused when greedy)
     * @return the token id
     */
    public static int choose(float[] logits, double temperature, int topK, double topP, SplitMix rng) {
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        int keep = topK > 0 ? Math.min(topK, n) : n;
        double max = logits[order[0]] / temperature;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / temperature - max);
            sum += p[i];
        }
        if (topP < 1) {
            double mass = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                mass += p[i] / sum;
                if (mass >= topP) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = ((rng.nextLong() >>> 11) * 0x1.0p-53) * sum;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += p[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
