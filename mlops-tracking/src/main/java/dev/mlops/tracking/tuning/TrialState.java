package dev.mlops.tracking.tuning;

/** Where a trial stands. */
public enum TrialState {
    /** Being evaluated (or interrupted by a crash, until the study is reopened). */
    RUNNING,
    /** Evaluated; its values count. */
    COMPLETE,
    /** Stopped early by the pruner; its intermediate values still inform samplers. */
    PRUNED,
    /** The objective threw, returned NaN, or the trial was interrupted. */
    FAIL;

    /**
     * Tells whether the trial has ended.
     *
     * @return true for every state except {@link #RUNNING}
     */
    public boolean finished() {
        return this != RUNNING;
    }
}
