package dev.mlops.tracking.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.Frame;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ProgressEvent;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tribuo.TribuoData;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

class AutoMlTest {
    @TempDir
    Path dir;

    /** Two informative features in an XOR pattern (no linear model can separate it) and three noise features. */
    static Frame xor(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[5][n];
        String[] label = new String[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                x[j][i] = r.nextGaussian();
            }
            label[i] = x[0][i] * x[1][i] > 0 ? "same" : "opposite";
        }
        return Frame.builder().doubles("a", x[0]).doubles("b", x[1]).doubles("n1", x[2]).doubles("n2", x[3])
                .doubles("n3", x[4]).strings("label", label).build();
    }

    @Test
    void ranksCandidatesAndReturnsAReproducibleBestModel() {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        Frame train = xor(300, 1);
        try (Tracking tracking = Tracking.open(dir.resolve("store"))) {
            AutoMlResult result = AutoMl.builder().target("label").folds(3).trialsPerCandidate(3).seed(7)
                    .tracking(tracking, "xor").progress(events::add).build().fit(train);
            Frame board = result.leaderboard();
            assertEquals(Candidate.defaults().size(), board.rowCount(), board.format(10));
            assertTrue(Candidate.xgboostAvailable(), "XGBoost is on the test class path");
            List<Double> scores = board.doubleColumn("accuracy").stream().boxed().toList();
            for (int i = 1; i < scores.size(); i++) {
                assertTrue(scores.get(i - 1) >= scores.get(i), board.format(10));
            }
            assertEquals(result.bestCandidate(), board.stringColumn("candidate").getString(0));
            int logistic = board.stringColumn("candidate").stream().toList().indexOf("logistic");
            assertTrue(scores.get(0) > 0.85, board.format(10));
            assertTrue(scores.get(logistic) < 0.7, "a linear model cannot learn XOR: " + board.format(10));

            Frame test = xor(200, 2);
            long right = 0;
            org.tribuo.MutableDataset<Label> data = TribuoData.classification(test, "label");
            for (Prediction<Label> p : result.bestModel().predict(data)) {
                right += p.getOutput().getLabel().equals(p.getExample().getOutput().getLabel()) ? 1 : 0;
            }
            assertTrue(right / 200.0 > 0.8, "held-out accuracy " + right / 200.0);
            assertTrue(result.provenanceJson().contains("trainer"), result.provenanceJson());
            assertTrue(result.studies().get(result.bestCandidate()).experimentId().isPresent());
            assertEquals(3, tracking.searchRuns(tracking.getExperiment("xor-" + result.bestCandidate()),
                    "tags.`mlops.trial.state` = 'COMPLETE'", "", 100).size());
            assertTrue(events.stream().anyMatch(e -> e.task().equals("automl label")
                    && e.phase() == ProgressEvent.Phase.FINISHED), events.toString());
        }
    }

    @Test
    void customCandidatesAndFailuresAreReported() {
        Candidate broken = Candidate.of("broken", SearchSpace.builder().integer("depth", 1, 3).build(),
                (p, seed) -> {
                    throw new IllegalStateException("cannot build");
                });
        Candidate tree = Candidate.of("my_tree", SearchSpace.builder().integer("depth", 2, 8).build(),
                (p, seed) -> new CARTClassificationTrainer(Math.toIntExact((Long) p.get("depth"))));
        AutoMlResult result = AutoMl.builder().target("label").folds(2).trialsPerCandidate(2)
                .candidates(List.of(tree, broken)).metric(AutoMl.Metric.MACRO_F1).build().fit(xor(120, 3));
        assertEquals("my_tree", result.bestCandidate());
        Frame board = result.leaderboard();
        assertEquals("broken", board.stringColumn("candidate").getString(1));
        assertTrue(board.stringColumn("error").getString(1).contains("cannot build"), board.format(5));
        assertTrue(board.schema().names().contains("macro_f1"));
        AutoMlResult auc = AutoMl.builder().target("label").folds(2).trialsPerCandidate(1)
                .candidates(List.of(tree, Candidate.logisticRegression())).metric(AutoMl.Metric.AUC).build()
                .fit(xor(120, 3));
        assertEquals("logistic", auc.bestCandidate(), "CART gives no probabilities, so it cannot be ranked by AUC");
        assertTrue(auc.leaderboard().stringColumn("error").getString(1).contains("probabilities"));
    }

    @Test
    void unusableDataIsRefused() {
        AutoMl automl = AutoMl.builder().target("label").folds(5).trialsPerCandidate(1)
                .candidates(List.of(Candidate.cart())).build();
        assertThrows(InvalidArgumentException.class, () -> automl.fit(xor(4, 1)), "fewer rows than folds");
        Frame oneLabel = Frame.builder().doubles("a", 1, 2, 3, 4, 5, 6).strings("label", "x", "x", "x", "x", "x", "x")
                .build();
        assertTrue(assertThrows(InvalidArgumentException.class, () -> automl.fit(oneLabel)).getMessage()
                .contains("two labels"));
        assertThrows(dev.mlops.api.NotFoundException.class, () -> AutoMl.builder().target("nope").build()
                .fit(xor(50, 1)));
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().folds(1));
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().candidates(List.of(Candidate.cart(),
                Candidate.cart())));
    }
}
