package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.ConflictException;
import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.MetricPoint;
import dev.mlops.api.spi.MetricSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every tracking store must have. Subclasses open the store on one backend; SQLite and PostgreSQL run
 * the same tests.
 */
abstract class TrackingContractTest {
    @TempDir
    Path dir;

    Tracking tracking;

    /** Opens a fresh, empty store. */
    abstract Tracking openStore(Path storeDir);

    /** Opens a second handle on the store that {@link #openStore} opened. */
    abstract Tracking openSameStore(Path storeDir);

    @BeforeEach
    void open() {
        tracking = openStore(dir.resolve("store"));
    }

    @AfterEach
    void close() {
        if (tracking != null) {
            tracking.close();
        }
    }

    // ---------------------------------------------------------------- experiments

    @Test
    void experimentIsGetOrCreateWithTags() {
        Experiment a = tracking.experiment("churn");
        Experiment b = tracking.experiment("churn");
        assertEquals(a.id(), b.id());
        assertEquals(LifecycleStage.ACTIVE, a.lifecycle());
        Experiment tagged = a.setTag("team", "risk").setTag("team", "fraud");
        assertEquals(Map.of("team", "fraud"), tagged.tags());
        assertEquals(List.of("churn"), tracking.experiments(ViewType.ALL).stream().map(Experiment::name).toList());
        assertThrows(NotFoundException.class, () -> tracking.getExperiment("nope"));
        assertThrows(InvalidArgumentException.class, () -> tracking.experiment(" "));
        assertThrows(InvalidArgumentException.class, () -> tracking.experiment("x".repeat(501)));
    }

    @Test
    void archivedExperimentsKeepTheirNameAndRefuseNewRuns() {
        Experiment exp = tracking.experiment("old");
        tracking.archiveExperiment("old");
        assertEquals(List.of(), tracking.experiments(ViewType.ACTIVE_ONLY));
        assertEquals(1, tracking.experiments(ViewType.ARCHIVED_ONLY).size());
        ConflictException e = assertThrows(ConflictException.class, () -> tracking.experiment("old"));
        assertTrue(e.getMessage().contains("archived"), e.getMessage());
        assertThrows(ConflictException.class, exp::startRun);
        Experiment restored = tracking.restoreExperiment("old");
        assertEquals(LifecycleStage.ACTIVE, restored.lifecycle());
        try (Run run = restored.startRun("again")) {
            assertNotNull(run.id());
        }
    }

    // ---------------------------------------------------------------- runs

    @Test
    void runEndsFinishedOnCloseWithAttributes() {
        Experiment exp = tracking.experiment("e");
        String id;
        try (Run run = exp.startRun("first")) {
            id = run.id();
            RunInfo live = run.info();
            assertEquals(RunStatus.RUNNING, live.status());
            assertNull(live.endTime());
            assertEquals("first", live.name());
            assertEquals("tester", live.user());
        }
        RunInfo done = tracking.getRun(id);
        assertEquals(RunStatus.FINISHED, done.status());
        assertNotNull(done.endTime());
        assertFalse(done.endTime().isBefore(done.startTime()));
        assertEquals("runs:/" + id + "/model", done.artifactUri("model").toString());
        assertThrows(NotFoundException.class, () -> tracking.getRun("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void failureIsRecordedWithTheError() {
        Experiment exp = tracking.experiment("e");
        IllegalStateException boom = new IllegalStateException("diverged at epoch 3");
        assertThrows(IllegalStateException.class, () -> exp.run("bad", run -> {
            run.logMetric("loss", Double.POSITIVE_INFINITY, 3);
            throw boom;
        }));
        RunInfo failed = exp.searchRuns("attributes.run_name = 'bad'", "", 1).get(0);
        assertEquals(RunStatus.FAILED, failed.status());
        assertTrue(failed.tags().get(Run.ERROR_TAG).contains("diverged at epoch 3"));
        RunInfo ok = exp.run("good", run -> run.logMetric("loss", 0.1, 1));
        assertEquals(RunStatus.FINISHED, ok.status());
        assertEquals(0.1, ok.metrics().get("loss"));
    }

    @Test
    void nestedRunsKnowTheirParent() {
        Experiment exp = tracking.experiment("e");
        try (Run parent = exp.startRun("study"); Run child = parent.startChildRun("trial-1")) {
            RunInfo info = child.info();
            assertEquals(parent.id(), info.parentRunId());
            assertEquals(parent.id(), info.tags().get(Run.PARENT_TAG));
            assertEquals(1, exp.searchRuns("attributes.parent_run_id = '" + parent.id() + "'", "", 10).size());
        }
    }

    // ---------------------------------------------------------------- params, metrics, tags

    @Test
    void paramsAreImmutableOnceLogged() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            run.logParams(Map.of("lr", 0.1, "epochs", 5));
            run.logParam("lr", "0.1");
            ConflictException e = assertThrows(ConflictException.class, () -> run.logParam("lr", "0.2"));
            assertTrue(e.getMessage().contains("'0.1'") && e.getMessage().contains("'0.2'"), e.getMessage());
            run.logParam("long", "v".repeat(6000));
            assertThrows(InvalidArgumentException.class, () -> run.logParam("longer", "v".repeat(6001)));
            assertThrows(InvalidArgumentException.class, () -> run.logParam("nothing", null));
            assertEquals(Map.of("lr", "0.1", "epochs", "5", "long", "v".repeat(6000)), run.info().params());
        }
    }

    @Test
    void resumedRunKnowsItsStoredParams() {
        Experiment exp = tracking.experiment("e");
        try (Run run = exp.startRun("r")) {
            run.logParam("seed", "1");
            run.info();
            try (Run resumed = tracking.resumeRun(run.id())) {
                assertThrows(ConflictException.class, () -> resumed.logParam("seed", "2"));
                resumed.logParam("seed", "1");
            }
        }
    }

    @Test
    void conflictFromAnotherWriterIsReportedByFlush() {
        Experiment exp = tracking.experiment("e");
        try (Tracking second = openSameStore(dir.resolve("store"))) {
            Run run = exp.startRun("r");
            Run elsewhere = second.resumeRun(run.id());
            run.logParam("seed", "1");
            tracking.flush();
            elsewhere.logParam("seed", "2");
            ConflictException e = assertThrows(ConflictException.class, second::flush);
            assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("'2'"), e.getMessage());
            second.flush();
            assertEquals("1", tracking.getRun(run.id()).params().get("seed"), "the stored value is kept");
            run.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "trailing/", "a//b", "../up", "a/../b", "./here", "bad\nkey", "semi;colon",
        "quote'", "percent%2F"})
    void hostileKeysAreRejected(String key) {
        try (Run run = tracking.experiment("e").startRun("r")) {
            assertThrows(InvalidArgumentException.class, () -> run.logParam(key, "v"));
            assertThrows(InvalidArgumentException.class, () -> run.logMetric(key, 1.0, 0));
            assertThrows(InvalidArgumentException.class, () -> run.setTag(key, "v"));
        }
    }

    @Test
    void keysFollowMlflowRules() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            run.logMetric("val/loss-1.x y", 1.0, 0);
            run.logMetric("précision_classe", 1.0, 0);
            run.logParam("k".repeat(250), "v");
            assertThrows(InvalidArgumentException.class, () -> run.logParam("k".repeat(251), "v"));
            assertEquals(2, run.info().metrics().size());
        }
    }

    @Test
    void metricsKeepFullHistoryNonFiniteValuesAndTheLatestPoint() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            run.logMetric("loss", 0.9, 0);
            run.logMetric("loss", Double.NaN, 1);
            run.logMetric("loss", Double.NEGATIVE_INFINITY, 2);
            run.logMetric("loss", 0.5, 5);
            run.logMetric("loss", 0.7, 4);
            run.logMetric("loss", -1.0, -3);
            run.logMetric("inf", Double.POSITIVE_INFINITY, 0);
            List<MetricPoint> history = tracking.metricHistory(run.id(), "loss");
            assertEquals(List.of(-3L, 0L, 1L, 2L, 4L, 5L), history.stream().map(MetricPoint::step).toList());
            assertTrue(Double.isNaN(history.get(2).value()));
            assertEquals(Double.NEGATIVE_INFINITY, history.get(3).value());
            Map<String, Double> latest = run.info().metrics();
            assertEquals(0.5, latest.get("loss"), "the latest value is the one at the greatest step");
            assertEquals(Double.POSITIVE_INFINITY, latest.get("inf"));
            assertEquals(List.of(), tracking.metricHistory(run.id(), "never"));
        }
    }

    @Test
    void tagsAreMutableAndDeletable() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            run.setTag("team", "risk");
            run.setTag("team", "fraud");
            run.setTag("gone", "x");
            run.deleteTag("gone");
            run.setTag("max", "t".repeat(5000));
            assertThrows(InvalidArgumentException.class, () -> run.setTag("over", "t".repeat(5001)));
            Map<String, String> tags = run.info().tags();
            assertEquals("fraud", tags.get("team"));
            assertFalse(tags.containsKey("gone"));
        }
    }

    @Test
    void largeBatchesAreSplitAutomatically() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            Map<String, Object> params = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 250; i++) {
                params.put("p" + i, i);
            }
            run.logParams(params);
            for (int step = 0; step < 2500; step++) {
                run.logMetric("m", step, step);
            }
            Map<String, Double> many = new java.util.LinkedHashMap<>();
            for (int k = 0; k < 1200; k++) {
                many.put("k" + k, (double) k);
            }
            run.logMetrics(many, 0);
            RunInfo info = run.info();
            assertEquals(250, info.params().size());
            assertEquals(1201, info.metrics().size());
            assertEquals(2500, tracking.metricHistory(run.id(), "m").size());
            assertEquals(2499.0, info.metrics().get("m"));
        }
    }

    @Test
    void runsAreMetricSinks() {
        try (Run run = tracking.experiment("e").startRun("r")) {
            MetricSink sink = run;
            sink.logMetric("acc", 0.75);
            sink.logParams(Map.of("depth", 3));
            sink.setTag("via", "spi");
            RunInfo info = run.info();
            assertEquals(0.75, info.metrics().get("acc"));
            assertEquals("3", info.params().get("depth"));
            assertEquals("spi", info.tags().get("via"));
        }
    }

    @Test
    void datasetInputsRecordDigestSchemaSourceAndContext() {
        Frame train = Frame.builder().doubles("x", 1, 2).strings("y", "a", "b").build();
        try (Run run = tracking.experiment("e").startRun("r")) {
            run.logInput(train, "toy", "training");
            run.logInput(DatasetInput.of(train.head(1), "toy").withContext("evaluation").withSource("local", "/data/toy.csv"));
            List<DatasetInput> inputs = run.info().inputs();
            assertEquals(2, inputs.size());
            DatasetInput training = inputs.stream().filter(i -> i.context().equals("training")).findFirst().orElseThrow();
            assertEquals(train.digest(), training.digest());
            assertEquals(train.schema(), training.schema());
            assertEquals(DataType.STRING, training.schema().field("y").type());
            DatasetInput eval = inputs.stream().filter(i -> i.context().equals("evaluation")).findFirst().orElseThrow();
            assertEquals("/data/toy.csv", eval.source());
            List<dev.mlops.api.spi.DatasetRef> lineage = tracking.datasetsOf(run.artifactUri("model"));
            assertTrue(lineage.contains(new dev.mlops.api.spi.DatasetRef("toy", train.digest(), "training")), lineage.toString());
        }
    }

    // ---------------------------------------------------------------- search

    private Experiment searchFixture() {
        Experiment exp = tracking.experiment("search");
        String[] models = {"sgd", "cart", "sgd", "xgb", "SGD"};
        double[] auc = {0.95, 0.80, 0.91, 0.97, 0.93};
        for (int i = 0; i < models.length; i++) {
            try (Run run = exp.startRun("run-" + i)) {
                run.logParam("model", models[i]);
                run.logMetric("auc", auc[i], 0);
                run.setTag("team", i % 2 == 0 ? "risk" : "fraud");
                if (i != 4) {
                    run.logMetric("loss", 1 - auc[i], 0);
                }
                if (i == 0) {
                    run.logInput(Frame.builder().longs("a", 1).build(), "bc", "training");
                }
            }
        }
        return exp;
    }

    private static List<String> names(List<RunInfo> runs) {
        return runs.stream().map(RunInfo::name).toList();
    }

    @Test
    void searchFiltersOnMetricsParamsTagsAttributesAndDatasets() {
        Experiment exp = searchFixture();
        assertEquals(List.of("run-0", "run-2"),
                names(exp.searchRuns("metrics.auc > 0.9 and params.model = 'sgd'", "metrics.auc DESC", 10)));
        assertEquals(List.of("run-3", "run-0"), names(exp.searchRuns("metrics.auc >= 0.95", "metrics.auc DESC", 10)));
        assertEquals(List.of("run-1"), names(exp.searchRuns("metrics.auc < 0.9", "", 10)));
        assertEquals(List.of("run-0", "run-2"), names(exp.searchRuns("params.model LIKE 's%'", "attributes.run_name", 10)));
        assertEquals(List.of("run-0", "run-2", "run-4"),
                names(exp.searchRuns("params.model ILIKE 's%'", "attributes.run_name", 10)));
        assertEquals(List.of("run-1", "run-3"), names(exp.searchRuns("params.model IN ('cart', 'xgb')", "run_name", 10)));
        assertEquals(List.of("run-0", "run-2", "run-4"),
                names(exp.searchRuns("params.model NOT IN ('cart', 'xgb')", "run_name", 10)));
        assertEquals(List.of("run-1", "run-3"), names(exp.searchRuns("tags.team != 'risk'", "run_name", 10)));
        assertEquals(List.of("run-2"), names(exp.searchRuns("attributes.run_name = 'run-2'", "", 10)));
        assertEquals(5, exp.searchRuns("attributes.status = 'FINISHED' and attributes.start_time > 0", "", 10).size());
        assertEquals(List.of("run-0"), names(exp.searchRuns("datasets.name = 'bc' and datasets.context = 'training'",
                "", 10)));
        assertEquals(List.of("run-3"), names(exp.searchRuns("metrics.`loss` < 0.05", "", 10)));
    }

    @Test
    void searchOrdersByManyKeysWithMissingValuesLast() {
        Experiment exp = searchFixture();
        assertEquals(List.of("run-3", "run-0", "run-2", "run-1", "run-4"),
                names(exp.searchRuns("", "metrics.loss ASC", 10)), "run-4 has no loss and sorts last");
        assertEquals(List.of("run-4", "run-1", "run-2", "run-0", "run-3"),
                names(exp.searchRuns("", "params.model ASC, metrics.auc ASC", 10)));
        assertEquals(List.of("run-2", "run-4", "run-0", "run-1", "run-3"),
                names(exp.searchRuns("", "tags.team DESC, metrics.auc ASC", 10)));
    }

    @Test
    void pageTokensWalkEveryRunOnce() {
        Experiment exp = searchFixture();
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        Tracking.SearchRuns request = Tracking.SearchRuns.in(exp).orderBy("metrics.auc DESC").maxResults(2);
        RunPage page = tracking.searchRuns(request);
        int pages = 1;
        while (true) {
            for (RunInfo r : page.runs()) {
                assertTrue(seen.add(r.runId()), "no run appears twice");
                order.add(r.name());
            }
            if (page.nextPage().isEmpty()) {
                break;
            }
            page = tracking.searchRuns(request.pageToken(page.nextPageToken()));
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(List.of("run-3", "run-0", "run-4", "run-2", "run-1"), order);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> tracking.searchRuns(request.filter("metrics.auc > 0").pageToken(tracking.searchRuns(request)
                        .nextPageToken())));
        assertTrue(e.getMessage().contains("another search"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> tracking.searchRuns(request.pageToken("garbage!")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.auc >", "metrics.auc ~ 1", "params.model = sgd", "metrics.auc > 'high'",
        "metrics.auc > 0.9 or params.model = 'sgd'", "weights.x = 1", "attributes.colour = 'red'",
        "params.model = 'unterminated", "metrics.auc LIKE 0.5", "params.a IN ('x'", "metrics.auc > 0.9 params.a = 'b'"})
    void malformedFiltersNameThePosition(String filter) {
        Experiment exp = tracking.experiment("e");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> exp.searchRuns(filter, "", 10));
        assertTrue(e.getMessage().contains("position"), e.getMessage());
    }

    @Test
    void filterValuesAreBoundNotConcatenated() {
        Experiment exp = searchFixture();
        assertEquals(List.of(), exp.searchRuns("params.model = 'x'' OR 1=1 --'", "", 10));
        assertEquals(5, tracking.experiment("search").searchRuns("", "", 10).size(), "nothing was dropped or changed");
    }

    @Test
    void archivedRunsAreHiddenUnlessAsked() {
        Experiment exp = searchFixture();
        String id = exp.searchRuns("attributes.run_name = 'run-1'", "", 1).get(0).runId();
        tracking.archiveRun(id);
        assertEquals(4, exp.searchRuns("", "", 10).size());
        assertEquals(1, tracking.searchRuns(Tracking.SearchRuns.in(exp).view(ViewType.ARCHIVED_ONLY)).runs().size());
        assertEquals(5, tracking.searchRuns(Tracking.SearchRuns.in(exp).view(ViewType.ALL)).runs().size());
        tracking.restoreRun(id);
        assertEquals(5, exp.searchRuns("", "", 10).size());
    }

    @Test
    void compareRunsGivesOneRowPerRun() {
        Experiment exp = searchFixture();
        List<String> ids = exp.searchRuns("", "attributes.run_name", 10).stream().map(RunInfo::runId).toList();
        Frame cmp = tracking.compareRuns(ids);
        assertEquals(5, cmp.rowCount());
        assertEquals(List.of("run_id", "run_name", "status", "start_time", "params.model", "metrics.auc", "metrics.loss"),
                cmp.schema().names());
        assertEquals("run-0", cmp.stringColumn("run_name").getString(0));
        assertEquals(0.95, cmp.doubleColumn("metrics.auc").getDouble(0));
        assertTrue(cmp.column("metrics.loss").isNull(4));
    }

    // ---------------------------------------------------------------- artifacts

    @Test
    void artifactsAreStoredWithSizeAndDigestListedAndDownloaded() throws IOException {
        Path local = Files.createDirectories(dir.resolve("local/plots"));
        Files.writeString(local.resolve("roc.txt"), "roc curve");
        Files.createDirectories(local.resolve("sub"));
        Files.writeString(local.resolve("sub/pr.txt"), "pr curve");
        Path single = Files.writeString(dir.resolve("model.bin"), "weights");
        try (Run run = tracking.experiment("e").startRun("r")) {
            ArtifactInfo stored = run.logArtifact(single, "model");
            assertEquals("model/model.bin", stored.path());
            assertEquals(7, stored.size());
            assertEquals(sha256("weights"), stored.sha256());
            run.logArtifacts(local, "plots");
            run.logText("# Summary", "notes/summary.md");
            List<ArtifactInfo> top = tracking.listArtifacts(run.id(), "");
            assertEquals(List.of("model", "notes", "plots"), top.stream().map(ArtifactInfo::path).toList());
            assertTrue(top.get(0).directory());
            List<ArtifactInfo> plots = tracking.listArtifacts(run.id(), "plots");
            assertEquals(List.of("plots/roc.txt", "plots/sub"), plots.stream().map(ArtifactInfo::path).toList());
            try (InputStream in = tracking.openArtifact(run.id(), "notes/summary.md")) {
                assertEquals("# Summary", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Path out = tracking.downloadArtifacts(run.id(), "plots", dir.resolve("download"));
            assertEquals("pr curve", Files.readString(out.resolve("sub/pr.txt")));
            assertThrows(NotFoundException.class, () -> tracking.downloadArtifacts(run.id(), "nothing", dir));
            assertThrows(NotFoundException.class, () -> run.logArtifact(dir.resolve("missing.bin"), ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../outside", "a/../../b", "/etc", "\\..\\win", "..\\..\\x", "%2e%2e/x",
        "%252e%252e/x", "C:/x", "file:/etc/passwd", "x#frag", "a//b", "./a"})
    void hostileArtifactPathsAreRejected(String path) throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        try (Run run = tracking.experiment("e").startRun("r")) {
            assertThrows(InvalidArgumentException.class, () -> run.logArtifact(file, path));
            assertThrows(InvalidArgumentException.class, () -> run.logText("x", path + "/f.txt"));
            assertThrows(InvalidArgumentException.class, () -> tracking.listArtifacts(run.id(), path));
            assertThrows(InvalidArgumentException.class, () -> tracking.downloadArtifacts(run.id(), path, dir));
            assertEquals(List.of(), tracking.listArtifacts(run.id(), ""), "nothing was stored");
        }
    }

    @Test
    void symlinkOutOfALoggedDirectoryIsRejected() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "top secret");
        Path local = Files.createDirectories(dir.resolve("upload"));
        Files.writeString(local.resolve("ok.txt"), "ok");
        Files.createSymbolicLink(local.resolve("leak.txt"), secret);
        try (Run run = tracking.experiment("e").startRun("r")) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> run.logArtifacts(local, "up"));
            assertTrue(e.getMessage().contains("leak.txt"), e.getMessage());
            assertEquals(List.of(), tracking.listArtifacts(run.id(), ""), "nothing was recorded");
        }
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        Experiment exp = tracking.experiment("concurrent");
        int threads = 4;
        int runsPerThread = 3;
        int points = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int r = 0; r < runsPerThread; r++) {
                        try (Run run = exp.startRun("t" + thread + "-r" + r)) {
                            ids.add(run.id());
                            run.logParam("thread", Integer.toString(thread));
                            for (int s = 0; s < points; s++) {
                                run.logMetric("m", s, s);
                                if (s % 100 == 0) {
                                    run.setTag("progress", Integer.toString(s));
                                }
                            }
                        }
                    }
                    return ids;
                }));
            }
            for (Future<List<String>> f : futures) {
                for (String id : f.get(120, TimeUnit.SECONDS)) {
                    assertEquals(points, tracking.metricHistory(id, "m").size());
                    assertEquals(RunStatus.FINISHED, tracking.getRun(id).status());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * runsPerThread, exp.searchRuns("", "", 100).size());
    }
}
