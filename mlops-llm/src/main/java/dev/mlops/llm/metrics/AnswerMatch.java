package dev.mlops.llm.metrics;

import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.internal.PyText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact match and token-level F1 as the SQuAD evaluation script defines them. Answers are normalized first:
 * lower-cased, ASCII punctuation ({@code string.punctuation}) removed, the articles {@code a}, {@code an} and
 * {@code the} removed as whole words, and whitespace collapsed. With several references the best value counts.
 * F1 follows SQuAD 2.0 for empty answers: when either side normalizes to no tokens, F1 is 1 if both do and 0
 * otherwise. Stateless and thread-safe.
 */
public final class AnswerMatch {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private AnswerMatch() {
    }

    /**
     * Normalizes an answer as SQuAD does.
     *
     * @param text the answer
     * @return the normalized answer
     * @throws InvalidArgumentException if the text is null
     */
    public static String normalize(String text) {
        if (text == null) {
            throw new InvalidArgumentException("an answer must not be null");
        }
        String lower = PyText.lower(text);
        StringBuilder noPunct = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c >= 128 || PUNCTUATION.indexOf(c) < 0) {
                noPunct.append(c);
            }
        }
        // re.sub(r'\b(a|an|the)\b', ' ', text): an article is a whole maximal run of word characters.
        String s = noPunct.toString();
        StringBuilder noArticles = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!PyText.isWordChar(cp)) {
                noArticles.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < s.length() && PyText.isWordChar(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            String word = s.substring(start, i);
            noArticles.append(word.equals("a") || word.equals("an") || word.equals("the") ? " " : word);
        }
        return String.join(" ", PyText.split(noArticles.toString()));
    }

    /**
     * Returns 1 if the normalized prediction equals some normalized reference, else 0.
     *
     * @param prediction the predicted answer
     * @param references one or more reference answers
     * @return 1.0 or 0.0
     * @throws InvalidArgumentException if there is no reference or a text is null
     */
    public static double exactMatch(String prediction, List<String> references) {
        checkRefs(references);
        String p = normalize(prediction);
        for (String r : references) {
            if (p.equals(normalize(r))) {
                return 1.0;
            }
        }
        return 0.0;
    }

    /**
     * Returns the best token-level F1 between the normalized prediction and each normalized reference.
     *
     * @param prediction the predicted answer
     * @param references one or more reference answers
     * @return 0 to 1
     * @throws InvalidArgumentException if there is no reference or a text is null
     */
    public static double tokenF1(String prediction, List<String> references) {
        checkRefs(references);
        List<String> p = PyText.split(normalize(prediction));
        double best = 0;
        for (String r : references) {
            best = Math.max(best, f1(p, PyText.split(normalize(r))));
        }
        return best;
    }

    private static double f1(List<String> pred, List<String> gold) {
        if (pred.isEmpty() || gold.isEmpty()) {
            return pred.equals(gold) ? 1.0 : 0.0;
        }
        Map<String, Integer> goldCounts = new HashMap<>();
        for (String t : gold) {
            goldCounts.merge(t, 1, Integer::sum);
        }
        int same = 0;
        for (String t : pred) {
            Integer c = goldCounts.get(t);
            if (c != null && c > 0) {
                same++;
                goldCounts.put(t, c - 1);
            }
        }
        if (same == 0) {
            return 0.0;
        }
        double precision = (double) same / pred.size();
        double recall = (double) same / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    private static void checkRefs(List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("at least one reference answer is needed");
        }
    }
}
