package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.AlreadyExistsException;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.ModelUri;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.PromptUri;
import dev.mlops.api.RunUri;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.spi.DatasetRef;
import dev.mlops.api.spi.ModelPromoter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The behaviour every registry backend must have; SQLite and PostgreSQL run the same tests. */
abstract class RegistryContractTest {
    @TempDir
    Path dir;

    Registry registry;
    final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, List<DatasetRef>> runInputs = new java.util.concurrent.ConcurrentHashMap<>();

    /** Opens a fresh registry storing packages under the given directory. */
    abstract Registry.Builder builder(Path packages);

    @BeforeEach
    void open() {
        registry = builder(dir.resolve("packages")).actor("alice")
                .lineage(run -> runInputs.getOrDefault(run.runId(), List.of())).build();
        registry.addListener(events::add);
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private int packageCounter;

    ModelPackage pkg(double auc, Signature signature) {
        ModelPackage.Builder b = ModelPackage.builder().tribuo(Models.logistic(packageCounter))
                .metrics(Map.of("auc", auc));
        if (signature != null) {
            b.signature(signature);
        }
        return b.build(dir.resolve("build-" + packageCounter++));
    }

    ModelPackage pkg(double auc) {
        return pkg(auc, null);
    }

    private long storedPackages() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("packages"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    // ---------------------------------------------------------------- models and versions

    @Test
    void versionsIncrementAndResolveByNumberAliasAndLatest() {
        ModelVersion v1 = registry.register("churn", pkg(0.9));
        ModelVersion v2 = registry.register("churn", pkg(0.95), RunUri.parse("runs:/abc123/model"));
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals("alice", v2.createdBy());
        assertEquals(RunUri.parse("runs:/abc123/model"), v2.source());
        assertEquals(0.95, v2.metrics().get("auc"));
        assertEquals(List.of("f0", "f1", "f2"), v2.signature().inputs().names());
        registry.setAlias("churn", "challenger", 1);
        assertEquals(1, registry.resolve(ModelUri.parse("models:/churn@challenger")).version());
        assertEquals(2, registry.resolve(ModelUri.parse("models:/churn/latest")).version());
        assertEquals(1, registry.resolve(ModelUri.parse("models:/churn/1")).version());
        ModelPackage loaded = registry.load(ModelUri.parse("models:/churn@challenger"));
        assertEquals(v1.packageDigest(), loaded.digest());
        assertTrue(loaded.directory().startsWith(dir.resolve("packages")));
        assertEquals(Map.of("challenger", 1L), registry.getModel("churn").aliases());
        assertEquals(2, registry.getModel("churn").latestVersion());
        assertEquals(List.of(2L, 1L), registry.versions("churn").stream().map(ModelVersion::version).toList());

        NotFoundException noAlias = assertThrows(NotFoundException.class,
                () -> registry.resolve(ModelUri.parse("models:/churn@champion")));
        assertTrue(noAlias.getMessage().contains("challenger"), noAlias.getMessage());
        assertThrows(NotFoundException.class, () -> registry.resolve(ModelUri.parse("models:/churn/7")));
        assertThrows(NotFoundException.class, () -> registry.resolve(ModelUri.parse("models:/nope/1")));
    }

    @Test
    void aliasesMoveAtomicallyAndFollowDeletion() throws Exception {
        registry.register("m", pkg(0.9));
        registry.register("m", pkg(0.9));
        registry.setAlias("m", "champion", 1);
        registry.setAlias("m", "champion", 2);
        assertEquals(2, registry.resolve(ModelUri.ofAlias("m", "champion")).version());
        assertEquals(List.of("champion"), registry.getVersion("m", 2).aliases());
        assertEquals(2, storedPackages());
        registry.deleteVersion("m", 2);
        assertEquals(Map.of(), registry.getModel("m").aliases(), "deleting a version removes its aliases");
        assertThrows(NotFoundException.class, () -> registry.resolve(ModelUri.ofAlias("m", "champion")));
        assertEquals(1, storedPackages(), "the deleted version's package is removed");
        assertEquals(3, registry.register("m", pkg(0.9)).version(), "version numbers are never reused");
        assertEquals(3, registry.getModel("m").latestVersion());
    }

    @Test
    void sameContentIsStoredOnceAndKeptWhileReferenced() throws Exception {
        ModelPackage shared = pkg(0.9);
        registry.register("a", shared);
        registry.register("b", shared);
        assertEquals(1, storedPackages());
        registry.deleteModel("a");
        assertEquals(1, storedPackages(), "model b still uses the package");
        assertEquals(shared.digest(), registry.load(ModelUri.ofVersion("b", 1)).digest());
        registry.deleteModel("b");
        assertEquals(0, storedPackages());
        assertThrows(NotFoundException.class, () -> registry.getModel("b"));
        assertFalse(registry.auditLog("b").isEmpty(), "the audit log outlives the model");
    }

    @Test
    void modelsHaveDescriptionsTagsAndSearch() {
        registry.createModel("fraud-detector", "finds fraud");
        assertThrows(AlreadyExistsException.class, () -> registry.createModel("fraud-detector", null));
        registry.register("fraud-detector", pkg(0.9));
        registry.register("churn", pkg(0.9));
        registry.setModelTag("fraud-detector", "team", "risk");
        registry.setModelTag("churn", "team", "growth");
        registry.setModelDescription("churn", "who leaves");
        registry.setVersionTag("churn", 1, "validation", "passed");
        registry.setVersionDescription("churn", 1, "first cut");
        assertEquals("who leaves", registry.getModel("churn").description());
        assertEquals("first cut", registry.getVersion("churn", 1).description());
        assertEquals(List.of("fraud-detector"), registry.searchModels("%", Map.of("team", "risk")).stream()
                .map(RegisteredModel::name).toList());
        assertEquals(List.of("churn", "fraud-detector"), registry.searchModels("%r%", Map.of()).stream()
                .map(RegisteredModel::name).toList());
        assertEquals(1, registry.searchVersions("churn", Map.of("validation", "passed")).size());
        assertEquals(0, registry.searchVersions("churn", Map.of("validation", "failed")).size());
        registry.deleteVersionTag("churn", 1, "validation");
        registry.deleteModelTag("churn", "team");
        assertEquals(Map.of(), registry.getVersion("churn", 1).tags());
        assertEquals(Map.of(), registry.getModel("churn").tags());
        assertThrows(NotFoundException.class, () -> registry.setModelTag("nope", "k", "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/b", "a\\b", "x@y", "bad\u0000name", ".", "..", " padded "})
    void hostileModelNamesAreRejected(String name) {
        assertThrows(InvalidArgumentException.class, () -> registry.register(name, pkg(0.9)));
        assertThrows(InvalidArgumentException.class, () -> registry.createModel(name, null));
    }

    @Test
    void aliasesAreValidatedAsMlflowDoes() {
        registry.register("m", pkg(0.9));
        for (String alias : List.of("latest", "v1", "V23", "has space", "", "a/b")) {
            assertThrows(InvalidArgumentException.class, () -> registry.setAlias("m", alias, 1), alias);
        }
    }

    // ---------------------------------------------------------------- governance

    @Test
    void approvalPolicyNeedsSomeoneElseToApprove() {
        registry.register("churn", pkg(0.95));
        registry.setPolicy("churn", "champion", AliasPolicy.none().withApproval());
        PolicyViolationException direct = assertThrows(PolicyViolationException.class,
                () -> registry.setAlias("churn", "champion", 1));
        assertTrue(direct.getMessage().contains("approval"), direct.getMessage());

        ApprovalRequest request = registry.requestAliasChange("churn", "champion", 1, "best AUC so far");
        assertEquals(ApprovalStatus.PENDING, request.status());
        assertThrows(ConflictException.class, () -> registry.approve(request.id(), "looks fine"),
                "the requester cannot approve their own request");
        ApprovalRequest approved = registry.withActor("bob").approve(request.id(), "checked the card");
        assertEquals(ApprovalStatus.APPROVED, approved.status());
        assertEquals("bob", approved.decidedBy());
        assertEquals(1, registry.resolve(ModelUri.ofAlias("churn", "champion")).version());
        assertThrows(ConflictException.class, () -> registry.withActor("carol").approve(request.id(), "again"));

        registry.register("churn", pkg(0.96));
        ApprovalRequest second = registry.requestAliasChange("churn", "champion", 2, "newer");
        ApprovalRequest rejected = registry.withActor("bob").reject(second.id(), "not yet");
        assertEquals(ApprovalStatus.REJECTED, rejected.status());
        assertEquals(1, registry.resolve(ModelUri.ofAlias("churn", "champion")).version());
        assertEquals(1, registry.approvals("churn", ApprovalStatus.REJECTED).size());
        assertEquals(2, registry.approvals("churn", null).size());
    }

    @Test
    void metricAndSignaturePoliciesListEveryViolation() {
        Signature narrow = new Signature(Schema.of(Field.required("f0", DataType.DOUBLE),
                Field.required("f1", DataType.DOUBLE), Field.required("f2", DataType.DOUBLE)),
                Schema.of(Field.required("label", DataType.STRING)));
        Signature changed = new Signature(Schema.of(Field.required("f0", DataType.STRING),
                Field.required("f1", DataType.DOUBLE), Field.required("f2", DataType.DOUBLE),
                Field.required("extra", DataType.DOUBLE)), Schema.of(Field.required("label", DataType.STRING)));
        registry.register("m", pkg(0.95, narrow));
        registry.register("m", pkg(0.85, changed));
        registry.register("m", pkg(0.93, narrow));
        registry.setPolicy("m", "champion", AliasPolicy.none().withMinimum("auc", 0.9).withMaximum("latency_ms", 10)
                .withCompatibleSignature());
        assertEquals(0.9, registry.policy("m", "champion").minimumMetrics().get("auc"));
        PolicyViolationException first = assertThrows(PolicyViolationException.class,
                () -> registry.setAlias("m", "champion", 1));
        assertEquals(1, first.violations().size(), "latency_ms is not recorded: " + first.violations());
        registry.setPolicy("m", "champion", AliasPolicy.none().withMinimum("auc", 0.9).withCompatibleSignature());
        registry.setAlias("m", "champion", 1);
        PolicyViolationException e = assertThrows(PolicyViolationException.class,
                () -> registry.setAlias("m", "champion", 2));
        assertEquals(3, e.violations().size(), e.violations().toString());
        assertTrue(e.getMessage().contains("0.85"), e.getMessage());
        assertTrue(e.getMessage().contains("'f0'") && e.getMessage().contains("'extra'"), e.getMessage());
        registry.setAlias("m", "champion", 3);
        assertEquals(3, registry.resolve(ModelUri.ofAlias("m", "champion")).version());
    }

    @Test
    void promotionFollowsThePolicy() {
        registry.register("m", pkg(0.8));
        registry.register("m", pkg(0.95));
        registry.setPolicy("m", "champion", AliasPolicy.none().withMinimum("auc", 0.9));
        ModelPromoter promoter = registry;
        var refused = promoter.promote(new ModelPromoter.PromotionRequest("m", 1, "champion", "retrainer",
                "drift on age", Map.of("accuracy", 0.8)));
        assertEquals(ModelPromoter.Outcome.REFUSED, refused.outcome());
        assertTrue(refused.detail().contains("0.8"), refused.detail());
        var promoted = promoter.promote(new ModelPromoter.PromotionRequest("m", 2, "champion", "retrainer",
                "drift on age", Map.of("accuracy", 0.93)));
        assertEquals(ModelPromoter.Outcome.PROMOTED, promoted.outcome());
        assertEquals(2, registry.resolve(ModelUri.ofAlias("m", "champion")).version());
        registry.setPolicy("m", "champion", AliasPolicy.none().withApproval());
        var pending = promoter.promote(new ModelPromoter.PromotionRequest("m", 1, "champion", "retrainer", "rollback",
                Map.of()));
        assertEquals(ModelPromoter.Outcome.APPROVAL_REQUESTED, pending.outcome());
        assertEquals("retrainer", registry.approval(pending.approvalRequestId()).requestedBy());
    }

    // ---------------------------------------------------------------- audit, events, lineage

    @Test
    void everyMutationIsAuditedWithActorBeforeAndAfter() {
        registry.register("m", pkg(0.9));
        registry.register("m", pkg(0.9));
        registry.setAlias("m", "champion", 1);
        registry.withActor("bob").setAlias("m", "champion", 2);
        registry.setModelTag("m", "team", "risk");
        registry.setModelTag("m", "team", "fraud");
        List<AuditEntry> log = registry.auditLog("m");
        assertEquals(List.of("MODEL_CREATED", "VERSION_CREATED", "VERSION_CREATED", "ALIAS_SET", "ALIAS_SET", "TAG_SET",
                "TAG_SET"), log.stream().map(AuditEntry::action).toList());
        AuditEntry move = log.get(4);
        assertEquals("bob", move.actor());
        assertTrue(move.before().contains("\"version\":1") && move.after().contains("\"version\":2"),
                move.before() + " -> " + move.after());
        assertTrue(log.get(6).before().contains("risk") && log.get(6).after().contains("fraud"));
        for (int i = 1; i < log.size(); i++) {
            assertTrue(log.get(i).id() > log.get(i - 1).id());
        }
    }

    @Test
    void listenersHearCommittedChangesAndCannotBreakThem() {
        registry.addListener(e -> {
            throw new IllegalStateException("listener down");
        });
        registry.register("m", pkg(0.9));
        registry.setAlias("m", "champion", 1);
        List<RegistryEvent.Type> types = events.stream().map(RegistryEvent::type).toList();
        assertEquals(List.of(RegistryEvent.Type.VERSION_CREATED, RegistryEvent.Type.ALIAS_SET), types);
        assertEquals("champion", events.get(1).alias());
        assertEquals(1, registry.resolve(ModelUri.ofAlias("m", "champion")).version());
    }

    @Test
    void lineageReachesFromVersionToDataAndBack() {
        DatasetRef train = new DatasetRef("customers", "c".repeat(64), "training");
        DatasetRef eval = new DatasetRef("customers", "d".repeat(64), "evaluation");
        runInputs.put("run42", List.of(train, eval));
        ModelVersion v = registry.register("churn", pkg(0.9), RunUri.parse("runs:/run42/model"));
        registry.register("other", pkg(0.9));
        Lineage lineage = registry.lineage("churn", v.version());
        assertEquals(RunUri.parse("runs:/run42/model"), lineage.source());
        assertEquals(Set.of(train, eval), new HashSet<>(lineage.datasets()));
        assertEquals(List.of("churn"), registry.versionsTrainedOn("c".repeat(64)).stream().map(ModelVersion::name)
                .toList());
        assertEquals(List.of(), registry.versionsTrainedOn("e".repeat(64)));
    }

    // ---------------------------------------------------------------- failure and concurrency

    @Test
    void aRegistrationThatFailsHalfWayLeavesNothing() throws Exception {
        ModelPackage good = pkg(0.9);
        registry.register("m", good);
        ModelPackage doomed = pkg(0.9);
        Files.delete(doomed.file("provenance.json"));
        assertThrows(RuntimeException.class, () -> registry.register("m", doomed));
        assertEquals(1, registry.versions("m").size(), "no version appears");
        try (Stream<Path> s = Files.list(dir.resolve("packages"))) {
            assertEquals(List.of(good.digest()), s.map(p -> p.getFileName().toString()).toList(),
                    "no copied file stays behind");
        }
        assertEquals(List.of("MODEL_CREATED", "VERSION_CREATED"), registry.auditLog("m").stream()
                .map(AuditEntry::action).toList());
    }

    @Test
    void concurrentRegistrationsGetDistinctVersions() throws Exception {
        int threads = 4;
        int each = 3;
        List<ModelPackage> packages = new ArrayList<>();
        for (int i = 0; i < threads * each; i++) {
            packages.add(pkg(0.9));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        versions.add(registry.register("shared", packages.get(thread * each + i)).version());
                    }
                    return versions;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertEquals(threads * each, all.size());
            assertEquals(Set.copyOf(java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList()), all);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownThingsAreNotFound() {
        assertThrows(NotFoundException.class, () -> registry.getVersion("nope", 1));
        assertThrows(NotFoundException.class, () -> registry.approval("missing"));
        assertThrows(NotFoundException.class, () -> registry.deleteVersion("nope", 1));
        registry.register("m", pkg(0.9));
        assertThrows(NotFoundException.class, () -> registry.deleteAlias("m", "champion"));
        assertThrows(NotFoundException.class, () -> registry.setAlias("m", "champion", 9));
        assertNull(registry.getVersion("m", 1).description());
    }

    // ---------------------------------------------------------------- prompts

    @Test
    void promptVersionsAreNumberedImmutableAndResolvedByAlias() {
        Prompts prompts = registry.prompts();
        PromptVersion v1 = prompts.register("summarize", PromptTemplate.text("Summarize: {{doc}}"), "first draft");
        PromptVersion v2 = prompts.register("summarize", PromptTemplate.text("Summarize in {{words}} words: {{doc}}"),
                "word limit", Map.of("author_team", "search"));
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals("alice", v2.createdBy());
        assertEquals("word limit", v2.commitMessage());
        assertEquals(Map.of("author_team", "search"), v2.tags());
        assertEquals(PromptUri.ofVersion("summarize", 2), v2.uri());
        prompts.setAlias("summarize", "production", 1);
        assertEquals("Summarize: report", prompts.load("prompts:/summarize@production")
                .render(Map.of("doc", "report")));
        assertEquals(2, prompts.load("prompts:/summarize/latest").version());
        assertEquals("Summarize in 5 words: r", prompts.load(PromptUri.ofVersion("summarize", 2))
                .render(Map.of("doc", "r", "words", 5)));
        prompts.setAlias("summarize", "production", 2);
        assertEquals(2, prompts.load("prompts:/summarize@production").version(), "local alias moves are seen at once");
        assertEquals(List.of("production"), prompts.version("summarize", 2).aliases());
        assertEquals(Map.of("production", 2L), prompts.get("summarize").aliases());
        InvalidArgumentException missing = assertThrows(InvalidArgumentException.class,
                () -> prompts.load("prompts:/summarize@production").render(Map.of("doc", "x")));
        assertTrue(missing.getMessage().contains("[words]"), missing.getMessage());
        assertEquals(List.of(1L, 2L), prompts.versions("summarize").stream().map(PromptVersion::version).toList());
    }

    @Test
    void identicalTemplatesShareADigestAndStillGetNewVersions() {
        Prompts prompts = registry.prompts();
        PromptVersion a = prompts.register("p", PromptTemplate.text("Hi {{n}}"), null);
        PromptVersion b = prompts.register("p", PromptTemplate.text("Hi {{n}}"), "same again");
        PromptVersion c = prompts.register("p", PromptTemplate.chat(List.of(new ChatMessage("user", "Hi {{n}}"))), null);
        assertEquals(a.digest(), b.digest());
        assertFalse(a.digest().equals(c.digest()), "a chat template differs from a text one");
        assertEquals(3, c.version());
        assertEquals(List.of(new ChatMessage("user", "Hi Al")), prompts.version("p", 3).template()
                .renderChat(Map.of("n", "Al")));
        assertTrue(prompts.version("p", 3).template().isChat(), "chat templates survive the round trip");
    }

    @Test
    void deletedPromptVersionNumbersAreNotReused() {
        Prompts prompts = registry.prompts();
        prompts.register("p", PromptTemplate.text("one"), null);
        prompts.register("p", PromptTemplate.text("two"), null);
        prompts.setAlias("p", "live", 2);
        prompts.deleteVersion("p", 2);
        assertTrue(prompts.get("p").aliases().isEmpty(), "aliases on a deleted version go with it");
        assertThrows(NotFoundException.class, () -> prompts.load("prompts:/p@live"));
        assertEquals(3, prompts.register("p", PromptTemplate.text("three"), null).version());
        assertEquals(List.of(1L, 3L), prompts.versions("p").stream().map(PromptVersion::version).toList());
        assertEquals(3, prompts.get("p").latestVersion());
    }

    @Test
    void promptChangesAreAuditedApartFromModels() {
        Prompts prompts = registry.prompts();
        registry.register("shared-name", pkg(0.9));
        prompts.register("shared-name", PromptTemplate.text("x {{y}}"), "init");
        prompts.setAlias("shared-name", "live", 1);
        prompts.setVersionTag("shared-name", 1, "reviewed", "yes");
        registry.prompts().setTag("shared-name", "team", "search");
        prompts.setDescription("shared-name", "greeting");
        registry.withActor("bob").prompts().deleteAlias("shared-name", "live");
        prompts.deleteVersionTag("shared-name", 1, "reviewed");
        List<AuditEntry> log = prompts.auditLog("shared-name");
        assertEquals(List.of("PROMPT_CREATED", "PROMPT_VERSION_CREATED", "PROMPT_ALIAS_SET", "PROMPT_VERSION_TAG_SET",
                "PROMPT_TAG_SET", "PROMPT_DESCRIPTION_SET", "PROMPT_ALIAS_DELETED", "PROMPT_VERSION_TAG_DELETED"),
                log.stream().map(AuditEntry::action).toList());
        assertTrue(log.stream().allMatch(e -> e.subject() == AuditEntry.Subject.PROMPT));
        assertEquals("bob", log.get(6).actor());
        assertTrue(log.get(1).after().contains("\"variables\":[\"y\"]"), log.get(1).after());
        assertTrue(registry.auditLog("shared-name").stream().allMatch(e -> e.subject() == AuditEntry.Subject.MODEL));
        assertEquals("VERSION_CREATED", registry.auditLog("shared-name").get(1).action());
        prompts.delete("shared-name");
        assertThrows(NotFoundException.class, () -> prompts.get("shared-name"));
        assertEquals("PROMPT_DELETED", prompts.auditLog("shared-name").get(8).action());
        assertEquals(1, registry.getModel("shared-name").latestVersion(), "the model of the same name is untouched");
        assertEquals(1, prompts.register("shared-name", PromptTemplate.text("again"), null).version(),
                "a recreated prompt starts again at 1");
    }

    @Test
    void badPromptInputIsRefusedAndNothingIsStored() {
        Prompts prompts = registry.prompts();
        assertThrows(InvalidArgumentException.class, () -> prompts.register("../etc", PromptTemplate.text("x"), null));
        assertThrows(InvalidArgumentException.class, () -> prompts.register("a/b", PromptTemplate.text("x"), null));
        assertThrows(InvalidArgumentException.class,
                () -> prompts.register("p", PromptTemplate.text("x"), "m".repeat(5001)));
        assertThrows(InvalidArgumentException.class,
                () -> prompts.register("p", PromptTemplate.text("x"), null, Map.of("", "v")));
        assertTrue(prompts.search("%").isEmpty(), "nothing was created by the refused registrations");
        prompts.register("p", PromptTemplate.text("x"), null);
        assertThrows(InvalidArgumentException.class, () -> prompts.setAlias("p", "latest", 1));
        assertThrows(NotFoundException.class, () -> prompts.setAlias("p", "live", 7));
        assertThrows(NotFoundException.class, () -> prompts.setAlias("nope", "live", 1));
        assertThrows(NotFoundException.class, () -> prompts.load("prompts:/p/9"));
        assertThrows(NotFoundException.class, () -> prompts.load("prompts:/nope/latest"));
        assertThrows(NotFoundException.class, () -> prompts.deleteAlias("p", "live"));
        assertThrows(InvalidArgumentException.class, () -> prompts.load("models:/p/1"));
        assertThrows(AlreadyExistsException.class, () -> prompts.create("p", null));
        assertEquals(1, prompts.auditLog("p").stream().filter(e -> e.action().equals("PROMPT_VERSION_CREATED")).count());
    }

    @Test
    void concurrentPromptRegistrationsGetDistinctVersions() throws Exception {
        int threads = 4;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        versions.add(registry.prompts().register("busy", PromptTemplate.text("t" + thread + "-" + i),
                                null).version());
                    }
                    return versions;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertEquals(Set.copyOf(java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList()), all);
        } finally {
            pool.shutdownNow();
        }
    }
}
