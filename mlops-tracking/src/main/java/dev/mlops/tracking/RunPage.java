package dev.mlops.tracking;

import java.util.List;
import java.util.Optional;

/**
 * One page of search results.
 *
 * @param runs the runs on this page, in the requested order
 * @param nextPageToken the token that fetches the next page, or {@code null} on the last page
 */
public record RunPage(List<RunInfo> runs, String nextPageToken) {
    /**
     * Copies the list.
     */
    public RunPage {
        runs = List.copyOf(runs);
    }

    /**
     * Returns the token of the next page.
     *
     * @return the token, or empty on the last page
     */
    public Optional<String> nextPage() {
        return Optional.ofNullable(nextPageToken);
    }
}
