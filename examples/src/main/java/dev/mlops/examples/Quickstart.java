package dev.mlops.examples;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.api.CsvOptions;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelUri;
import dev.mlops.api.SortKey;
import dev.mlops.api.spi.ModelPromoter;
import dev.mlops.api.tuning.SearchSpace;
import dev.mlops.api.tuning.TrialPrunedException;
import dev.mlops.registry.AliasPolicy;
import dev.mlops.registry.ModelPackage;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registry;
import dev.mlops.serving.Batching;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.http.ServingServer;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunInfo;
import dev.mlops.tracking.Tracking;
import dev.mlops.tracking.tribuo.TribuoData;
import dev.mlops.tracking.tribuo.TribuoTracking;
import dev.mlops.tracking.tuning.Budget;
import dev.mlops.tracking.tuning.FrozenTrial;
import dev.mlops.tracking.tuning.MedianPruner;
import dev.mlops.tracking.tuning.OptimizeReport;
import dev.mlops.tracking.tuning.Study;
import dev.mlops.tracking.tuning.TpeSampler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The quickstart, on the embedded defaults: loads the Breast Cancer Wisconsin dataset into a {@link Frame}, prints a
 * summary, trains a logistic regression with Tribuo and tracks the run (params, dataset inputs, metrics, the model),
 * then packages the model, registers it with its lineage, promotes it to {@code champion} through a policy, and
 * serves the champion over HTTP, all on local stores under {@code mlops-data/}.
 *
 * <p>Run it from the repository root with {@code mvn -q -pl examples -am compile exec:java}. The system property
 * {@code mlops.data} moves the store.
 */
public final class Quickstart {
    private static final String DATASET = "/data/breast_cancer.csv";
    private static final long SEED = 42;
    /** Held so that the level set on it outlives garbage collection of java.util.logging's weak references. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private Quickstart() {
    }

    /**
     * Runs the example.
     *
     * @param args optionally, the path of a CSV file to summarize instead of the bundled dataset (no training then)
     */
    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(Level.WARNING); // Tribuo reports every training start through java.util.logging
        if (args.length > 0) {
            summarize(Frame.readCsv(Path.of(args[0])), System.out);
            return;
        }
        Frame data = loadBreastCancer();
        summarize(data, System.out);
        Path root = Path.of(System.getProperty("mlops.data", "mlops-data"));
        try (Tracking tracking = Tracking.open(root);
                Registry registry = Registry.builder().root(root).lineage(tracking).build()) {
            Trained trained = track(data, tracking, System.out);
            tune(trained.train(), tracking, System.out);
            register(trained, registry, root.resolve("builds"), System.out);
            serve(registry, trained.test(), System.out);
        }
    }

    /**
     * Loads the bundled Breast Cancer Wisconsin (Diagnostic) dataset: 569 rows, 30 numeric features and the
     * {@code diagnosis} label.
     *
     * @return the dataset
     */
    public static Frame loadBreastCancer() {
        try (InputStream in = Objects.requireNonNull(Quickstart.class.getResourceAsStream(DATASET), DATASET);
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Frame.readCsv(reader, CsvOptions.defaults().withSourceName("breast_cancer.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void summarize(Frame data, PrintStream out) {
        out.printf("Loaded %d rows x %d columns (SHA-256 %s...)%n%n", data.rowCount(), data.columnCount(),
                data.digest().substring(0, 16));

        out.println("Column summary:");
        out.println(data.describe().format(data.columnCount()));

        String label = data.schema().names().get(data.columnCount() - 1);
        out.println("Rows per '" + label + "':");
        out.println(data.valueCounts(label).format(20));

        if (data.schema().contains("mean_area")) {
            out.println("The five largest tumours by mean area:");
            out.println(data.sort(SortKey.desc("mean_area")).select("mean_area", "mean_radius", label).format(5));
        }
    }

    /**
     * What training produced.
     *
     * @param run the tracked run
     * @param model the trained model
     * @param test the held-out rows
     */
    record Trained(RunInfo run, Model<Label> model, Frame train, Frame test) {
    }

    /** Splits the data, trains a standardized logistic regression, and tracks the run. */
    static Trained track(Frame data, Tracking tracking, PrintStream out) {
        int[] order = IntStream.range(0, data.rowCount()).toArray();
        Random rnd = new Random(SEED);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Frame shuffled = data.take(order);
        int cut = (int) (data.rowCount() * 0.8);
        Frame train = shuffled.slice(0, cut);
        Frame test = shuffled.slice(cut, data.rowCount());
        MutableDataset<Label> trainSet = TribuoData.classification(train, "diagnosis");
        MutableDataset<Label> testSet = TribuoData.classification(test, "diagnosis");

        Trainer<Label> trainer = new TransformTrainer<>(
                new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 10, -1, 1, SEED),
                new TransformationMap(List.of(new MeanStdDevTransformation())));

        Experiment experiment = tracking.experiment("breast-cancer");
        String runId;
        Model<Label> model;
        try (Run run = experiment.startRun("logistic-regression")) {
            runId = run.id();
            run.setTag("dataset", "breast_cancer");
            run.logParams(Map.of("split.seed", SEED, "split.train_fraction", 0.8));
            run.logInput(train, "breast_cancer", "training");
            run.logInput(test, "breast_cancer", "evaluation");
            model = TribuoTracking.trainAndLog(run, trainer, trainSet, testSet);
            out.printf("Trained %s on %d rows; tested on %d rows.%n", model.getClass().getSimpleName(), train.rowCount(),
                    test.rowCount());
        }
        RunInfo info = tracking.getRun(runId);
        out.printf("Tracked run %s (%s): accuracy %.3f, macro F1 %.3f, AUC %.3f, %d params, artifacts %s%n%n",
                info.name(), info.runId(), info.metrics().get("accuracy"), info.metrics().get("macro_f1"),
                info.metrics().get("auc"), info.params().size(),
                tracking.listArtifacts(runId, "model").stream().map(a -> a.path()).toList());

        List<RunInfo> best = tracking.searchRuns(experiment, "metrics.accuracy > 0.9", "metrics.auc DESC", 5);
        out.println("Best runs so far (metrics.accuracy > 0.9, by AUC):");
        Frame compared = tracking.compareRuns(best.stream().map(RunInfo::runId).toList());
        out.println(compared.select("run_name", "start_time", "metrics.accuracy", "metrics.auc").format(5));
        return new Trained(info, model, train, test);
    }


    /**
     * Tunes the same trainer's learning rate, epochs and minibatch size with TPE on 3-fold cross-validated AUC over the
     * training rows; the study is the experiment {@code breast-cancer-tuning} and every trial a child run. A median
     * pruner stops configurations that trail after a fold. Running the example again resumes the study.
     *
     * @return the study
     */
    static Study tune(Frame train, Tracking tracking, PrintStream out) {
        MutableDataset<Label> trainSet = TribuoData.classification(train, "diagnosis");
        SearchSpace space = SearchSpace.builder()
                .logUniform("learning_rate", 1e-3, 1.0)
                .integer("epochs", 2, 30)
                .logInteger("minibatch", 1, 32)
                .build();
        Study study = Study.builder("breast-cancer-tuning").space(space).maximize().objectiveNames("cv_auc")
                .sampler(TpeSampler.builder().seed(SEED).startupTrials(5).build())
                .pruner(new MedianPruner(3, 0, 1, 1))
                .tracking(tracking)
                .build();
        OptimizeReport report = study.optimize(trial -> {
            Trainer<Label> trainer = new TransformTrainer<>(new LinearSGDTrainer(new LogMulticlass(),
                    new AdaGrad(trial.getDouble("learning_rate"), 0.1), trial.getInt("epochs"), -1,
                    trial.getInt("minibatch"), SEED), new TransformationMap(List.of(new MeanStdDevTransformation())));
            List<Pair<LabelEvaluation, Model<Label>>> folds = new CrossValidation<>(trainer, trainSet,
                    new LabelEvaluator(), 3, SEED).evaluate();
            double sum = 0;
            for (int f = 0; f < folds.size(); f++) {
                sum += folds.get(f).getA().averageAUCROC(false);
                trial.report(f, sum / (f + 1));
                if (trial.shouldPrune()) {
                    throw new TrialPrunedException();
                }
            }
            return sum / folds.size();
        }, Budget.trials(12));
        FrozenTrial best = study.bestTrial();
        out.printf(java.util.Locale.ROOT, "Tuned in study '%s': %d trials (%d pruned) in %.1f s; best trial %d has "
                + "cross-validated AUC %.4f with %s%n", study.name(), report.started(), report.pruned(),
                report.elapsed().toMillis() / 1000.0, best.number(), best.value(), best.params());
        out.println(study.trialsFrame().sort(SortKey.desc("values.cv_auc"))
                .select("number", "state", "values.cv_auc", "params.learning_rate", "params.epochs",
                        "params.minibatch").format(5));
        return study;
    }

    /**
     * Serves the champion from the registry over HTTP (MLflow's scoring protocol) and calls it with two held-out
     * rows.
     *
     * @return the response body
     */
    static String serve(Registry registry, Frame test, PrintStream out) {
        Frame rows = test.drop("diagnosis").head(2);
        StringBuilder body = new StringBuilder("{\"dataframe_records\": [");
        for (int r = 0; r < rows.rowCount(); r++) {
            body.append(r == 0 ? "{" : ", {");
            Map<String, Object> row = rows.row(r).toMap();
            int c = 0;
            for (Map.Entry<String, Object> e : row.entrySet()) {
                body.append(c++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            }
            body.append('}');
        }
        body.append("]}");
        try (Predictor predictor = Predictor.builder().registry(registry, "models:/breast-cancer@champion")
                        .batching(Batching.defaults()).build();
                ServingServer server = ServingServer.builder(predictor).port(0).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.printf("Served %s version %d (%s on %s) at http://127.0.0.1:%d; POST /invocations answered %d:%n%s%n"
                    + "True labels: %s%n", predictor.info().name(), predictor.info().version(),
                    predictor.info().engine(), predictor.info().device(), server.port(), response.statusCode(),
                    response.body(), test.stringColumn("diagnosis").slice(0, 2));
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the server", e);
        }
    }

    /**
     * Packages the trained model, registers it with its run as the source, and promotes it to {@code champion}
     * through a policy that asks for an AUC of at least 0.95 and a signature compatible with the current champion.
     */
    static ModelVersion register(Trained trained, Registry registry, Path builds, PrintStream out) {
        RunInfo run = trained.run();
        ModelPackage pkg = ModelPackage.builder()
                .tribuo(trained.model())
                .inputExample(trained.test().drop("diagnosis").head(3))
                .metrics(Map.of("accuracy", run.metrics().get("accuracy"), "auc", run.metrics().get("auc"),
                        "macro_f1", run.metrics().get("macro_f1")))
                .description("Logistic regression on the Breast Cancer Wisconsin data, standardized features")
                .build(builds.resolve(run.runId()));
        ModelVersion version = registry.register("breast-cancer", pkg, run.artifactUri("model"));
        registry.setPolicy("breast-cancer", "champion", AliasPolicy.none().withMinimum("auc", 0.95)
                .withCompatibleSignature());
        ModelPromoter.PromotionResult result = registry.promote(new ModelPromoter.PromotionRequest("breast-cancer",
                version.version(), "champion", registry.actor(), "quickstart training run " + run.runId(),
                Map.of("auc", run.metrics().get("auc"))));
        out.printf("Registered %s (package %s..., flavors %s); promotion to champion: %s (%s)%n", version.uri(),
                version.packageDigest().substring(0, 12), pkg.descriptor().flavors().keySet(), result.outcome(),
                result.detail());
        out.printf("Lineage: trained on %s%n", registry.lineage("breast-cancer", version.version()).datasets().stream()
                .map(d -> d.name() + "/" + d.context()).distinct().toList());
        ModelPackage champion = registry.load(ModelUri.parse("models:/breast-cancer@champion"));
        out.printf("models:/breast-cancer@champion -> version %d, verified package with %d files%n%n",
                registry.resolve(ModelUri.parse("models:/breast-cancer@champion")).version(),
                champion.descriptor().files().size());
        return version;
    }
}
