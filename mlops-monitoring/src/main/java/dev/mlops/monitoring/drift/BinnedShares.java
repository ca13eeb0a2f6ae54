package dev.mlops.monitoring.drift;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;

/**
 * The reference and current distributions of a column side by side, as shares per bin or category: what a report
 * draws, and what the histogram-based measures compare.
 *
 * <p>Immutable and thread-safe.
 *
 * @param labels a label per bin ({@code "[1.5, 2)"}) or category
 * @param reference the reference share per bin, summing to 1 (all 0 for an empty sample)
 * @param current the current share per bin
 */
public record BinnedShares(List<String> labels, List<Double> reference, List<Double> current) {
    /**
     * Validates and copies the lists.
     *
     * @throws InvalidArgumentException if the lists differ in length
     */
    public BinnedShares {
        labels = List.copyOf(labels);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (labels.size() != reference.size() || labels.size() != current.size()) {
            throw new InvalidArgumentException("labels, reference and current shares differ in length: "
                    + labels.size() + ", " + reference.size() + ", " + current.size());
        }
    }
}
