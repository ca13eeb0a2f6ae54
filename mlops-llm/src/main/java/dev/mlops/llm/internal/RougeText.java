package dev.mlops.llm.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rouge-score's default tokenizer and its longest-common-subsequence routines.
 *
 * <p>Tokenizing lower-cases the text (Python's {@code str.lower()}), turns every run of characters outside
 * {@code [a-z0-9]} into a space and splits; with stemming, tokens longer than three characters go through
 * {@link PorterStemmer}. Non-ASCII letters therefore never form tokens, exactly as in rouge-score. Stateless and
 * thread-safe.
 */
public final class RougeText {
    private RougeText() {
    }

    /**
     * Tokenizes text as rouge-score's {@code DefaultTokenizer} does.
     *
     * @param text the text
     * @param stem whether to apply the Porter stemmer to tokens longer than three characters
     * @return the tokens
     */
    public static List<String> tokenize(String text, boolean stem) {
        String lower = isAscii(text) ? null : PyText.lower(text);
        String s = lower == null ? text : lower;
        List<String> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        char[] buf = new char[Math.min(n, 64)];
        while (i < n) {
            int len = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (lower == null && c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    if (len == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    buf[len++] = c;
                    i++;
                } else {
                    break;
                }
            }
            if (len > 0) {
                String token = new String(buf, 0, len);
                if (stem && len > 3) {
                    token = PorterStemmer.stem(token);
                }
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            } else {
                i++;
            }
        }
        return tokens;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Maps tokens to ids shared across several token lists, so that LCS compares ints.
     *
     * @param dictionary the shared dictionary, extended as needed
     * @param tokens the tokens
     * @return the ids
     */
    public static int[] ids(Map<String, Integer> dictionary, List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = dictionary.get(tokens.get(i));
            if (id == null) {
                id = dictionary.size();
                dictionary.put(tokens.get(i), id);
            }
            out[i] = id;
        }
        return out;
    }

    /**
     * Returns the length of the longest common subsequence, in two rows of memory.
     *
     * @param a one sequence
     * @param b the other
     * @return the LCS length
     */
    public static int lcsLength(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        int[] shorter = a.length <= b.length ? a : b;
        int[] longer = shorter == a ? b : a;
        int[] prev = new int[shorter.length + 1];
        int[] cur = new int[shorter.length + 1];
        for (int x : longer) {
            for (int j = 1; j <= shorter.length; j++) {
                if (x == shorter[j - 1]) {
                    cur[j] = prev[j - 1] + 1;
                } else {
                    cur[j] = Math.max(prev[j], cur[j - 1]);
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[shorter.length];
    }

    /**
     * Returns the reference indices of one longest common subsequence, chosen as rouge-score's
     * {@code _backtrack_norec} chooses it (prefer moving left in the candidate only when that keeps a strictly
     * longer subsequence).
     *
     * @param ref the reference sentence
     * @param can the candidate sentence
     * @return ascending reference indices
     */
    public static int[] lcsIndices(int[] ref, int[] can) {
        int rows = ref.length;
        int cols = can.length;
        int[][] t = new int[rows + 1][cols + 1];
        for (int i = 1; i <= rows; i++) {
            for (int j = 1; j <= cols; j++) {
                if (ref[i - 1] == can[j - 1]) {
                    t[i][j] = t[i - 1][j - 1] + 1;
                } else {
                    t[i][j] = Math.max(t[i - 1][j], t[i][j - 1]);
                }
            }
        }
        int[] out = new int[t[rows][cols]];
        int k = out.length;
        int i = rows;
        int j = cols;
        while (i > 0 && j > 0) {
            if (ref[i - 1] == can[j - 1]) {
                out[--k] = i - 1;
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return out;
    }

    /**
     * Computes rouge-score's summary-level LCS hit count (ROUGE-Lsum): for each reference sentence, the union of its
     * LCS indices against every candidate sentence, counted without using any token more often than it occurs in
     * either summary.
     *
     * @param refSentences the reference sentences as ids
     * @param canSentences the candidate sentences as ids
     * @return the number of hits
     */
    public static int summaryLevelHits(List<int[]> refSentences, List<int[]> canSentences) {
        Map<Integer, Integer> refCounts = new HashMap<>();
        Map<Integer, Integer> canCounts = new HashMap<>();
        for (int[] s : refSentences) {
            for (int t : s) {
                refCounts.merge(t, 1, Integer::sum);
            }
        }
        for (int[] s : canSentences) {
            for (int t : s) {
                canCounts.merge(t, 1, Integer::sum);
            }
        }
        int hits = 0;
        for (int[] r : refSentences) {
            boolean[] inUnion = new boolean[r.length];
            for (int[] c : canSentences) {
                for (int idx : lcsIndices(r, c)) {
                    inUnion[idx] = true;
                }
            }
            for (int idx = 0; idx < r.length; idx++) {
                if (!inUnion[idx]) {
                    continue;
                }
                int token = r[idx];
                int cc = canCounts.getOrDefault(token, 0);
                int rc = refCounts.getOrDefault(token, 0);
                if (cc > 0 && rc > 0) {
                    hits++;
                    canCounts.put(token, cc - 1);
                    refCounts.put(token, rc - 1);
                }
            }
        }
        return hits;
    }
}
