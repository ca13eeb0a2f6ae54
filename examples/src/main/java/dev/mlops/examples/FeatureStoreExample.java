package dev.mlops.examples;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import dev.mlops.api.LongColumn;
import dev.mlops.api.RunUri;
import dev.mlops.api.TimestampColumn;
import dev.mlops.api.spi.ManualTimeSource;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.features.Aggregation;
import dev.mlops.features.DefinitionKind;
import dev.mlops.features.DefinitionQuery;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.MaterializationResult;
import dev.mlops.features.OnDemandTransform;
import dev.mlops.features.OnlineResult;
import dev.mlops.features.Pipeline;
import dev.mlops.features.PipelineRun;
import dev.mlops.features.Source;
import dev.mlops.features.TrainingOptions;
import dev.mlops.features.TrainingSet;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tribuo.TribuoData;
import dev.mlops.tracking.tribuo.TribuoTracking;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The feature store on the Breast Cancer Wisconsin data: every biopsy gets a synthetic patient and time (120 patients,
 * one biopsy every 6 hours over about 140 days). A pipeline derives tumour features and 45-day per-patient aggregates
 * into a feature view, incrementally; a training set puts each diagnosis next to the features known when it was made
 * (point in time); a model is trained and tracked with the training set's lineage; and the latest features are
 * materialized and served online, where a patient whose last biopsy is older than the view's TTL comes back as
 * expired instead of stale.
 *
 * <p>Run it from the repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.mlops.examples.FeatureStoreExample}. The
 * system property {@code mlops.data} moves the stores (default {@code mlops-data/}).
 */
public final class FeatureStoreExample {
    static final Instant FIRST_BIOPSY = Instant.parse("2024-01-01T08:00:00Z");
    static final int PATIENTS = 120;
    static final Duration BIOPSY_INTERVAL = Duration.ofHours(6);
    static final Duration TTL = Duration.ofDays(21);
    static final List<String> FEATURES = List.of("mean_radius", "mean_texture", "mean_area", "area_ratio",
            "radius_mean_45d", "biopsies_45d");
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private FeatureStoreExample() {
    }

    /**
     * What the example did, for its test.
     *
     * @param offlineRows the rows in the feature view
     * @param runs the pipeline runs
     * @param trainingSet the training set
     * @param futureValues training rows whose features came from after the diagnosis (must be 0)
     * @param trackedRun the run that recorded the training set as its input
     * @param materialized what materialization wrote
     * @param online the online read for three patients
     */
    public record Result(int offlineRows, List<PipelineRun> runs, TrainingSet trainingSet, long futureValues,
            RunInfo trackedRun, MaterializationResult materialized, OnlineResult online) {
    }

    /**
     * Runs the example on the bundled dataset.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(Level.WARNING); // Tribuo reports every training start through java.util.logging
        run(Quickstart.loadBreastCancer(), Path.of(System.getProperty("mlops.data", "mlops-data")), System.out);
    }

    /** Adds a synthetic patient id and biopsy time to every row. */
    static Frame biopsies(Frame data) {
        int n = data.rowCount();
        long[] patient = new long[n];
        Instant[] time = new Instant[n];
        for (int i = 0; i < n; i++) {
            patient[i] = i % PATIENTS;
            time[i] = FIRST_BIOPSY.plus(BIOPSY_INTERVAL.multipliedBy(i));
        }
        return data.withColumn("patient_id", LongColumn.of(patient)).withColumn("biopsy_time", TimestampColumn.of(time));
    }

    /**
     * Runs the example.
     *
     * @param data the Breast Cancer Wisconsin rows
     * @param root where the stores live
     * @param out where the report goes
     * @return what happened
     */
    public static Result run(Frame data, Path root, PrintStream out) {
        Frame biopsies = biopsies(data);
        Instant last = biopsies.timestampColumn("biopsy_time").getInstant(biopsies.rowCount() - 1);
        ManualTimeSource clock = new ManualTimeSource(last.plus(Duration.ofHours(1)));
        try (FeatureStore store = FeatureStore.builder().root(root.resolve("features")).clock(clock)
                .progress(ProgressListener.noop()).build();
                Tracking tracking = Tracking.open(root.resolve("tracking"))) {
            // Definitions: shared, versioned and searchable.
            store.apply(Entity.builder("patient").joinKey("patient_id", DataType.LONG)
                    .description("A patient of the clinic (synthetic ids)").owner("oncology-ml").build());
            FeatureView.Builder view = FeatureView.builder("tumour_stats").entity("patient")
                    .timestampColumn("biopsy_time").ttl(TTL).owner("oncology-ml").tag("source", "biopsy")
                    .description("Tumour measurements of each biopsy, with 45-day per-patient aggregates");
            for (String f : FEATURES) {
                view.feature(f, f.equals("biopsies_45d") ? DataType.LONG : DataType.DOUBLE);
            }
            store.apply(view.build());
            store.apply(OnDemandTransform.builder("radius_growth").input("tumour_stats", "mean_radius",
                    "radius_mean_45d").output("radius_growth", DataType.DOUBLE).codeVersion("1")
                    .description("How far the latest radius is above the patient's 45-day mean")
                    .compute((in, o) -> {
                        if (!in.isNull("mean_radius") && !in.isNull("radius_mean_45d")) {
                            o.set("radius_growth", in.getDouble("mean_radius") - in.getDouble("radius_mean_45d"));
                        }
                    }).build());
            store.apply(FeatureService.builder("diagnosis_model").view("tumour_stats").transform("radius_growth")
                    .owner("oncology-ml").build());
            out.println("Definitions about 'patient': " + store.search(DefinitionQuery.all().entity("patient")).stream()
                    .map(d -> d.kind().key() + ":" + d.name() + " v" + d.version()).toList());

            // Feature engineering, incrementally: the first half of the biopsies, then the rest.
            Pipeline pipeline = store.pipeline("tumour_features")
                    .from(Source.frame("biopsies", biopsies.drop("diagnosis")))
                    .filter("mean_area > 0")
                    .derive("area_ratio", "worst_area / mean_area")
                    .aggregate("patient_id", Aggregation.mean("mean_radius", Duration.ofDays(45)).as("radius_mean_45d"),
                            Aggregation.count(Duration.ofDays(45)).as("biopsies_45d"))
                    .into("tumour_stats");
            List<PipelineRun> runs = new ArrayList<>();
            Instant middle = FIRST_BIOPSY.plus(BIOPSY_INTERVAL.multipliedBy(biopsies.rowCount() / 2));
            runs.add(pipeline.runUntil(middle));
            runs.add(pipeline.run());
            runs.add(pipeline.run());
            for (PipelineRun r : runs) {
                if (r.isEmpty()) {
                    out.printf("Pipeline run: nothing new after the watermark %s%n", r.watermark());
                } else {
                    out.printf("Pipeline run: %d rows for (%s, %s]%n", r.rowsWritten(), r.windowStart(), r.windowEnd());
                }
            }
            Frame offline = store.offlineRows("tumour_stats");
            out.printf("The view holds %d rows; watermark %s%n%n", offline.rowCount(), pipeline.watermark().orElseThrow());

            // A training set: each diagnosis, made an hour after its biopsy, with the features known at that moment.
            Instant[] diagnosedAt = new Instant[biopsies.rowCount()];
            for (int r = 0; r < diagnosedAt.length; r++) {
                diagnosedAt[r] = biopsies.timestampColumn("biopsy_time").getInstant(r).plus(Duration.ofHours(1));
            }
            Frame diagnoses = biopsies.select("patient_id", "diagnosis")
                    .withColumn("diagnosed_at", TimestampColumn.of(diagnosedAt));
            TrainingSet ts = store.trainingSet(diagnoses, "diagnosis_model", TrainingOptions.defaults()
                    .withTimestampColumn("diagnosed_at").withEventTimestamps(true));
            Frame set = ts.frame();
            long future = 0;
            for (int r = 0; r < set.rowCount(); r++) {
                Instant featureTime = set.timestampColumn("tumour_stats__event_timestamp").getInstant(r);
                if (featureTime != null && featureTime.isAfter(set.timestampColumn("diagnosed_at").getInstant(r))) {
                    future++;
                }
            }
            out.printf("Training set: %d rows x %d columns, SHA-256 %s..., definitions %s; values from the future: %d%n",
                    set.rowCount(), set.columnCount(), ts.digest().substring(0, 16), ts.definitionVersions(), future);
            out.println(set.select("patient_id", "diagnosed_at", "mean_radius", "radius_mean_45d", "biopsies_45d",
                    "radius_growth", "diagnosis").format(5));

            // Train on it and record where the data came from.
            Frame train = set.select(new ArrayList<>(List.of("mean_radius", "mean_texture", "mean_area", "area_ratio",
                    "radius_mean_45d", "radius_growth", "diagnosis")));
            MutableDataset<Label> dataset = TribuoData.classification(train, "diagnosis");
            Experiment experiment = tracking.experiment("breast-cancer-features");
            String runId;
            try (Run run = experiment.startRun("from-feature-store")) {
                runId = run.id();
                run.logInput(set, ts.datasetRef().name(), "training");
                ts.definitionVersions().forEach((k, v) -> run.setTag("features/" + k.replace(':', '/'),
                        Integer.toString(v)));
                TribuoTracking.trainAndLog(run, new TransformTrainer<>(new LinearSGDTrainer(new LogMulticlass(),
                        new AdaGrad(0.1, 0.1), 10, -1, 1, 42L), new TransformationMap(List.of(
                                new MeanStdDevTransformation()))), dataset, dataset);
            }
            RunInfo info = tracking.getRun(runId);
            out.printf("Tracked run %s: training accuracy %.3f; its inputs include %s%n%n", info.runId(),
                    info.metrics().get("accuracy"), tracking.datasetsOf(RunUri.of(runId, "")).stream()
                            .filter(d -> d.name().equals(ts.datasetRef().name())).findFirst().orElseThrow());

            // Serving: materialize the latest values as of the last biopsy.
            MaterializationResult m = store.materializeIncremental("tumour_stats", last);
            out.printf("Materialized %d patients into the %s online store (rows older than the %d-day TTL skipped)%n",
                    m.rowsWritten(), store.onlineStore().name(), TTL.toDays());
            // The patient biopsied last, one last biopsied ten days earlier, and one never seen; read 18 days later.
            long recent = (biopsies.rowCount() - 1) % PATIENTS;
            long earlier = (recent - 40 + PATIENTS) % PATIENTS;
            List<Map<String, ?>> patients = List.of(Map.of("patient_id", recent), Map.of("patient_id", earlier),
                    Map.of("patient_id", 9_999L));
            clock.advance(Duration.ofDays(18));
            OnlineResult online = store.onlineFeatures("diagnosis_model", patients);
            for (int i = 0; i < patients.size(); i++) {
                out.printf("  patient %s: mean_radius %s (%s, event time %s), radius_growth %s%n",
                        patients.get(i).get("patient_id"), online.value(i, "mean_radius"),
                        online.status(i, "mean_radius"), online.eventTime(i, "mean_radius").orElse(null),
                        online.value(i, "radius_growth"));
            }
            out.printf("Online statuses: %d present, %d expired, %d missing%n", online.count(FeatureStatus.PRESENT),
                    online.count(FeatureStatus.EXPIRED), online.count(FeatureStatus.MISSING));
            out.println("History of 'tumour_stats': " + store.history(DefinitionKind.FEATURE_VIEW, "tumour_stats").size()
                    + " version(s)");
            return new Result(offline.rowCount(), runs, ts, future, info, m, online);
        }
    }
}
