package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * Chooses the parameters of the next trial from the trials so far. A study calls its sampler from one thread at a
 * time, so implementations may keep state (a seeded random generator).
 */
public interface Sampler {
    /**
     * Chooses values for every active parameter of the space.
     *
     * @param space the search space
     * @param directions the study's directions
     * @param trials every trial so far, finished or not, by number
     * @return the values, valid for {@link SearchSpace#validate}
     */
    Map<String, Object> sample(SearchSpace space, List<Direction> directions, List<FrozenTrial> trials);

    /**
     * Tells whether the sampler has nothing left to propose (a grid that has been covered).
     *
     * @param space the search space
     * @param trials every trial so far
     * @return true to end the study's optimization
     */
    default boolean exhausted(SearchSpace space, List<FrozenTrial> trials) {
        return false;
    }
}
