package dev.mlops.monitoring.stream;

import dev.mlops.api.InvalidArgumentException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Model quality metrics over labelled predictions, as the monitor computes them per window. Pure functions;
 * thread-safe.
 */
public final class PerformanceMetrics {
    private PerformanceMetrics() {
    }

    private static void sameSize(int a, int b) {
        if (a != b) {
            throw new InvalidArgumentException("actual and predicted values differ in number: " + a + " vs " + b);
        }
    }

    /**
     * Returns the share of predictions equal to the actual label.
     *
     * @param actual the labels
     * @param predicted the predictions, in the same order
     * @return the accuracy, NaN when empty
     * @throws InvalidArgumentException if the lists differ in size
     */
    public static double accuracy(List<?> actual, List<?> predicted) {
        sameSize(actual.size(), predicted.size());
        if (actual.isEmpty()) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i = 0; i < actual.size(); i++) {
            if (Objects.equals(actual.get(i), predicted.get(i))) {
                hits++;
            }
        }
        return (double) hits / actual.size();
    }

    /**
     * Returns precision, recall and F1 for one class taken as positive.
     *
     * @param actual the labels
     * @param predicted the predictions
     * @param positive the positive class
     * @return {precision, recall, F1}; a part whose denominator is 0 is 0 (as scikit-learn's zero_division=0)
     * @throws InvalidArgumentException if the lists differ in size
     */
    public static double[] precisionRecallF1(List<?> actual, List<?> predicted, Object positive) {
        sameSize(actual.size(), predicted.size());
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < actual.size(); i++) {
            boolean a = Objects.equals(actual.get(i), positive);
            boolean p = Objects.equals(predicted.get(i), positive);
            if (a && p) {
                tp++;
            } else if (p) {
                fp++;
            } else if (a) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }

    /**
     * Returns the F1 score averaged over the classes present in either list (macro average).
     *
     * @param actual the labels
     * @param predicted the predictions
     * @return the macro F1, NaN when empty
     * @throws InvalidArgumentException if the lists differ in size
     */
    public static double macroF1(List<?> actual, List<?> predicted) {
        sameSize(actual.size(), predicted.size());
        if (actual.isEmpty()) {
            return Double.NaN;
        }
        Set<Object> classes = new HashSet<>(actual);
        classes.addAll(predicted);
        double sum = 0;
        for (Object c : classes) {
            sum += precisionRecallF1(actual, predicted, c)[2];
        }
        return sum / classes.size();
    }

    /**
     * Returns the area under the ROC curve: the probability that a random positive scores above a random negative,
     * ties counting one half (the Mann-Whitney form).
     *
     * @param positive whether each row is of the positive class
     * @param scores each row's score for the positive class
     * @return the AUC, NaN when either class is absent
     * @throws InvalidArgumentException if the arrays differ in length or a score is NaN
     */
    public static double auc(boolean[] positive, double[] scores) {
        sameSize(positive.length, scores.length);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new InvalidArgumentException("score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double midrank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
            for (int k = i; k < j; k++) {
                if (positive[order[k]]) {
                    rankSum += midrank;
                    pos++;
                }
            }
            i = j;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Returns the root mean squared error.
     *
     * @param actual the true values
     * @param predicted the predictions
     * @return the RMSE, NaN when empty
     * @throws InvalidArgumentException if the arrays differ in length
     */
    public static double rmse(double[] actual, double[] predicted) {
        sameSize(actual.length, predicted.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - predicted[i];
            s += d * d;
        }
        return Math.sqrt(s / actual.length);
    }

    /**
     * Returns the mean absolute error.
     *
     * @param actual the true values
     * @param predicted the predictions
     * @return the MAE, NaN when empty
     * @throws InvalidArgumentException if the arrays differ in length
     */
    public static double mae(double[] actual, double[] predicted) {
        sameSize(actual.length, predicted.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += Math.abs(actual[i] - predicted[i]);
        }
        return s / actual.length;
    }
}
