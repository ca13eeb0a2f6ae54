package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;

/**
 * How BLEU treats n-gram orders without matches, as sacreBLEU defines it (after Chen and Cherry, 2014).
 *
 * <ul>
 *   <li>{@link Method#EXP} (the default; NIST's method in mteval-v13a): each successive order without matches gets
 *       half the credit of the previous one, {@code 100 / (2^k * total)};</li>
 *   <li>{@link Method#FLOOR}: an order without matches gets precision {@code 100 * value / total} (value 0.1 by
 *       default);</li>
 *   <li>{@link Method#ADD_K}: {@code value} (1 by default) is added to the matches and totals of orders 2 and up;</li>
 *   <li>{@link Method#NONE}: no smoothing; any order without matches makes the score 0.</li>
 * </ul>
 *
 * <p>Whatever the method, a hypothesis with no matching n-gram of any order scores 0.
 *
 * @param method the method
 * @param value the floor or k; {@code NaN} for {@code exp} and {@code none}
 */
public record Smoothing(Method method, double value) {
    /** The smoothing methods. */
    public enum Method {
        /** No smoothing. */
        NONE("none"),
        /** A fixed floor for orders without matches. */
        FLOOR("floor"),
        /** Add k to matches and totals of orders 2 and up. */
        ADD_K("add-k"),
        /** Exponentially decaying credit for orders without matches. */
        EXP("exp");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /**
         * Returns sacreBLEU's name for the method.
         *
         * @return {@code none}, {@code floor}, {@code add-k} or {@code exp}
         */
        public String label() {
            return label;
        }
    }

    /**
     * Validates the smoothing.
     *
     * @throws InvalidArgumentException if a floor or k is not a finite positive number, or a value is given to a
     *     method that takes none
     */
    public Smoothing {
        Objects.requireNonNull(method, "method");
        if (method == Method.FLOOR || method == Method.ADD_K) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new InvalidArgumentException("smoothing value for " + method.label + " must be a finite "
                        + "positive number, but was " + value);
            }
        } else if (!Double.isNaN(value)) {
            throw new InvalidArgumentException("smoothing method " + method.label + " takes no value, but got " + value);
        }
    }

    /**
     * Returns sacreBLEU's default: exponential smoothing.
     *
     * @return {@code exp}
     */
    public static Smoothing exp() {
        return new Smoothing(Method.EXP, Double.NaN);
    }

    /**
     * Returns no smoothing.
     *
     * @return {@code none}
     */
    public static Smoothing none() {
        return new Smoothing(Method.NONE, Double.NaN);
    }

    /**
     * Returns floor smoothing with sacreBLEU's default floor of 0.1.
     *
     * @return {@code floor} with 0.1
     */
    public static Smoothing floor() {
        return floor(0.1);
    }

    /**
     * Returns floor smoothing.
     *
     * @param value the floor, a finite positive number
     * @return {@code floor} with the value
     * @throws InvalidArgumentException if the value is not finite and positive
     */
    public static Smoothing floor(double value) {
        return new Smoothing(Method.FLOOR, value);
    }

    /**
     * Returns add-k smoothing with sacreBLEU's default k of 1.
     *
     * @return {@code add-k} with 1
     */
    public static Smoothing addK() {
        return addK(1);
    }

    /**
     * Returns add-k smoothing.
     *
     * @param k the amount added, a finite positive number
     * @return {@code add-k} with k
     * @throws InvalidArgumentException if k is not finite and positive
     */
    public static Smoothing addK(double k) {
        return new Smoothing(Method.ADD_K, k);
    }

    /**
     * Returns the signature text sacreBLEU writes for this smoothing: the method, with the value in brackets to two
     * decimals where the method takes one ({@code floor[0.10]}, {@code add-k[1.00]}).
     *
     * @return the signature fragment
     */
    public String signature() {
        if (Double.isNaN(value)) {
            return method.label;
        }
        return method.label + "[" + Formats.fixed(value, 2) + "]";
    }
}
