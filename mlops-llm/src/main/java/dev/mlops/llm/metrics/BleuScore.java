package dev.mlops.llm.metrics;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A BLEU score with the statistics it came from, as sacreBLEU reports it.
 *
 * @param score the score, 0 to 100
 * @param counts matching n-grams per order (before any add-k smoothing)
 * @param totals hypothesis n-grams per order (before any add-k smoothing)
 * @param precisions the (smoothed) n-gram precisions per order, 0 to 100
 * @param brevityPenalty the brevity penalty, 0 to 1
 * @param hypothesisLength the total hypothesis length in tokens
 * @param referenceLength the total effective reference length in tokens
 * @param signature sacreBLEU's signature of the settings, for instance
 *     {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1}
 */
public record BleuScore(double score, List<Long> counts, List<Long> totals, List<Double> precisions,
        double brevityPenalty, long hypothesisLength, long referenceLength, String signature) {
    /**
     * Validates and copies the score.
     *
     * @throws NullPointerException if a list or the signature is null
     */
    public BleuScore {
        counts = List.copyOf(counts);
        totals = List.copyOf(totals);
        precisions = List.copyOf(precisions);
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Returns the ratio of hypothesis length to reference length, 0 when the reference length is 0.
     *
     * @return the length ratio
     */
    public double ratio() {
        return referenceLength == 0 ? 0 : (double) hypothesisLength / referenceLength;
    }

    /**
     * Formats the score as sacreBLEU prints it, for instance
     * {@code BLEU = 45.43 71.4/50.0/40.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)}. Numbers round
     * the way Python's format does (exact binary value, half to even).
     *
     * @return the formatted score
     */
    public String format() {
        String prec = precisions.stream().map(p -> Formats.fixed(p, 1)).collect(Collectors.joining("/"));
        return "BLEU = " + Formats.fixed(score, 2) + " " + prec + " (BP = " + Formats.fixed(brevityPenalty, 3)
                + " ratio = " + Formats.fixed(ratio(), 3) + " hyp_len = " + hypothesisLength + " ref_len = "
                + referenceLength + ")";
    }

    /**
     * Returns the formatted score preceded by the signature, as sacreBLEU's command line prints it.
     *
     * @return {@code BLEU|<signature> = ...}
     */
    @Override
    public String toString() {
        return "BLEU|" + signature + format().substring("BLEU".length());
    }
}
