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
import org.tribuo.regression.Regressor;

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
            AutoMlResult<Label> result = AutoMl.builder().target("label").folds(3).trialsPerCandidate(3).seed(7)
                    .tracking(tracking, "xor").progress(events::add).build().fitClassifier(train);
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
        Candidate<Label> broken = Candidate.of("broken", SearchSpace.builder().integer("depth", 1, 3).build(),
                (p, seed) -> {
                    throw new IllegalStateException("cannot build");
                });
        Candidate<Label> tree = Candidate.<Label>of("my_tree", SearchSpace.builder().integer("depth", 2, 8).build(),
                (p, seed) -> new CARTClassificationTrainer(Math.toIntExact((Long) p.get("depth"))));
        AutoMlResult<Label> result = AutoMl.builder().target("label").folds(2).trialsPerCandidate(2)
                .candidates(List.of(tree, broken)).metric(AutoMl.Metric.MACRO_F1).build().fitClassifier(xor(120, 3));
        assertEquals("my_tree", result.bestCandidate());
        Frame board = result.leaderboard();
        assertEquals("broken", board.stringColumn("candidate").getString(1));
        assertTrue(board.stringColumn("error").getString(1).contains("cannot build"), board.format(5));
        assertTrue(board.schema().names().contains("macro_f1"));
        AutoMlResult<Label> auc = AutoMl.builder().target("label").folds(2).trialsPerCandidate(1)
                .candidates(List.of(tree, Candidate.logisticRegression())).metric(AutoMl.Metric.AUC).build()
                .fitClassifier(xor(120, 3));
        assertEquals("logistic", auc.bestCandidate(), "CART gives no probabilities, so it cannot be ranked by AUC");
        assertTrue(auc.leaderboard().stringColumn("error").getString(1).contains("probabilities"));
    }

    /** A smooth non-linear target with noise: trees and boosting beat a linear fit. */
    static Frame curved(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        double[] b = new double[n];
        double[] noise = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = -3 + 6 * r.nextDouble();
            b[i] = -2 + 4 * r.nextDouble();
            noise[i] = r.nextGaussian();
            y[i] = 3 * Math.sin(a[i]) + b[i] * b[i] + 0.1 * r.nextGaussian();
        }
        return Frame.builder().doubles("a", a).doubles("b", b).doubles("noise", noise).doubles("y", y).build();
    }

    @Test
    void regressionRanksByRmseAndBeatsALinearFit() {
        AutoMlResult<Regressor> result = AutoMl.builder().target("y").folds(3).trialsPerCandidate(3).seed(5).build()
                .fitRegressor(curved(300, 4));
        Frame board = result.leaderboard();
        assertEquals(Candidate.regressionDefaults().size(), board.rowCount(), board.format(10));
        List<Double> rmse = board.doubleColumn("rmse").stream().boxed().toList();
        for (int i = 1; i < rmse.size(); i++) {
            assertTrue(rmse.get(i - 1) <= rmse.get(i), "smaller RMSE ranks first: " + board.format(10));
        }
        int linear = board.stringColumn("candidate").stream().toList().indexOf("linear");
        assertTrue(rmse.get(0) < 0.6 * rmse.get(linear), board.format(10));
        Frame test = curved(100, 9);
        double se = 0;
        for (Prediction<Regressor> p : result.bestModel().predict(TribuoData.regression(test, "y"))) {
            double d = p.getOutput().getValues()[0] - p.getExample().getOutput().getValues()[0];
            se += d * d;
        }
        assertTrue(Math.sqrt(se / 100) < 1.2 * rmse.get(0) + 0.3, "held-out RMSE " + Math.sqrt(se / 100));
        InvalidArgumentException wrongMetric = assertThrows(InvalidArgumentException.class, () -> AutoMl.builder()
                .target("y").metric(AutoMl.Metric.ACCURACY).build().fitRegressor(curved(30, 1)));
        assertTrue(wrongMetric.getMessage().contains("classification"), wrongMetric.getMessage());
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().target("y").build()
                .fitClassifier(curved(30, 1)), "a double target cannot be classified");
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().target("label").build()
                .fitRegressor(xor(30, 1)), "a string target cannot be regressed");
    }

    @Test
    void unusableDataIsRefused() {
        AutoMl automl = AutoMl.builder().target("label").folds(5).trialsPerCandidate(1)
                .candidates(List.of(Candidate.cart())).build();
        assertThrows(InvalidArgumentException.class, () -> automl.fitClassifier(xor(4, 1)), "fewer rows than folds");
        Frame oneLabel = Frame.builder().doubles("a", 1, 2, 3, 4, 5, 6).strings("label", "x", "x", "x", "x", "x", "x")
                .build();
        assertTrue(assertThrows(InvalidArgumentException.class, () -> automl.fitClassifier(oneLabel)).getMessage()
                .contains("two labels"));
        assertThrows(dev.mlops.api.NotFoundException.class, () -> AutoMl.builder().target("nope").build()
                .fitClassifier(xor(50, 1)));
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().folds(1));
        assertThrows(InvalidArgumentException.class, () -> AutoMl.builder().candidates(List.of(Candidate.cart(),
                Candidate.cart())));
    }
}
