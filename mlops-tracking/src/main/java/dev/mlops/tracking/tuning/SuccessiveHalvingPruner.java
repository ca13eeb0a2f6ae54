package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asynchronous successive halving, as Optuna's pruner: rung {@code r} sits at step
 * {@code minResource * reductionFactor^(minEarlyStoppingRate + r)}; a trial reaching a rung goes on only if its value
 * there is among the best {@code 1 / reductionFactor} of every trial's value at that rung (with fewer than
 * {@code reductionFactor} competitors, only the best goes on). A trial's value at a rung is the first one it reported
 * at or after the rung's step, so objectives may report every few steps.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    private final long minResource;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;

    /**
     * Creates a pruner.
     *
     * @param minResource the first rung's step, 1 or more
     * @param reductionFactor 2 or more (Optuna's default is 4)
     * @param minEarlyStoppingRate rungs to skip, 0 or more
     */
    public SuccessiveHalvingPruner(long minResource, int reductionFactor, int minEarlyStoppingRate) {
        if (minResource < 1 || reductionFactor < 2 || minEarlyStoppingRate < 0) {
            throw new InvalidArgumentException("successive halving needs minResource >= 1, reductionFactor >= 2 and "
                    + "minEarlyStoppingRate >= 0, not " + minResource + ", " + reductionFactor + ", "
                    + minEarlyStoppingRate);
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
    }

    @Override
    public boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> trials, Direction direction) {
        if (trial.intermediate().isEmpty()) {
            return false;
        }
        long step = trial.lastStep();
        for (int rung = 0;; rung++) {
            long rungStep = rungStep(rung);
            if (rungStep < 0 || rungStep > step) {
                return false;
            }
            Long reached = trial.intermediate().ceilingKey(rungStep);
            if (reached == null || reached != step) {
                continue;
            }
            double value = valueAt(trial, rungStep);
            if (Double.isNaN(value)) {
                return true;
            }
            List<Double> competing = new ArrayList<>();
            for (FrozenTrial t : trials) {
                if (t.number() != trial.number()) {
                    double v = valueAt(t, rungStep);
                    if (!Double.isNaN(v)) {
                        competing.add(v);
                    }
                }
            }
            competing.add(value);
            return !promotable(value, competing, direction);
        }
    }

    private long rungStep(int rung) {
        double s = minResource * Math.pow(reductionFactor, minEarlyStoppingRate + rung);
        return s > Long.MAX_VALUE / 2 ? -1 : (long) s;
    }

    /** A trial's value at a rung: the first value it reported at or after the rung's step. */
    private static double valueAt(FrozenTrial t, long step) {
        var e = t.intermediate().ceilingEntry(step);
        return e == null ? Double.NaN : e.getValue();
    }

    private boolean promotable(double value, List<Double> competing, Direction direction) {
        int index = competing.size() / reductionFactor - 1;
        if (index < 0) {
            index = 0;
        }
        List<Double> sorted = new ArrayList<>(competing);
        Collections.sort(sorted);
        if (direction == Direction.MAXIMIZE) {
            return value >= sorted.get(sorted.size() - 1 - index);
        }
        return value <= sorted.get(index);
    }

    @Override
    public String toString() {
        return "SuccessiveHalvingPruner[minResource=" + minResource + ", reductionFactor=" + reductionFactor + "]";
    }
}
