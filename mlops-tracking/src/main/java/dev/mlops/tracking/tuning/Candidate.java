package dev.mlops.tracking.tuning;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.tuning.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.Entropy;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.dtree.impurity.LabelImpurity;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.AbstractCARTTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.fm.FMRegressionTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * A Tribuo trainer with its search space, as {@link AutoMl} tries it. The built-in classification candidates are
 * logistic regression (linear SGD, standardized features), CART, random forest, XGBoost (when
 * {@code org.tribuo:tribuo-classification-xgboost} is on the class path) and factorization machines (standardized
 * features); the regression ones ({@link #regressionDefaults()}) mirror them; {@link #of} makes others.
 *
 * @param name a short name: 1 to 64 letters, digits, {@code _} or {@code -}
 * @param space the hyperparameters to tune
 * @param factory builds a trainer from one assignment of the space and a seed
 * @param <T> the output type: {@link Label} for classification, {@link Regressor} for regression
 */
public record Candidate<T extends Output<T>>(String name, SearchSpace space, TrainerFactory<T> factory) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String XGBOOST = "org.tribuo.classification.xgboost.XGBoostClassificationTrainer";
    private static final String XGBOOST_REGRESSION = "org.tribuo.regression.xgboost.XGBoostRegressionTrainer";

    /**
     * Builds a trainer for one assignment of a candidate's search space.
     *
     * @param <T> the output type: {@link Label} for classification, {@link Regressor} for regression
     */
    @FunctionalInterface
    public interface TrainerFactory<T extends Output<T>> {
        /**
         * Builds the trainer.
         *
         * @param params values of the active parameters
         * @param seed the seed for the trainer's randomness
         * @return the trainer
         */
        Trainer<T> create(Map<String, Object> params, long seed);
    }

    /**
     * Validates the candidate.
     *
     * @throws InvalidArgumentException if the name is malformed
     */
    public Candidate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("candidate name '" + name + "' must be 1 to 64 letters, digits, '_' "
                    + "or '-'");
        }
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * Makes a candidate of one's own.
     *
     * @param name the name
     * @param space the hyperparameters
     * @param factory builds the trainer
     * @return the candidate
     */
    public static <T extends Output<T>> Candidate<T> of(String name, SearchSpace space, TrainerFactory<T> factory) {
        return new Candidate<>(name, space, factory);
    }

    /**
     * Every built-in classification candidate whose library is on the class path.
     *
     * @return the candidates
     */
    public static List<Candidate<Label>> defaults() {
        List<Candidate<Label>> out = new ArrayList<>(List.of(logisticRegression(), cart(), randomForest(),
                factorizationMachine()));
        if (xgboostAvailable()) {
            out.add(3, xgboost());
        }
        return List.copyOf(out);
    }

    /**
     * Every built-in regression candidate whose library is on the class path: linear regression (SGD, standardized
     * features), CART, random forest, XGBoost (with {@code org.tribuo:tribuo-regression-xgboost}) and factorization
     * machines.
     *
     * @return the candidates
     */
    public static List<Candidate<Regressor>> regressionDefaults() {
        List<Candidate<Regressor>> out = new ArrayList<>(List.of(linearRegression(), cartRegression(),
                randomForestRegression(), factorizationMachineRegression()));
        if (available(XGBOOST_REGRESSION)) {
            out.add(3, xgboostRegression());
        }
        return List.copyOf(out);
    }

    /**
     * Logistic regression trained by SGD with AdaGrad on standardized features.
     *
     * @return the candidate
     */
    public static Candidate<Label> logisticRegression() {
        return new Candidate<>("logistic", SearchSpace.builder()
                .logUniform("learning_rate", 1e-3, 1.0)
                .integer("epochs", 3, 30)
                .logInteger("minibatch", 1, 64)
                .build(),
                (p, seed) -> standardized(new LinearSGDTrainer(new LogMulticlass(),
                        new AdaGrad((Double) p.get("learning_rate"), 0.1), intOf(p, "epochs"), -1,
                        intOf(p, "minibatch"), seed)));
    }

    /**
     * A CART decision tree.
     *
     * @return the candidate
     */
    public static Candidate<Label> cart() {
        return new Candidate<>("cart", SearchSpace.builder()
                .integer("max_depth", 2, 20)
                .logUniform("min_child_weight", 1, 20)
                .categorical("impurity", "gini", "entropy")
                .build(),
                (p, seed) -> new CARTClassificationTrainer(intOf(p, "max_depth"),
                        ((Double) p.get("min_child_weight")).floatValue(), 0.0f, 1.0f, false,
                        impurity((String) p.get("impurity")), seed));
    }

    /**
     * A random forest of CART trees combined by voting.
     *
     * @return the candidate
     */
    public static Candidate<Label> randomForest() {
        return new Candidate<>("random_forest", SearchSpace.builder()
                .logInteger("trees", 10, 200)
                .integer("max_depth", 3, 20)
                .uniform("feature_fraction", 0.2, 1.0)
                .build(),
                (p, seed) -> new RandomForestTrainer<>(new CARTClassificationTrainer(intOf(p, "max_depth"),
                        ((Double) p.get("feature_fraction")).floatValue(), seed), new VotingCombiner(),
                        intOf(p, "trees"), seed));
    }

    /**
     * XGBoost gradient-boosted trees; needs {@code org.tribuo:tribuo-classification-xgboost} (and the system's
     * {@code libgomp}).
     *
     * @return the candidate
     * @throws InvalidArgumentException if the XGBoost trainer is not on the class path
     */
    public static Candidate<Label> xgboost() {
        if (!xgboostAvailable()) {
            throw new InvalidArgumentException("the XGBoost candidate needs org.tribuo:tribuo-classification-xgboost "
                    + "on the class path");
        }
        return new Candidate<>("xgboost", SearchSpace.builder()
                .logInteger("trees", 10, 200)
                .logUniform("eta", 0.01, 0.5)
                .integer("max_depth", 2, 10)
                .uniform("subsample", 0.5, 1.0)
                .logUniform("lambda", 1e-3, 10)
                .build(),
                (p, seed) -> XgboostTrainers.create(intOf(p, "trees"), (Double) p.get("eta"), intOf(p, "max_depth"),
                        (Double) p.get("subsample"), (Double) p.get("lambda"), seed));
    }

    /**
     * A factorization machine trained by SGD with AdaGrad on standardized features.
     *
     * @return the candidate
     */
    public static Candidate<Label> factorizationMachine() {
        return new Candidate<>("factorization_machine", SearchSpace.builder()
                .logUniform("learning_rate", 1e-3, 0.5)
                .integer("epochs", 3, 30)
                .integer("factors", 2, 16)
                .logUniform("variance", 1e-3, 0.5)
                .build(),
                (p, seed) -> standardized(new FMClassificationTrainer(new LogMulticlass(),
                        new AdaGrad((Double) p.get("learning_rate"), 0.1), intOf(p, "epochs"), -1, 1, seed,
                        intOf(p, "factors"), (Double) p.get("variance"))));
    }

    // ---------------------------------------------------------------- regression

    /**
     * Linear regression trained by SGD (squared loss, AdaGrad) on standardized features.
     *
     * @return the candidate
     */
    public static Candidate<Regressor> linearRegression() {
        return new Candidate<>("linear", SearchSpace.builder()
                .logUniform("learning_rate", 1e-3, 1.0)
                .integer("epochs", 3, 30)
                .logInteger("minibatch", 1, 64)
                .build(),
                (p, seed) -> standardized(new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                        new AdaGrad((Double) p.get("learning_rate"), 0.1), intOf(p, "epochs"), -1,
                        intOf(p, "minibatch"), seed)));
    }

    /**
     * A CART regression tree.
     *
     * @return the candidate
     */
    public static Candidate<Regressor> cartRegression() {
        return new Candidate<>("cart", SearchSpace.builder()
                .integer("max_depth", 2, 20)
                .logUniform("min_child_weight", 1, 20)
                .build(),
                (p, seed) -> new CARTRegressionTrainer(intOf(p, "max_depth"),
                        ((Double) p.get("min_child_weight")).floatValue(), 0.0f, 1.0f, false, new MeanSquaredError(),
                        seed));
    }

    /**
     * A random forest of CART regression trees, averaged.
     *
     * @return the candidate
     */
    public static Candidate<Regressor> randomForestRegression() {
        return new Candidate<>("random_forest", SearchSpace.builder()
                .logInteger("trees", 10, 200)
                .integer("max_depth", 3, 20)
                .uniform("feature_fraction", 0.2, 1.0)
                .build(),
                (p, seed) -> new RandomForestTrainer<>(new CARTRegressionTrainer(intOf(p, "max_depth"),
                        AbstractCARTTrainer.MIN_EXAMPLES, 0.0f, ((Double) p.get("feature_fraction")).floatValue(),
                        false, new MeanSquaredError(), seed), new AveragingCombiner(), intOf(p, "trees"), seed));
    }

    /**
     * XGBoost regression with squared error; needs {@code org.tribuo:tribuo-regression-xgboost}.
     *
     * @return the candidate
     * @throws InvalidArgumentException if the XGBoost trainer is not on the class path
     */
    public static Candidate<Regressor> xgboostRegression() {
        if (!available(XGBOOST_REGRESSION)) {
            throw new InvalidArgumentException("the XGBoost regression candidate needs "
                    + "org.tribuo:tribuo-regression-xgboost on the class path");
        }
        return new Candidate<>("xgboost", SearchSpace.builder()
                .logInteger("trees", 10, 200)
                .logUniform("eta", 0.01, 0.5)
                .integer("max_depth", 2, 10)
                .uniform("subsample", 0.5, 1.0)
                .logUniform("lambda", 1e-3, 10)
                .build(),
                (p, seed) -> XgboostTrainers.regression(intOf(p, "trees"), (Double) p.get("eta"),
                        intOf(p, "max_depth"), (Double) p.get("subsample"), (Double) p.get("lambda"), seed));
    }

    /**
     * A factorization machine for regression, trained by SGD on standardized features and targets.
     *
     * @return the candidate
     */
    public static Candidate<Regressor> factorizationMachineRegression() {
        return new Candidate<>("factorization_machine", SearchSpace.builder()
                .logUniform("learning_rate", 1e-3, 0.5)
                .integer("epochs", 3, 30)
                .integer("factors", 2, 16)
                .logUniform("variance", 1e-3, 0.5)
                .build(),
                (p, seed) -> standardized(new FMRegressionTrainer(new SquaredLoss(),
                        new AdaGrad((Double) p.get("learning_rate"), 0.1), intOf(p, "epochs"), -1, 1, seed,
                        intOf(p, "factors"), (Double) p.get("variance"), true)));
    }

    static boolean xgboostAvailable() {
        return available(XGBOOST);
    }

    private static boolean available(String className) {
        try {
            Class.forName(className, false, Candidate.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static <T extends Output<T>> Trainer<T> standardized(Trainer<T> inner) {
        return new TransformTrainer<>(inner, new TransformationMap(List.of(new MeanStdDevTransformation())));
    }

    private static LabelImpurity impurity(String name) {
        return name.equals("entropy") ? new Entropy() : new GiniIndex();
    }

    private static int intOf(Map<String, Object> p, String name) {
        return Math.toIntExact((Long) p.get(name));
    }
}
