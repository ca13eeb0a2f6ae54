package dev.mlops.api.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private static final SearchSpace SPACE = SearchSpace.builder()
            .categorical("model", "linear", "tree")
            .when("model", "linear", s -> s.logUniform("lr", 1e-4, 1))
            .when("model", "tree", s -> s.integer("depth", 2, 10, 2))
            .uniform("x", 0, 1, 0.1)
            .build();

    @Test
    void validatesAssignmentsAgainstConditionsAndDistributions() {
        SPACE.validate(Map.of("model", "linear", "lr", 0.01, "x", 0.3));
        SPACE.validate(Map.of("model", "tree", "depth", 4L, "x", 1.0));
        assertMessage("'lr' is active but has no value", () -> SPACE.validate(Map.of("model", "linear", "x", 0.1)));
        assertMessage("'depth' is inactive", () -> SPACE.validate(Map.of("model", "linear", "lr", 0.1, "depth", 4L,
                "x", 0.1)));
        assertMessage("value 3 of parameter 'depth'", () -> SPACE.validate(Map.of("model", "tree", "depth", 3L,
                "x", 0.1)));
        assertMessage("value 0.35 of parameter 'x'", () -> SPACE.validate(Map.of("model", "tree", "depth", 4L,
                "x", 0.35)));
        assertMessage("'y' is not in the search space", () -> SPACE.validate(Map.of("model", "tree", "depth", 4L,
                "x", 0.1, "y", 1.0)));
    }

    @Test
    void badDefinitionsAreRefusedNamingTheValue() {
        assertMessage("'a b'", () -> SearchSpace.builder().uniform("a b", 0, 1));
        assertMessage("[1.0, 0.0]", () -> SearchSpace.builder().uniform("a", 1, 0));
        assertMessage("positive lower bound", () -> SearchSpace.builder().logUniform("a", 0, 1));
        assertMessage("NaN", () -> SearchSpace.builder().uniform("a", Double.NaN, 1));
        assertMessage("defined twice", () -> SearchSpace.builder().uniform("a", 0, 1).integer("a", 0, 1));
        assertMessage("appears twice", () -> SearchSpace.builder().categorical("c", "x", "x"));
        assertMessage("differ as text", () -> SearchSpace.builder().categorical("c", 1, "1"));
        assertMessage("not categorical", () -> SearchSpace.builder().uniform("a", 0, 1).when("a", 0.5, s -> { }));
        assertMessage("unknown parameter 'p'", () -> SearchSpace.builder().when("p", "x", s -> { }));
        assertMessage("not a choice", () -> SearchSpace.builder().categorical("c", "x").when("c", "y", s -> { }));
        assertMessage("at least one parameter", () -> SearchSpace.builder().build());
        assertMessage("Infinity", () -> SearchSpace.builder().categorical("c", Double.POSITIVE_INFINITY));
    }

    @Test
    void internalMappingRoundTripsEveryValueProperty() {
        long seed = Long.getLong("mlops.seed", 20261128L);
        Random random = new Random(seed);
        List<Distribution> distributions = List.of(new Distribution.FloatRange(-3, 7, false, 0),
                new Distribution.FloatRange(1e-5, 10, true, 0), new Distribution.FloatRange(0, 1, false, 0.125),
                new Distribution.IntRange(-5, 40, false, 3), new Distribution.IntRange(1, 5000, true, 1),
                new Distribution.Categorical(List.of("a", 2, 3.5, true)));
        for (Distribution d : distributions) {
            for (int i = 0; i < 500; i++) {
                double internal = -50 + 100 * random.nextDouble();
                Object value = d.fromInternal(internal);
                assertTrue(d.contains(value), "seed " + seed + ": " + d + " mapped " + internal + " to " + value);
                assertEquals(value, d.fromInternal(d.toInternal(value)), "seed " + seed + ": " + d + " " + value);
            }
        }
        assertEquals(2L, new Distribution.Categorical(List.of("a", 2)).choices().get(1), "ints become longs");
        assertFalse(new Distribution.IntRange(0, 10, false, 5).contains(3L));
        assertEquals(3L, new Distribution.IntRange(0, 10, false, 5).size());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable code) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, code);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
