package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stops a trial whose best intermediate value so far is worse than the median of the complete trials' values at the
 * same step, as Optuna's median pruner: not before {@code startupTrials} trials have completed, not during the first
 * {@code warmupSteps} steps, only every {@code intervalSteps} steps, and only when at least {@code minTrials}
 * complete trials reported the step.
 */
public final class MedianPruner implements Pruner {
    private final int startupTrials;
    private final long warmupSteps;
    private final long intervalSteps;
    private final int minTrials;

    /**
     * Creates a pruner with Optuna's defaults: 5 startup trials, no warm-up, every step, 1 trial.
     */
    public MedianPruner() {
        this(5, 0, 1, 1);
    }

    /**
     * Creates a pruner.
     *
     * @param startupTrials complete trials needed before any pruning
     * @param warmupSteps steps of each trial that are never pruned
     * @param intervalSteps prune only at steps that are multiples of this after the warm-up
     * @param minTrials complete trials that must have reported a step for it to count
     */
    public MedianPruner(int startupTrials, long warmupSteps, long intervalSteps, int minTrials) {
        if (startupTrials < 0 || warmupSteps < 0 || intervalSteps < 1 || minTrials < 1) {
            throw new InvalidArgumentException("median pruner needs startupTrials >= 0, warmupSteps >= 0, "
                    + "intervalSteps >= 1 and minTrials >= 1, not " + startupTrials + ", " + warmupSteps + ", "
                    + intervalSteps + ", " + minTrials);
        }
        this.startupTrials = startupTrials;
        this.warmupSteps = warmupSteps;
        this.intervalSteps = intervalSteps;
        this.minTrials = minTrials;
    }

    @Override
    public boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> trials, Direction direction) {
        if (trial.intermediate().isEmpty()) {
            return false;
        }
        long step = trial.lastStep();
        if (step < warmupSteps || (step - warmupSteps) % intervalSteps != 0) {
            return false;
        }
        List<Double> others = new ArrayList<>();
        int complete = 0;
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE) {
                complete++;
                Double v = t.intermediate().get(step);
                if (v != null && !Double.isNaN(v)) {
                    others.add(v);
                }
            }
        }
        if (complete < startupTrials || others.size() < minTrials) {
            return false;
        }
        double best = Double.NaN;
        for (double v : trial.intermediate().values()) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || direction.better(v, best))) {
                best = v;
            }
        }
        if (Double.isNaN(best)) {
            return true;
        }
        double median = median(others);
        return direction.better(median, best);
    }

    static double median(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }

    @Override
    public String toString() {
        return "MedianPruner[startup=" + startupTrials + ", warmup=" + warmupSteps + ", interval=" + intervalSteps
                + "]";
    }
}
