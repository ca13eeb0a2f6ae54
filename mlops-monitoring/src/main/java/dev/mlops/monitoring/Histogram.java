package dev.mlops.monitoring;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;

/**
 * Counts of values in consecutive bins {@code [edges[i], edges[i + 1])}, the last bin closed on the right.
 *
 * <p>Immutable and thread-safe.
 *
 * @param edges the bin edges, ascending, one more than the counts
 * @param counts the (estimated) number of values per bin
 * @param countError the largest error of any bin count (0 when exact)
 */
public record Histogram(List<Double> edges, List<Long> counts, long countError) {
    /**
     * Validates and copies the lists.
     *
     * @throws InvalidArgumentException if there is not exactly one more edge than counts (or both empty)
     */
    public Histogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        if (edges.size() != counts.size() + 1 && !(edges.isEmpty() && counts.isEmpty())) {
            throw new InvalidArgumentException("a histogram needs one edge more than counts, but has " + edges.size()
                    + " edges and " + counts.size() + " counts");
        }
    }
}
