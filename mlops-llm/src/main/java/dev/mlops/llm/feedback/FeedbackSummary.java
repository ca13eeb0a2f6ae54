package dev.mlops.llm.feedback;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Valid feedback on one model version, aggregated: a monitoring signal. Pairwise judgements count toward a model
 * version only against a different version; a tie counts as half a win.
 *
 * @param modelVersion the model version
 * @param starRatings the number of 1-5 ratings
 * @param meanStars their mean, NaN when there are none
 * @param thumbRatings the number of thumbs ratings
 * @param thumbsUpRate the share of thumbs up, NaN when there are none
 * @param comparisons pairwise judgements against other versions
 * @param wins judgements that preferred this version
 * @param losses judgements that preferred the other version
 * @param ties judgements with no preference
 * @param winRate {@code (wins + ties / 2) / comparisons}, NaN when there are none
 * @param corrections the number of corrections
 * @param comments the number of free-text comments
 */
public record FeedbackSummary(String modelVersion, long starRatings, double meanStars, long thumbRatings,
        double thumbsUpRate, long comparisons, long wins, long losses, long ties, double winRate, long corrections,
        long comments) {
    /**
     * Validates the summary.
     *
     * @throws NullPointerException if the model version is null
     */
    public FeedbackSummary {
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    /**
     * Returns the summary as metrics for a {@link dev.mlops.api.spi.MetricSink}: {@code feedback/mean_stars},
     * {@code feedback/thumbs_up_rate}, {@code feedback/win_rate} (each only when defined), and the counts.
     *
     * @return metric values by key
     */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (!Double.isNaN(meanStars)) {
            m.put("feedback/mean_stars", meanStars);
        }
        if (!Double.isNaN(thumbsUpRate)) {
            m.put("feedback/thumbs_up_rate", thumbsUpRate);
        }
        if (!Double.isNaN(winRate)) {
            m.put("feedback/win_rate", winRate);
        }
        m.put("feedback/star_ratings", (double) starRatings);
        m.put("feedback/thumb_ratings", (double) thumbRatings);
        m.put("feedback/comparisons", (double) comparisons);
        m.put("feedback/corrections", (double) corrections);
        m.put("feedback/comments", (double) comments);
        return m;
    }
}
