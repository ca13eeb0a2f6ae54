package dev.mlops.tracking.tuning;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;

/** Kept apart so that the XGBoost classes load only when the XGBoost candidate is used. */
final class XgboostTrainers {
    private XgboostTrainers() {
    }

    static Trainer<org.tribuo.regression.Regressor> regression(int trees, double eta, int maxDepth, double subsample,
            double lambda, long seed) {
        return new org.tribuo.regression.xgboost.XGBoostRegressionTrainer(
                org.tribuo.regression.xgboost.XGBoostRegressionTrainer.RegressionType.LINEAR, trees, eta, 0.0, maxDepth,
                1.0, subsample, 1.0, lambda, 0.0, 1, true, seed);
    }

    static Trainer<Label> create(int trees, double eta, int maxDepth, double subsample, double lambda, long seed) {
        return new XGBoostClassificationTrainer(trees, eta, 0.0, maxDepth, 1.0, subsample, 1.0, lambda, 0.0, 1, true,
                seed);
    }
}
