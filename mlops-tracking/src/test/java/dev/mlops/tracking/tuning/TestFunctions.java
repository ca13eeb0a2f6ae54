package dev.mlops.tracking.tuning;

import dev.mlops.api.tuning.Objective;
import dev.mlops.api.tuning.SearchSpace;

/** Standard optimization test functions with their usual domains. */
final class TestFunctions {
    private TestFunctions() {
    }

    static final SearchSpace BRANIN_SPACE = SearchSpace.builder().uniform("x1", -5, 10).uniform("x2", 0, 15).build();

    /** Branin-Hoo; global minimum 0.397887. */
    static final Objective BRANIN = t -> {
        double x1 = t.getDouble("x1");
        double x2 = t.getDouble("x2");
        double a = x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6;
        return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    };

    static final SearchSpace HARTMANN6_SPACE;

    static {
        SearchSpace.Builder b = SearchSpace.builder();
        for (int i = 0; i < 6; i++) {
            b.uniform("x" + i, 0, 1);
        }
        HARTMANN6_SPACE = b.build();
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /** Hartmann-6; global minimum -3.32237. */
    static final Objective HARTMANN6 = t -> {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
                double d = t.getDouble("x" + j) - P[i][j];
                inner += A[i][j] * d * d;
            }
            sum += ALPHA[i] * Math.exp(-inner);
        }
        return -sum;
    };

    static final SearchSpace ROSENBROCK5_SPACE;

    static {
        SearchSpace.Builder b = SearchSpace.builder();
        for (int i = 0; i < 5; i++) {
            b.uniform("x" + i, -5, 10);
        }
        ROSENBROCK5_SPACE = b.build();
    }

    /** Rosenbrock in 5 dimensions; global minimum 0 at (1, ..., 1). */
    static final Objective ROSENBROCK5 = t -> {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double x = t.getDouble("x" + i);
            double y = t.getDouble("x" + (i + 1));
            sum += 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
        }
        return sum;
    };
}
