package dev.mlops.llm.train;

import dev.mlops.api.InvalidArgumentException;

/**
 * Linear warm-up followed by cosine decay: step {@code s} (counted from 1) gets {@code peak * s / warmup} while
 * {@code s <= warmup}, then {@code min + (peak - min) * (1 + cos(pi * progress)) / 2} where progress runs from 0 after
 * warm-up to 1 at the last step and {@code min = peak * minRatio}.
 *
 * @param peak the learning rate after warm-up
 * @param warmupSteps steps of linear warm-up, 0 or more
 * @param totalSteps all steps, at least 1
 * @param minRatio the final rate as a share of the peak, in [0, 1]
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
    /**
     * Validates the schedule.
     *
     * @throws InvalidArgumentException naming the first value out of range
     */
    public LearningRateSchedule {
        if (!(peak > 0) || !Double.isFinite(peak)) {
            throw new InvalidArgumentException("peak learning rate must be positive, but was " + peak);
        }
        if (warmupSteps < 0) {
            throw new InvalidArgumentException("warmupSteps must be 0 or more, but was " + warmupSteps);
        }
        if (totalSteps < 1) {
            throw new InvalidArgumentException("totalSteps must be at least 1, but was " + totalSteps);
        }
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new InvalidArgumentException("minRatio must be in [0, 1], but was " + minRatio);
        }
    }

    /**
     * Returns the rate of a step.
     *
     * @param step the step, from 1
     * @return the learning rate
     */
    public double at(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        double min = peak * minRatio;
        int decay = totalSteps - warmupSteps;
        if (decay <= 1) {
            return peak;
        }
        double progress = Math.min(1.0, Math.max(0.0, (double) (step - warmupSteps - 1) / (decay - 1)));
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
