package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.tracking.internal.SpaceMath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Draws every active parameter independently and uniformly (on its log scale for log parameters). */
public final class RandomSampler implements Sampler {
    private final Random random;

    /**
     * Creates a sampler.
     *
     * @param seed the seed; equal seeds give equal sequences
     */
    public RandomSampler(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Direction> directions, List<FrozenTrial> trials) {
        return draw(space, random);
    }

    static Map<String, Object> draw(SearchSpace space, Random random) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SearchSpace.Param p : space.params()) {
            if (space.isActive(p, out)) {
                out.put(p.name(), SpaceMath.uniform(p.distribution(), random));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RandomSampler";
    }
}
