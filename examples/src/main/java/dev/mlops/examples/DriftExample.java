package dev.mlops.examples;

import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Frame;
import dev.mlops.api.spi.ModelPromoter;
import dev.mlops.api.spi.ModelPromoter.Outcome;
import dev.mlops.api.spi.ModelPromoter.PromotionResult;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.DriftDetector;
import dev.mlops.monitoring.Monitoring;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DriftReport;
import dev.mlops.monitoring.retrain.RetrainingEvent;
import dev.mlops.monitoring.retrain.RetrainingPolicy;
import dev.mlops.monitoring.stream.Alert;
import dev.mlops.monitoring.stream.AlertRule;
import dev.mlops.monitoring.stream.Monitor;
import dev.mlops.monitoring.stream.WindowSummary;
import dev.mlops.tracking.tribuo.TribuoData;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Drift to retraining on the Breast Cancer Wisconsin data: trains a logistic regression on part of the rows, then
 * serves the rest as a stream in which the size measurements are recalibrated by +30% part way through (as when a
 * lab changes its imaging device). A {@link Monitor} compares each window of 50 predictions with the training data,
 * labels arrive one window late, and when accuracy drops a {@link RetrainingPolicy} retrains on the recent labelled
 * rows, scores the candidate against the champion on held-out recent rows, and promotes it through a
 * {@link ModelPromoter} (an in-memory stand-in for the registry here). It also profiles the training data, keeps the
 * profile as JSON, measures drift from that stored profile without the raw rows, and writes HTML reports.
 *
 * <p>Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.mlops.examples.DriftExample}; the system
 * property {@code mlops.out} sets where the reports go (default {@code mlops-out}).
 */
public final class DriftExample {
    static final String LABEL = "diagnosis";
    static final String POSITIVE = "malignant";
    static final int WINDOW = 50;
    private static final long SEED = 7;
    private static final double RECALIBRATION = 1.3;
    private static final List<String> SIZE_FEATURES = List.of("mean_radius", "mean_perimeter", "mean_area",
            "radius_error", "perimeter_error", "area_error", "worst_radius", "worst_perimeter", "worst_area");
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    /** Held so that the level set on it outlives garbage collection of java.util.logging's weak references. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private DriftExample() {
    }

    /**
     * What a run found.
     *
     * @param reference the training rows
     * @param shiftedDrift the drift of the recalibrated rows against the training rows
     * @param profileDrift the same from the stored training profile, without the raw rows
     * @param windows the monitor's windows
     * @param alerts the alerts raised
     * @param history the retraining policy's steps
     * @param championVersion the version behind the alias at the end
     * @param driftReport the HTML drift report
     * @param profileReport the HTML profile of the training data
     */
    record Result(Frame reference, DriftReport shiftedDrift, DriftReport profileDrift, List<WindowSummary> windows,
            List<Alert> alerts, List<RetrainingEvent> history, long championVersion, Path driftReport,
            Path profileReport) {
    }

    /**
     * Runs the example.
     *
     * @param args not used
     */
    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(Level.WARNING);
        run(Quickstart.loadBreastCancer(), Path.of(System.getProperty("mlops.out", "mlops-out")), System.out);
    }

    static Result run(Frame data, Path outDir, PrintStream out) {
        // 1. Split: 300 rows to train on, the rest served in production; the second part of production is shifted.
        int[] order = IntStream.range(0, data.rowCount()).toArray();
        Random rnd = new Random(SEED);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Frame shuffled = data.take(order);
        Frame reference = shuffled.slice(0, 300);
        Frame clean = shuffled.slice(300, 400);
        Frame shifted = recalibrate(shuffled.slice(400, data.rowCount()));
        Frame production = clean.concat(shifted);

        // 2. The champion, version 1, and an in-memory stand-in for the registry's alias.
        Map<Long, Model<Label>> models = new ConcurrentHashMap<>();
        models.put(1L, train(reference));
        Map<String, Long> aliases = new ConcurrentHashMap<>(Map.of("champion", 1L));
        ModelPromoter registry = request -> {
            aliases.put(request.alias(), request.version());
            return new PromotionResult(Outcome.PROMOTED, "alias '" + request.alias() + "' now points at version "
                    + request.version(), null);
        };

        // 3. Explore the training data, and keep its profile instead of the raw rows.
        DatasetProfile profile = Monitoring.profile(reference);
        Path profileJson = outDir.resolve("reference-profile.json");
        profile.writeJson(profileJson);
        Path profileReport = outDir.resolve("reference-profile.html");
        profile.writeHtml(profileReport, "Breast cancer: training data");
        out.printf("Profiled %d training rows x %d columns; profile kept in %s%n", profile.rowCount(),
                profile.columns().size(), profileJson);

        // 4. Offline check: the recalibrated rows against the training rows, exactly and from the stored profile.
        DriftDetector detector = DriftDetector.builder().target(LABEL).build();
        DriftReport shiftedDrift = detector.compare(reference, shifted);
        DriftReport profileDrift = detector.compare(DatasetProfile.readJson(profileJson), shifted);
        Path driftReport = outDir.resolve("drift-report.html");
        shiftedDrift.writeHtml(driftReport, "Breast cancer: recalibrated rows vs training data");
        out.printf("Drift of the recalibrated rows: %d of %d features drifted (share %.2f); report in %s%n",
                shiftedDrift.driftedFeatures(), shiftedDrift.testedFeatures(), shiftedDrift.driftShare(), driftReport);
        for (ColumnDrift c : shiftedDrift.drifted()) {
            ColumnDrift fromProfile = profileDrift.column(c.column());
            out.printf("  %-22s %-5s statistic %.3f p %.2g | from the stored profile: %.3f (error <= %.3f)%n",
                    c.column(), c.method().id(), c.statistic(), c.pValue(), fromProfile.statistic(),
                    fromProfile.statisticError());
        }

        // 5. Online: a monitor over the stream, and a retraining policy acting on accuracy alerts.
        List<String> features = reference.schema().names().stream().filter(n -> !n.equals(LABEL)).toList();
        RetrainingPolicy policy = RetrainingPolicy.builder()
                .model("breast-cancer").alias("champion").championVersion(1)
                .retrainer(request -> {
                    long version = models.size() + 1L;
                    // Train on the training rows plus every other recent labelled row; the rest is held out.
                    models.put(version, train(reference.concat(trainingPart(request.recentLabelled(), features))));
                    return version;
                })
                .scorer((version, recent) -> accuracy(models.get(version), heldOutPart(recent, features)))
                .promoter(registry)
                .triggers("accuracy drop")
                .cooldown(Duration.ofHours(6))
                .build();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        Frame referenceWithPredictions = withPredictions(reference, models.get(1L));
        Monitor monitor = Monitor.builder()
                .windowByCount(WINDOW)
                .reference(referenceWithPredictions).prediction("prediction").label(LABEL)
                .classification(POSITIVE)
                .rule(AlertRule.above("drift.share", 0.2).named("feature drift"))
                .rule(AlertRule.below("accuracy", 0.9).named("accuracy drop"))
                .listener(alerts::add)
                .listener(policy)
                .build();

        Model<Label> champion = models.get(1L);
        List<Prediction<Label>> served = champion.predict(TribuoData.classification(production, LABEL));
        for (int i = 0; i < production.rowCount(); i++) {
            Map<String, Object> row = new HashMap<>();
            for (String f : features) {
                row.put(f, production.column(f).get(i));
            }
            Prediction<Label> p = served.get(i);
            monitor.logPrediction("case-" + i, START.plus(Duration.ofMinutes(i)), row, p.getOutput().getLabel(),
                    p.getOutputScores().get(POSITIVE).getScore());
            if (i >= WINDOW) {
                // The pathologist's diagnosis arrives one window later.
                monitor.logLabel("case-" + (i - WINDOW), production.column(LABEL).get(i - WINDOW));
            }
        }
        monitor.closeWindow();
        for (int i = Math.max(0, production.rowCount() - WINDOW); i < production.rowCount(); i++) {
            monitor.logLabel("case-" + i, production.column(LABEL).get(i));
        }

        List<WindowSummary> windows = monitor.windows();
        out.println();
        out.println("window  rows  drift share  accuracy");
        for (WindowSummary w : windows) {
            out.printf("%6d  %4d  %11.2f  %8s%n", w.index(), w.rows(), w.metric("drift.share").orElse(Double.NaN),
                    w.metric("accuracy").map(a -> String.format("%.3f", a)).orElse("-"));
        }
        out.println();
        for (Alert a : alerts) {
            out.printf("ALERT %-14s %s%n", a.rule(), a.message());
        }
        out.println();
        for (RetrainingEvent e : policy.history()) {
            out.printf("RETRAINING %-18s %s%n", e.step(), e.reason());
        }
        out.printf("%nThe alias 'champion' points at version %d.%n", aliases.get("champion"));
        return new Result(reference, shiftedDrift, profileDrift, windows, List.copyOf(alerts), policy.history(),
                aliases.get("champion"), driftReport, profileReport);
    }

    /** Scales the size measurements, as a recalibrated imaging device would. */
    static Frame recalibrate(Frame rows) {
        Frame f = rows;
        for (String name : SIZE_FEATURES) {
            double[] v = rows.doubleColumn(name).toArray(Double.NaN);
            for (int i = 0; i < v.length; i++) {
                v[i] *= RECALIBRATION;
            }
            f = f.withColumn(name, DoubleColumn.of(v));
        }
        return f;
    }

    static Model<Label> train(Frame rows) {
        Trainer<Label> trainer = new TransformTrainer<>(
                new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 10, -1, 1, SEED),
                new TransformationMap(List.of(new MeanStdDevTransformation())));
        MutableDataset<Label> dataset = TribuoData.classification(rows, LABEL);
        return trainer.train(dataset);
    }

    private static Frame withPredictions(Frame rows, Model<Label> model) {
        List<Prediction<Label>> predictions = model.predict(TribuoData.classification(rows, LABEL));
        String[] labels = predictions.stream().map(p -> p.getOutput().getLabel()).toArray(String[]::new);
        return rows.withColumn("prediction", dev.mlops.api.StringColumn.of(labels));
    }

    private static Frame trainingPart(Frame recent, List<String> features) {
        return rowsWithParity(recent, features, 0);
    }

    private static Frame heldOutPart(Frame recent, List<String> features) {
        return rowsWithParity(recent, features, 1);
    }

    private static Frame rowsWithParity(Frame recent, List<String> features, int parity) {
        List<String> columns = new ArrayList<>(features);
        columns.add(LABEL);
        int[] rows = IntStream.range(0, recent.rowCount()).filter(i -> i % 2 == parity).toArray();
        return recent.select(columns).take(rows);
    }

    static double accuracy(Model<Label> model, Frame rows) {
        List<Prediction<Label>> predictions = model.predict(TribuoData.classification(rows, LABEL));
        long hits = 0;
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i).getOutput().getLabel().equals(rows.column(LABEL).get(i))) {
                hits++;
            }
        }
        return (double) hits / rows.rowCount();
    }
}
