package dev.mlops.api.tuning;

import dev.mlops.api.InvalidArgumentException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The values one parameter may take. Samplers work on an internal number line: the value itself for
 * {@link FloatRange} and {@link IntRange} (its logarithm for log scales) and the choice's index for
 * {@link Categorical}.
 */
public sealed interface Distribution {
    /**
     * Tells whether a value belongs to the distribution.
     *
     * @param value a value
     * @return true if a trial may hold it
     */
    boolean contains(Object value);

    /**
     * Maps a value to the internal number line.
     *
     * @param value a value the distribution contains
     * @return its internal representation
     */
    double toInternal(Object value);

    /**
     * Maps an internal number back to the nearest value of the distribution (clamped, rounded to the step).
     *
     * @param internal a number on the internal line
     * @return the value
     */
    Object fromInternal(double internal);

    /**
     * A real interval, uniform or on a log scale, optionally in steps.
     *
     * @param low the lower bound, inclusive
     * @param high the upper bound, inclusive
     * @param log whether values are spread on a log scale (both bounds then must be positive)
     * @param step the spacing of allowed values from {@code low}, or 0 for any real value
     */
    record FloatRange(double low, double high, boolean log, double step) implements Distribution {
        /**
         * Validates the range.
         *
         * @throws InvalidArgumentException if a bound is not finite, low exceeds high, a log range is not positive,
         *     or the step is negative, not finite, or combined with a log scale
         */
        public FloatRange {
            if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
                throw new InvalidArgumentException("a float range needs finite bounds with low <= high, not [" + low
                        + ", " + high + "]");
            }
            if (log && low <= 0) {
                throw new InvalidArgumentException("a log-scale range needs a positive lower bound, not " + low);
            }
            if (!(step >= 0) || !Double.isFinite(step)) {
                throw new InvalidArgumentException("step must be 0 or a positive finite number, not " + step);
            }
            if (log && step > 0) {
                throw new InvalidArgumentException("a log-scale range cannot have a step");
            }
        }

        @Override
        public boolean contains(Object value) {
            if (!(value instanceof Double d) || d < low || d > high) {
                return false;
            }
            if (step == 0) {
                return true;
            }
            double k = (d - low) / step;
            return Math.abs(k - Math.rint(k)) < 1e-8;
        }

        @Override
        public double toInternal(Object value) {
            double d = ((Number) value).doubleValue();
            return log ? Math.log(d) : d;
        }

        @Override
        public Object fromInternal(double internal) {
            double v = log ? Math.exp(internal) : internal;
            v = Math.min(high, Math.max(low, v));
            if (step > 0) {
                double steps = Math.floor((high - low) / step + 1e-9);
                v = low + Math.min(steps, Math.max(0, Math.rint((v - low) / step))) * step;
            }
            return Double.isNaN(v) ? low : v;
        }
    }

    /**
     * A range of whole numbers, uniform or on a log scale, optionally in steps.
     *
     * @param low the lower bound, inclusive
     * @param high the upper bound, inclusive
     * @param log whether values are spread on a log scale (low must then be at least 1)
     * @param step the spacing of allowed values from {@code low}, at least 1
     */
    record IntRange(long low, long high, boolean log, long step) implements Distribution {
        /**
         * Validates the range.
         *
         * @throws InvalidArgumentException if low exceeds high, a log range starts below 1, or the step is below 1 or
         *     combined with a log scale
         */
        public IntRange {
            if (low > high) {
                throw new InvalidArgumentException("an integer range needs low <= high, not [" + low + ", " + high
                        + "]");
            }
            if (log && low < 1) {
                throw new InvalidArgumentException("a log-scale integer range needs a lower bound of at least 1, not "
                        + low);
            }
            if (step < 1 || (log && step != 1)) {
                throw new InvalidArgumentException("an integer range needs a step of at least 1 (exactly 1 on a log "
                        + "scale), not " + step);
            }
        }

        @Override
        public boolean contains(Object value) {
            if (!(value instanceof Long l)) {
                return false;
            }
            return l >= low && l <= high && (l - low) % step == 0;
        }

        @Override
        public double toInternal(Object value) {
            double d = ((Number) value).doubleValue();
            return log ? Math.log(d) : d;
        }

        @Override
        public Object fromInternal(double internal) {
            double v = log ? Math.exp(internal) : internal;
            long steps = (high - low) / step;
            double k = Math.rint((v - low) / step);
            long index = Double.isNaN(k) || k < 0 ? 0 : k > steps ? steps : (long) k;
            return low + index * step;
        }

        /**
         * Returns how many values the range holds.
         *
         * @return the count
         */
        public long size() {
            return (high - low) / step + 1;
        }
    }

    /**
     * A choice among fixed values: strings, booleans, whole numbers (as {@link Long}) or finite doubles, each with a
     * distinct text form (so that a choice can be read back from the text of a logged parameter).
     *
     * @param choices the values, distinct and in order
     */
    record Categorical(List<Object> choices) implements Distribution {
        /**
         * Validates and copies the choices; {@link Integer}s become {@link Long}s.
         *
         * @throws InvalidArgumentException if there are no choices, a choice is null, not finite, of another type,
         *     repeated, or reads as the same text as another (as {@code 1} and {@code "1"} do)
         */
        public Categorical {
            if (choices == null || choices.isEmpty()) {
                throw new InvalidArgumentException("a categorical parameter needs at least one choice");
            }
            Set<Object> seen = new HashSet<>();
            Set<String> printed = new HashSet<>();
            Object[] copy = new Object[choices.size()];
            for (int i = 0; i < copy.length; i++) {
                Object c = choices.get(i);
                if (c instanceof Integer n) {
                    c = n.longValue();
                }
                if (!(c instanceof String || c instanceof Boolean || c instanceof Long || c instanceof Double)) {
                    throw new InvalidArgumentException("categorical choice " + c + " must be a String, Boolean, "
                            + "Integer, Long or Double");
                }
                if (c instanceof Double d && !Double.isFinite(d)) {
                    throw new InvalidArgumentException("categorical choice " + c + " is not finite");
                }
                if (!seen.add(c)) {
                    throw new InvalidArgumentException("categorical choice " + c + " appears twice");
                }
                if (!printed.add(String.valueOf(c))) {
                    throw new InvalidArgumentException("categorical choices must differ as text, but two read '"
                            + c + "'");
                }
                copy[i] = c;
            }
            choices = List.of(copy);
        }

        @Override
        public boolean contains(Object value) {
            return choices.contains(value instanceof Integer n ? n.longValue() : value);
        }

        @Override
        public double toInternal(Object value) {
            int i = choices.indexOf(value instanceof Integer n ? n.longValue() : value);
            if (i < 0) {
                throw new InvalidArgumentException(value + " is not one of the choices " + choices);
            }
            return i;
        }

        @Override
        public Object fromInternal(double internal) {
            int i = (int) Math.max(0, Math.min(choices.size() - 1, Math.rint(internal)));
            return choices.get(i);
        }

        /**
         * Finds the choice whose text form is the given text.
         *
         * @param text the text, as {@link String#valueOf(Object)} gives it
         * @return the choice, or {@code null}
         */
        public Object fromText(String text) {
            for (Object c : choices) {
                if (String.valueOf(c).equals(text)) {
                    return c;
                }
            }
            return null;
        }

        /**
         * Returns the index of a choice.
         *
         * @param value the choice
         * @return its index, or -1
         */
        public int indexOf(Object value) {
            return choices.indexOf(value instanceof Integer n ? n.longValue() : value);
        }
    }
}
