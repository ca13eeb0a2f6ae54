package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Direction;
import java.util.List;

/** Decides whether a running trial should stop early, from its intermediate values and those of other trials. */
public interface Pruner {
    /**
     * Judges a trial.
     *
     * @param trial the running trial, with the intermediate values reported so far
     * @param trials every trial of the study (including this one)
     * @param direction the study's single direction
     * @return true to stop it
     */
    boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> trials, Direction direction);

    /**
     * Returns a pruner that never prunes.
     *
     * @return the pruner
     */
    static Pruner none() {
        return (trial, trials, direction) -> false;
    }
}
