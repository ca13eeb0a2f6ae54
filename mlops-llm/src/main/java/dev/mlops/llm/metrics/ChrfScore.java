package dev.mlops.llm.metrics;

import java.util.Objects;

/**
 * A chrF (or chrF++) score.
 *
 * @param score the score, 0 to 100
 * @param name {@code chrF2} for chrF with beta 2, {@code chrF2++} with word order 2
 * @param signature sacreBLEU's signature of the settings, for instance
 *     {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1}
 */
public record ChrfScore(double score, String name, String signature) {
    /**
     * Validates the score.
     *
     * @throws NullPointerException if the name or signature is null
     */
    public ChrfScore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Formats the score as sacreBLEU prints it, to two decimals: {@code chrF2 = 52.08}.
     *
     * @return the formatted score
     */
    public String format() {
        return name + " = " + Formats.fixed(score, 2);
    }

    @Override
    public String toString() {
        return name + "|" + signature + " = " + Formats.fixed(score, 2);
    }
}
