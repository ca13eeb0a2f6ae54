package dev.mlops.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every definitions backend must do; SQLite and PostgreSQL run the same tests. */
abstract class DefinitionsContractTest {
    @TempDir
    Path dir;

    final ManualTimeSource clock = new ManualTimeSource(Fixtures.T0);
    FeatureStore store;

    /** A builder for a store whose definitions live in this backend, with its offline files under {@code root}. */
    abstract FeatureStore.Builder builder(Path root);

    @BeforeEach
    void open() {
        store = builder(dir.resolve("a")).build();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private void basics() {
        store.apply(Fixtures.patient());
        store.apply(Fixtures.vitals(Duration.ofDays(1)));
    }

    @Test
    void applyingTheSameDefinitionKeepsItsVersionAndAChangeAddsOne() {
        Entity e = store.apply(Fixtures.patient());
        assertEquals(1, e.version());
        assertEquals(1, store.apply(Fixtures.patient()).version(), "an identical definition is not a new version");
        FeatureView v1 = store.apply(Fixtures.vitals(Duration.ofDays(1)));
        assertEquals(1, v1.version());
        FeatureView v2 = store.apply(v1.toBuilder().ttl(Duration.ofDays(2)).description("longer").build());
        assertEquals(2, v2.version());
        assertEquals(Duration.ofDays(2), store.featureView("vitals").ttl());
        assertEquals(Duration.ofDays(1), store.featureView("vitals", 1).ttl(), "old versions stay readable");
        List<DefinitionInfo> history = store.history(DefinitionKind.FEATURE_VIEW, "vitals");
        assertEquals(List.of(1, 2), history.stream().map(DefinitionInfo::version).toList());
        assertEquals("tester", history.get(1).createdBy());
        assertEquals("longer", history.get(1).description());
        assertEquals(Fixtures.vitals(Duration.ofDays(1)).features(), store.featureView("vitals", 1).features());
    }

    @Test
    void addingAFeatureWidensTheOfflineTable() {
        basics();
        FeatureView wider = store.apply(store.featureView("vitals").toBuilder().feature("spo2", DataType.DOUBLE).build());
        assertEquals(2, wider.version());
        Frame rows = Frame.builder().longs("patient_id", 1).timestamps("event_timestamp", Fixtures.T0)
                .timestamps("created", Fixtures.T0).doubles("heart_rate", 60).longs("visits", 1)
                .strings("note", "x").doubles("spo2", 0.97).build();
        assertEquals(1, store.write("vitals", rows));
        assertEquals(0.97, store.offlineRows("vitals").column("spo2").get(0));
    }

    @Test
    void incompatibleChangesAreRefusedAndNameTheDefinitionAndColumn() {
        basics();
        FeatureView v = store.featureView("vitals");
        ConflictException type = assertThrows(ConflictException.class, () -> store.apply(FeatureView.builder("vitals")
                .entity("patient").createdTimestampColumn("created").feature("heart_rate", DataType.STRING)
                .feature("visits", DataType.LONG).feature("note", DataType.STRING).build()));
        assertTrue(type.getMessage().contains("'vitals'") && type.getMessage().contains("'heart_rate'"),
                type.getMessage());
        store.apply(Entity.builder("ward").joinKey("ward_id", DataType.STRING).build());
        ConflictException entity = assertThrows(ConflictException.class,
                () -> store.apply(v.toBuilder().entity("ward").build()));
        assertTrue(entity.getMessage().contains("'ward'"), entity.getMessage());
        ConflictException ts = assertThrows(ConflictException.class,
                () -> store.apply(v.toBuilder().timestampColumn("measured_at").build()));
        assertTrue(ts.getMessage().contains("measured_at"), ts.getMessage());
        assertEquals(1, store.featureView("vitals").version(), "nothing changed");
    }

    @Test
    void unknownReferencesAreNotFoundAndNameWhatIsMissing() {
        NotFoundException noEntity = assertThrows(NotFoundException.class,
                () -> store.apply(Fixtures.vitals(Duration.ofDays(1))));
        assertTrue(noEntity.getMessage().contains("'patient'") && noEntity.getMessage().contains("'vitals'"),
                noEntity.getMessage());
        basics();
        NotFoundException noView = assertThrows(NotFoundException.class,
                () -> store.apply(FeatureService.builder("svc").view("nope").build()));
        assertTrue(noView.getMessage().contains("'nope'") && noView.getMessage().contains("'svc'"), noView.getMessage());
        NotFoundException noFeature = assertThrows(NotFoundException.class,
                () -> store.apply(FeatureService.builder("svc").features("vitals", "pulse").build()));
        assertTrue(noFeature.getMessage().contains("'pulse'"), noFeature.getMessage());
        NotFoundException noService = assertThrows(NotFoundException.class, () -> store.featureService("svc"));
        assertTrue(noService.getMessage().contains("'svc'"), noService.getMessage());
        NotFoundException noVersion = assertThrows(NotFoundException.class, () -> store.featureView("vitals", 7));
        assertTrue(noVersion.getMessage().contains("7"), noVersion.getMessage());
    }

    @Test
    void servicesExpandViewsAndAddTransformInputs() {
        basics();
        store.apply(OnDemandTransform.builder("hr_delta").input("vitals", "heart_rate")
                .requestField("hr_now", DataType.DOUBLE).output("hr_delta", DataType.DOUBLE)
                .compute((in, out) -> out.set("hr_delta", in.getDouble("hr_now") - in.getDouble("heart_rate"))).build());
        FeatureService all = store.apply(FeatureService.builder("all").view("vitals").build());
        assertEquals(List.of("vitals:heart_rate", "vitals:visits", "vitals:note"),
                all.features().stream().map(FeatureRef::toString).toList());
        FeatureService s = store.apply(FeatureService.builder("delta").features("vitals", "note").transform("hr_delta")
                .build());
        assertEquals(List.of("vitals:note", "vitals:heart_rate"), s.features().stream().map(FeatureRef::toString).toList());
        assertEquals(s.features(), store.featureService("delta").features());
        ConflictException drop = assertThrows(ConflictException.class, () -> store.apply(FeatureView.builder("vitals")
                .entity("patient").createdTimestampColumn("created").ttl(Duration.ofDays(1))
                .feature("visits", DataType.LONG).feature("note", DataType.STRING).build()));
        assertTrue(drop.getMessage().contains("'heart_rate'"), drop.getMessage());
    }

    @Test
    void searchFindsDefinitionsByNameTextTagOwnerEntityAndColumn() {
        basics();
        store.apply(Entity.builder("ward").joinKey("ward_id", DataType.STRING).owner("ops").build());
        store.apply(FeatureView.builder("ward_load").entity("ward").feature("beds_used", DataType.LONG).owner("ops")
                .description("Occupancy of each ward").tag("team", "ops").build());
        store.apply(FeatureService.builder("triage").view("vitals").owner("oncology").tag("team", "oncology").build());
        assertEquals(Set.of("feature_view:vitals", "feature_view:ward_load"),
                names(store.search(DefinitionQuery.all().kind(DefinitionKind.FEATURE_VIEW))));
        assertEquals(Set.of("feature_view:ward_load"), names(store.search(DefinitionQuery.all().nameContains("LOAD"))));
        assertEquals(Set.of("feature_view:ward_load"), names(store.search(DefinitionQuery.all().text("occupancy"))));
        assertEquals(Set.of("entity:patient", "feature_view:vitals", "feature_service:triage"),
                names(store.search(DefinitionQuery.all().tag("team", "oncology"))));
        assertEquals(Set.of("entity:ward", "feature_view:ward_load"), names(store.search(DefinitionQuery.all().owner("ops"))));
        assertEquals(Set.of("feature_view:vitals", "feature_service:triage"),
                names(store.search(DefinitionQuery.all().entity("patient"))));
        assertEquals(Set.of("feature_view:vitals", "feature_service:triage"),
                names(store.search(DefinitionQuery.all().column("heart_rate"))));
        assertEquals(1, store.search(DefinitionQuery.all().limit(1)).size());
        assertTrue(store.search(DefinitionQuery.all().nameContains("%")).isEmpty(), "LIKE wildcards are literal");
        DefinitionInfo info = store.search(DefinitionQuery.all().kind(DefinitionKind.FEATURE_VIEW).nameContains("vitals"))
                .get(0);
        assertEquals("patient", info.entity());
        assertEquals(List.of("entity:patient"), info.references());
        assertEquals(64, info.specSha256().length());
    }

    private static Set<String> names(List<DefinitionInfo> found) {
        return found.stream().map(d -> d.kind().key() + ":" + d.name()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void deletionIsRefusedWhileUsedAndKeepsTheHistory() {
        basics();
        store.apply(FeatureService.builder("triage").view("vitals").build());
        ConflictException used = assertThrows(ConflictException.class, () -> store.delete(DefinitionKind.ENTITY, "patient"));
        assertTrue(used.getMessage().contains("feature_view:vitals"), used.getMessage());
        ConflictException viewUsed = assertThrows(ConflictException.class,
                () -> store.delete(DefinitionKind.FEATURE_VIEW, "vitals"));
        assertTrue(viewUsed.getMessage().contains("feature_service:triage"), viewUsed.getMessage());
        store.delete(DefinitionKind.FEATURE_SERVICE, "triage");
        store.delete(DefinitionKind.FEATURE_VIEW, "vitals");
        assertThrows(NotFoundException.class, () -> store.featureView("vitals"));
        assertThrows(NotFoundException.class, () -> store.delete(DefinitionKind.FEATURE_VIEW, "vitals"));
        assertEquals(1, store.history(DefinitionKind.FEATURE_VIEW, "vitals").size());
        assertFalse(names(store.search(DefinitionQuery.all())).contains("feature_view:vitals"));
        // Re-created with another type: the old rows were dropped with the view, so nothing conflicts.
        FeatureView again = store.apply(FeatureView.builder("vitals").entity("patient").feature("heart_rate",
                DataType.STRING).build());
        assertEquals(2, again.version(), "versions continue after a deletion");
    }

    @Test
    void anotherStoreOnTheSameDefinitionsSeesThem() {
        basics();
        try (FeatureStore other = builder(dir.resolve("b")).build()) {
            assertEquals(store.featureView("vitals"), other.featureView("vitals"));
            other.apply(FeatureService.builder("triage").view("vitals").build());
        }
        assertEquals(1, store.featureService("triage").version());
    }

    @Test
    void concurrentWritersGetDistinctConsecutiveVersions() throws Exception {
        basics();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String description = "writer " + w;
                versions.add(pool.submit(() -> store.apply(store.featureView("vitals").toBuilder()
                        .description(description).build()).version()));
            }
            Set<Integer> seen = new TreeSet<>();
            for (Future<Integer> f : versions) {
                seen.add(f.get());
            }
            assertEquals(writers, seen.size(), "every writer got a version of its own: " + seen);
        } finally {
            pool.shutdownNow();
        }
        List<Integer> history = store.history(DefinitionKind.FEATURE_VIEW, "vitals").stream()
                .map(DefinitionInfo::version).toList();
        assertEquals(writers + 1, history.size());
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i + 1, history.get(i));
        }
    }

    @Test
    void duplicateAndCollidingColumnsAreRefusedBeforeAnythingIsStored() {
        store.apply(Fixtures.patient());
        InvalidArgumentException dup = assertThrows(InvalidArgumentException.class, () -> FeatureView.builder("v")
                .entity("patient").feature("x", DataType.DOUBLE).feature("X", DataType.LONG).build());
        assertTrue(dup.getMessage().contains("'X'") && dup.getMessage().contains("'v'"), dup.getMessage());
        InvalidArgumentException key = assertThrows(InvalidArgumentException.class, () -> store.apply(
                FeatureView.builder("v").entity("patient").feature("patient_id", DataType.LONG).build()));
        assertTrue(key.getMessage().contains("'patient_id'"), key.getMessage());
        assertThrows(NotFoundException.class, () -> store.featureView("v"));
    }
}
