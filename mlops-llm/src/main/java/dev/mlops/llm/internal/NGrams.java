package dev.mlops.llm.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word n-gram matching for BLEU: clipped n-gram matches of a hypothesis against one or more references (the count of
 * each reference n-gram is the largest over the references), and the closest reference length.
 *
 * <p>Tokens are mapped to small per-segment ids and n-grams of up to four tokens are packed into one {@code long}
 * (16 bits per token), so counting allocates no objects per n-gram; longer orders or segments with more than 65,535
 * distinct reference tokens fall back to string keys. Stateless and thread-safe.
 */
public final class NGrams {
    private static final int MAX_PACKED_ORDER = 4;
    private static final int MAX_PACKED_ID = 0xFFFF;

    private NGrams() {
    }

    /**
     * Computes one segment's BLEU statistics in sacreBLEU's layout: hypothesis length, closest reference length,
     * matches per order, then n-gram totals per order.
     *
     * @param hyp the hypothesis tokens
     * @param refs the reference tokens, at least one
     * @param maxOrder the largest n-gram order
     * @return {@code 2 + 2 * maxOrder} statistics
     */
    public static double[] bleuStatistics(String[] hyp, List<String[]> refs, int maxOrder) {
        double[] out = new double[2 + 2 * maxOrder];
        out[0] = hyp.length;
        out[1] = closestRefLength(hyp.length, refs);
        for (int n = 1; n <= maxOrder; n++) {
            out[2 + maxOrder + n - 1] = Math.max(0, hyp.length - n + 1);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (String[] ref : refs) {
            for (String t : ref) {
                ids.putIfAbsent(t, ids.size() + 1);
            }
        }
        if (maxOrder <= MAX_PACKED_ORDER && ids.size() <= MAX_PACKED_ID) {
            packedMatches(hyp, refs, maxOrder, ids, out);
        } else {
            stringMatches(hyp, refs, maxOrder, out);
        }
        return out;
    }

    /**
     * Returns the reference length closest to the hypothesis length, the shorter one on a tie, as sacreBLEU does.
     *
     * @param hypLength the hypothesis length
     * @param refs the references
     * @return the chosen reference length
     */
    public static int closestRefLength(int hypLength, List<String[]> refs) {
        int closestDiff = -1;
        int closestLen = -1;
        for (String[] ref : refs) {
            int diff = Math.abs(hypLength - ref.length);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = ref.length;
            } else if (diff == closestDiff && ref.length < closestLen) {
                closestLen = ref.length;
            }
        }
        return closestLen;
    }

    private static int[] toIds(String[] tokens, Map<String, Integer> ids) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            Integer id = ids.get(tokens[i]);
            out[i] = id == null ? 0 : id;
        }
        return out;
    }

    private static void count(int[] ids, int maxOrder, LongIntMap into) {
        for (int i = 0; i < ids.length; i++) {
            long key = 0;
            for (int n = 1; n <= maxOrder && i + n <= ids.length; n++) {
                key = (key << 16) | ids[i + n - 1];
                into.add(key, 1);
            }
        }
    }

    private static void packedMatches(String[] hyp, List<String[]> refs, int maxOrder, Map<String, Integer> ids,
            double[] out) {
        LongIntMap refCounts;
        if (refs.size() == 1) {
            int[] r = toIds(refs.get(0), ids);
            refCounts = new LongIntMap(r.length * maxOrder);
            count(r, maxOrder, refCounts);
        } else {
            refCounts = new LongIntMap(64);
            for (String[] ref : refs) {
                int[] r = toIds(ref, ids);
                LongIntMap one = new LongIntMap(r.length * maxOrder);
                count(r, maxOrder, one);
                one.maxInto(refCounts);
            }
        }
        int[] h = toIds(hyp, ids);
        // Taking matched n-grams out of the reference counts clips each n-gram's matches at its reference count.
        for (int i = 0; i < h.length; i++) {
            long key = 0;
            for (int n = 1; n <= maxOrder && i + n <= h.length; n++) {
                int id = h[i + n - 1];
                if (id == 0) {
                    break;
                }
                key = (key << 16) | id;
                if (refCounts.takeOne(key)) {
                    out[2 + n - 1]++;
                }
            }
        }
    }

    private static void stringMatches(String[] hyp, List<String[]> refs, int maxOrder, double[] out) {
        Map<String, Integer> refCounts = new HashMap<>();
        for (String[] ref : refs) {
            Map<String, Integer> one = stringCounts(ref, maxOrder);
            one.forEach((k, v) -> refCounts.merge(k, v, Math::max));
        }
        Map<String, Integer> hypCounts = stringCounts(hyp, maxOrder);
        for (Map.Entry<String, Integer> e : hypCounts.entrySet()) {
            Integer r = refCounts.get(e.getKey());
            if (r != null) {
                int order = 1;
                String k = e.getKey();
                for (int i = 0; i < k.length(); i++) {
                    if (k.charAt(i) == ' ') {
                        order++;
                    }
                }
                out[2 + order - 1] += Math.min(e.getValue(), r);
            }
        }
    }

    private static Map<String, Integer> stringCounts(String[] tokens, int maxOrder) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= tokens.length; i++) {
                // Tokens never hold whitespace, so a space joins them unambiguously.
                counts.merge(String.join(" ", java.util.Arrays.asList(tokens).subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
