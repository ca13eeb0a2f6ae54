package dev.mlops.tracking.internal;

import dev.mlops.api.tuning.Distribution;
import java.util.Random;

/** Helpers for samplers: the internal interval of a numeric distribution and uniform draws. */
public final class SpaceMath {
    private SpaceMath() {
    }

    /**
     * Returns the interval on the internal line that a numeric distribution's values cover, widened by half a step
     * on each side for discrete ones so that every value gets an equal share.
     *
     * @param d a {@link Distribution.FloatRange} or {@link Distribution.IntRange}
     * @return {low, high}
     */
    public static double[] bounds(Distribution d) {
        if (d instanceof Distribution.FloatRange f) {
            if (f.log()) {
                return new double[] {Math.log(f.low()), Math.log(f.high())};
            }
            double half = f.step() / 2;
            double top = f.step() > 0 ? f.low() + Math.floor((f.high() - f.low()) / f.step() + 1e-9) * f.step()
                    : f.high();
            return new double[] {f.low() - half, top + half};
        }
        if (d instanceof Distribution.IntRange r) {
            long top = r.low() + (r.high() - r.low()) / r.step() * r.step();
            if (r.log()) {
                return new double[] {Math.log(r.low() - 0.5), Math.log(top + 0.5)};
            }
            return new double[] {r.low() - 0.5 * r.step(), top + 0.5 * r.step()};
        }
        throw new IllegalArgumentException("not numeric: " + d);
    }

    /**
     * Draws a value uniformly (on the distribution's own scale).
     *
     * @param d the distribution
     * @param random the generator
     * @return a value the distribution contains
     */
    public static Object uniform(Distribution d, Random random) {
        if (d instanceof Distribution.Categorical c) {
            return c.choices().get(random.nextInt(c.choices().size()));
        }
        if (d instanceof Distribution.IntRange r && !r.log()) {
            return r.low() + r.step() * (long) Math.floor(random.nextDouble() * r.size());
        }
        double[] b = bounds(d);
        return fromInternal(d, b[0] + random.nextDouble() * (b[1] - b[0]));
    }

    /**
     * Maps an internal number to a value, keeping it inside the distribution.
     *
     * @param d the distribution
     * @param internal the number
     * @return the value
     */
    public static Object fromInternal(Distribution d, double internal) {
        return d.fromInternal(internal);
    }
}
