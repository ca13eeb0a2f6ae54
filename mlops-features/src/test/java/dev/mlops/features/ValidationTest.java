package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile and malformed definitions are refused before they reach SQL, file names or keys. */
class ValidationTest {
    static final List<String> HOSTILE = List.of("", " ", "a b", "a;b", "a'b", "a\"b", "../x", "x/y", "x\\y", "a\u0000b",
            "DROP TABLE x;--", "x\ny", "é", "a-b", "a.b", "1abc", "_x", "x".repeat(64), "a*", "a:b", "a%b");

    @Test
    void definitionNamesAreWhitelisted() {
        for (String bad : HOSTILE) {
            assertThrows(InvalidArgumentException.class, () -> Entity.builder(bad).joinKey("id", DataType.LONG).build(),
                    bad);
            assertThrows(InvalidArgumentException.class, () -> FeatureView.builder(bad).entity("e")
                    .feature("x", DataType.DOUBLE).build(), bad);
            assertThrows(InvalidArgumentException.class, () -> FeatureService.builder(bad).view("v").build(), bad);
            assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e")
                    .feature(bad, DataType.DOUBLE).build(), bad);
            assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").joinKey(bad, DataType.LONG).build(),
                    bad);
        }
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("Upper").joinKey("id", DataType.LONG).build());
        assertEquals("MeanRadius", Feature.of("MeanRadius", DataType.DOUBLE).name(), "column names may use upper case");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> FeatureView.builder("v").entity("e").feature("a b", DataType.DOUBLE).build());
        assertTrue(e.getMessage().contains("'a b'") && e.getMessage().contains("letter"), e.getMessage());
    }

    @Test
    void definitionsRefuseWhatCannotWork() {
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").build(), "no join key");
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").joinKey("d", DataType.DOUBLE).build());
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e").build(), "no feature");
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").feature("x", DataType.LONG).build());
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e").ttl(Duration.ZERO)
                .feature("x", DataType.LONG).build());
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e").ttl(Duration.ofNanos(10))
                .feature("x", DataType.LONG).build());
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e")
                .feature("event_timestamp", DataType.LONG).build(), "a feature named like the timestamp column");
        assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v").entity("e")
                .source(Source.jdbc("jdbc:sqlite:x", "select 1")).feature("x", DataType.LONG).build());
        assertThrows(InvalidArgumentException.class, () -> FeatureService.builder("s").build(), "serves nothing");
        assertThrows(InvalidArgumentException.class, () -> FeatureService.builder("s").features("v", "x", "x").build());
        assertThrows(InvalidArgumentException.class, () -> FeatureRef.parse("no_colon"));
        assertThrows(InvalidArgumentException.class, () -> FeatureRef.parse("a:b:c"));
        assertThrows(InvalidArgumentException.class, () -> OnDemandTransform.builder("t").output("y", DataType.DOUBLE)
                .requestField("x", DataType.DOUBLE).build(), "no function");
        assertThrows(InvalidArgumentException.class, () -> OnDemandTransform.builder("t").requestField("x",
                DataType.DOUBLE).output("x", DataType.DOUBLE).compute((in, out) -> { }).build(), "output named like input");
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").joinKey("id", DataType.LONG)
                .description("x".repeat(5001)).build());
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").joinKey("id", DataType.LONG)
                .owner("o".repeat(257)).build());
        assertThrows(InvalidArgumentException.class, () -> Entity.builder("e").joinKey("id", DataType.LONG)
                .tag("", "v").build());
        assertThrows(InvalidArgumentException.class, () -> Aggregation.mean("x", Duration.ZERO));
        assertThrows(InvalidArgumentException.class, () -> Aggregation.mean("x", Duration.ofDays(1)).as("bad name"));
        assertThrows(InvalidArgumentException.class, () -> Source.csv(Path.of("x.csv"), 'a'));
        assertThrows(InvalidArgumentException.class, () -> TrainingOptions.defaults().withBatchSize(0));
        assertThrows(InvalidArgumentException.class, () -> TrainingOptions.defaults().withTimestampColumn("a;b"));
        assertThrows(InvalidArgumentException.class, () -> DefinitionQuery.all().limit(0));
        assertThrows(IllegalStateException.class, () -> FeatureStore.builder().batchSize(5).batchSize(6));
        assertThrows(InvalidArgumentException.class, () -> FeatureStore.builder().offlineMemoryLimit("1GB; DROP"));
        assertThrows(IllegalStateException.class, () -> FeatureStore.builder().build(), "no root");
    }

    @Test
    void namesOfAggregationsFollowTheirWindow() {
        assertEquals("amount_mean_7d", Aggregation.mean("amount", Duration.ofDays(7)).alias());
        assertEquals("amount_sum_12h", Aggregation.sum("amount", Duration.ofHours(12)).alias());
        assertEquals("count_90m", Aggregation.count(Duration.ofMinutes(90)).alias());
        assertEquals("x_max_45s", Aggregation.max("x", Duration.ofSeconds(45)).alias());
        assertEquals("x_min_1500us", Aggregation.min("x", Duration.ofNanos(1_500_000)).alias());
    }

    @Test
    void transformsCanBeTestedOnTheirOwn() {
        OnDemandTransform t = OnDemandTransform.builder("ratio").requestField("a", DataType.DOUBLE)
                .requestField("b", DataType.LONG).output("r", DataType.DOUBLE)
                .compute((in, out) -> out.set("r", in.getDouble("a") / in.getLong("b", 1))).build();
        assertEquals(Map.of("r", 2.5), t.apply(Map.of("a", 5.0, "b", 2L)));
        InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class, () -> OnDemandTransform
                .builder("bad").requestField("a", DataType.DOUBLE).output("r", DataType.DOUBLE)
                .compute((in, out) -> out.set("r", in.get("nope"))).build().apply(Map.of("a", 1.0)));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    }
}
