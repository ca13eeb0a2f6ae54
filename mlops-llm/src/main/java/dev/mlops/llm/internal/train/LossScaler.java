package dev.mlops.llm.internal.train;

/**
 * Dynamic loss scaling for 16-bit training: the loss is multiplied by the scale so that small gradients survive
 * half precision; an overflow halves the scale and skips the step, and a run of good steps doubles it.
 */
public final class LossScaler {
    private final int growthInterval;
    private double scale;
    private int goodSteps;

    /**
     * Creates a scaler.
     *
     * @param initialScale the first scale
     * @param growthInterval good steps before the scale doubles
     */
    public LossScaler(double initialScale, int growthInterval) {
        this.scale = initialScale;
        this.growthInterval = growthInterval;
    }

    /** @return the current scale */
    public double scale() {
        return scale;
    }

    /** @return good steps since the last change */
    public int goodSteps() {
        return goodSteps;
    }

    /**
     * Restores the state.
     *
     * @param value the scale
     * @param good good steps since the last change
     */
    public void restore(double value, int good) {
        this.scale = value;
        this.goodSteps = good;
    }

    /**
     * Records a step's outcome.
     *
     * @param overflow whether the gradients held an infinity or NaN
     */
    public void update(boolean overflow) {
        if (overflow) {
            scale = Math.max(1.0, scale / 2);
            goodSteps = 0;
        } else if (++goodSteps >= growthInterval) {
            scale = Math.min(scale * 2, 1 << 24);
            goodSteps = 0;
        }
    }
}
