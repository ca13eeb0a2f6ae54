package dev.mlops.llm;

import dev.mlops.api.Frame;
import dev.mlops.api.NotFoundException;
import dev.mlops.llm.metrics.PairedBootstrapResult;
import java.util.List;

/**
 * Two models evaluated on the same dataset, side by side, with a paired bootstrap test per metric. Immutable and
 * thread-safe.
 *
 * <p>{@link #sideBySide()} has the columns {@code id}, {@code prompt}, {@code reference},
 * {@code prediction_baseline}, {@code prediction_candidate}, {@code latency_ms_baseline},
 * {@code latency_ms_candidate}, and for each metric {@code <metric>_baseline}, {@code <metric>_candidate} and
 * {@code <metric>_delta}. {@link #significance()} has one row per metric with the columns {@code metric},
 * {@code baseline}, {@code candidate}, {@code delta}, {@code delta_low}, {@code delta_high}, {@code p_value},
 * {@code candidate_win_rate} and {@code significant} (p below 0.05).
 */
public final class Comparison {
    private final EvaluationResult baseline;
    private final EvaluationResult candidate;
    private final Frame sideBySide;
    private final Frame significance;
    private final List<PairedBootstrapResult> tests;

    Comparison(EvaluationResult baseline, EvaluationResult candidate, Frame sideBySide, Frame significance,
            List<PairedBootstrapResult> tests) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.sideBySide = sideBySide;
        this.significance = significance;
        this.tests = List.copyOf(tests);
    }

    /**
     * Returns the baseline's evaluation.
     *
     * @return the baseline
     */
    public EvaluationResult baseline() {
        return baseline;
    }

    /**
     * Returns the candidate's evaluation.
     *
     * @return the candidate
     */
    public EvaluationResult candidate() {
        return candidate;
    }

    /**
     * Returns one row per example with both predictions and scores.
     *
     * @return the side-by-side frame
     */
    public Frame sideBySide() {
        return sideBySide;
    }

    /**
     * Returns one row per metric with the paired test's outcome.
     *
     * @return the significance frame
     */
    public Frame significance() {
        return significance;
    }

    /**
     * Returns the paired tests in metric order.
     *
     * @return the tests
     */
    public List<PairedBootstrapResult> tests() {
        return tests;
    }

    /**
     * Returns the paired test of one metric.
     *
     * @param metric the metric's name
     * @return the test
     * @throws NotFoundException if the metric was not evaluated
     */
    public PairedBootstrapResult test(String metric) {
        return tests.stream().filter(t -> t.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new NotFoundException("metric '" + metric + "' was not compared; metrics are "
                        + tests.stream().map(PairedBootstrapResult::metric).toList()));
    }

    @Override
    public String toString() {
        return "Comparison[" + baseline.model() + " vs " + candidate.model() + ", " + tests + "]";
    }
}
