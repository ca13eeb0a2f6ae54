package dev.mlops.llm.internal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import dev.mlops.llm.internal.SplitMix;
import java.nio.charset.StandardCharsets;

/**
 * Fills a parameter from a Java generator seeded by the model seed and the parameter's name, so that a seed gives the
 * same weights on every device and whatever else used the engine's random state before.
 */
public final class SeededInitializer implements Initializer {
    /** The distributions. */
    public enum Kind {
        /** Normal with the given standard deviation. */
        NORMAL,
        /** Uniform on [-scale, scale]. */
        UNIFORM,
        /** All zeros. */
        ZEROS,
        /** All ones. */
        ONES,
        /**
         * Left unwritten, for weights that loading overwrites: the memory costs nothing resident until written, so a
         * weight that is loaded as 8-bit never occupies its 32-bit size.
         */
        UNSET
    }

    private final Kind kind;
    private final double scale;
    private final long seed;

    /**
     * Creates an initializer.
     *
     * @param kind the distribution
     * @param scale the standard deviation (normal) or bound (uniform)
     * @param seed the model seed
     * @param name the parameter's name, mixed into the seed
     */
    public SeededInitializer(Kind kind, double scale, long seed, String name) {
        this.kind = kind;
        this.scale = scale;
        this.seed = mix(seed, name);
    }

    static long mix(long seed, String name) {
        long h = seed ^ 0x6A09E667F3BCC909L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return new SplitMix(h).nextLong();
    }

    /**
     * Generates the values.
     *
     * @param n how many
     * @return the values
     */
    public float[] values(int n) {
        float[] v = new float[n];
        switch (kind) {
            case ONES -> java.util.Arrays.fill(v, 1f);
            case ZEROS, UNSET -> { }
            case UNIFORM -> {
                SplitMix r = new SplitMix(seed);
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((unit(r) * 2 - 1) * scale);
                }
            }
            case NORMAL -> {
                SplitMix r = new SplitMix(seed);
                for (int i = 0; i < n; i += 2) {
                    double u1 = 1.0 - unit(r);
                    double u2 = unit(r);
                    double radius = Math.sqrt(-2 * Math.log(u1)) * scale;
                    v[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
                    if (i + 1 < n) {
                        v[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
                    }
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return v;
    }

    static double unit(SplitMix r) {
        return (r.nextLong() >>> 11) * 0x1.0p-53;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (kind == Kind.ZEROS) {
            return manager.zeros(shape, dataType);
        }
        if (kind == Kind.ONES) {
            return manager.ones(shape, dataType);
        }
        if (kind == Kind.UNSET) {
            return manager.create(shape, dataType);
        }
        NDArray a = manager.create(values(Math.toIntExact(shape.size())), shape);
        return dataType == DataType.FLOAT32 ? a : a.toType(dataType, false);
    }
}
