package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.Direction;
import dev.mlops.api.tuning.Distribution;
import dev.mlops.api.tuning.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Visits every combination of a grid once, respecting conditions (a conditional parameter only varies where it is
 * active), in a seeded random order as Optuna's grid sampler does; the study ends when the grid is covered.
 * Categorical parameters and integer ranges of up to 10,000 values take all their values; real parameters need
 * explicit values.
 */
public final class GridSampler implements Sampler {
    private static final int MAX_POINTS = 1_000_000;
    private static final int MAX_INT_VALUES = 10_000;

    private final Map<String, List<Object>> values;
    private final long seed;
    private List<Map<String, Object>> grid;
    private SearchSpace gridSpace;

    private GridSampler(Map<String, List<Object>> values, long seed) {
        this.values = values;
        this.seed = seed;
    }

    /**
     * Makes a grid over every categorical and integer parameter's values, and the given values for others.
     *
     * @param seed orders the visits
     * @param explicit values for real parameters (and, optionally, a subset for others)
     * @return the sampler
     */
    public static GridSampler of(long seed, Map<String, List<?>> explicit) {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        explicit.forEach((k, v) -> copy.put(k, List.copyOf(v.stream().map(x -> x instanceof Integer i
                ? (Object) i.longValue() : x).toList())));
        return new GridSampler(copy, seed);
    }

    /**
     * Makes a grid over every categorical and integer parameter's values.
     *
     * @param seed orders the visits
     * @return the sampler
     */
    public static GridSampler of(long seed) {
        return of(seed, Map.of());
    }

    /**
     * Returns every point of the grid for a space, in visiting order.
     *
     * @param space the space
     * @return the points
     * @throws InvalidArgumentException if a real parameter has no values, a value is outside its distribution, or the
     *     grid is too large
     */
    public synchronized List<Map<String, Object>> points(SearchSpace space) {
        if (grid == null || !space.equals(gridSpace)) {
            List<Map<String, Object>> all = new ArrayList<>();
            expand(space, 0, new LinkedHashMap<>(), all);
            Collections.shuffle(all, new Random(seed));
            grid = List.copyOf(all);
            gridSpace = space;
        }
        return grid;
    }

    private void expand(SearchSpace space, int index, Map<String, Object> current, List<Map<String, Object>> out) {
        if (index == space.params().size()) {
            if (out.size() >= MAX_POINTS) {
                throw new InvalidArgumentException("the grid has more than " + MAX_POINTS + " points");
            }
            out.add(Collections.unmodifiableMap(new LinkedHashMap<>(current)));
            return;
        }
        SearchSpace.Param p = space.params().get(index);
        if (!space.isActive(p, current)) {
            expand(space, index + 1, current, out);
            return;
        }
        for (Object v : valuesOf(p)) {
            current.put(p.name(), v);
            expand(space, index + 1, current, out);
            current.remove(p.name());
        }
    }

    private List<Object> valuesOf(SearchSpace.Param p) {
        List<Object> given = values.get(p.name());
        if (given != null) {
            for (Object v : given) {
                Object value = p.distribution() instanceof Distribution.FloatRange && v instanceof Number n
                        ? (Object) n.doubleValue() : v;
                if (!p.distribution().contains(value)) {
                    throw new InvalidArgumentException("grid value " + v + " of '" + p.name() + "' is outside "
                            + p.distribution());
                }
            }
            return given.stream().map(v -> p.distribution() instanceof Distribution.FloatRange && v instanceof Number n
                    ? (Object) n.doubleValue() : v).toList();
        }
        if (p.distribution() instanceof Distribution.Categorical c) {
            return c.choices();
        }
        if (p.distribution() instanceof Distribution.IntRange r && r.size() <= MAX_INT_VALUES) {
            List<Object> out = new ArrayList<>();
            for (long v = r.low(); v <= r.high(); v += r.step()) {
                out.add(v);
            }
            return out;
        }
        throw new InvalidArgumentException("the grid needs explicit values for parameter '" + p.name() + "' ("
                + p.distribution() + ")");
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Direction> directions, List<FrozenTrial> trials) {
        Set<Map<String, Object>> used = used(trials);
        for (Map<String, Object> point : points(space)) {
            if (!used.contains(point)) {
                return point;
            }
        }
        throw new IllegalStateException("the grid is covered; the study should have stopped");
    }

    @Override
    public boolean exhausted(SearchSpace space, List<FrozenTrial> trials) {
        return used(trials).containsAll(points(space));
    }

    private static Set<Map<String, Object>> used(List<FrozenTrial> trials) {
        Set<Map<String, Object>> used = new HashSet<>();
        for (FrozenTrial t : trials) {
            used.add(t.params());
        }
        return used;
    }

    @Override
    public String toString() {
        return "GridSampler" + (values.isEmpty() ? "" : Arrays.asList(values.keySet()));
    }
}
