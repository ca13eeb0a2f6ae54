package dev.mlops.llm.internal;

import java.util.Map;

/**
 * The Porter stemmer exactly as NLTK's {@code PorterStemmer} computes it in its default {@code NLTK_EXTENSIONS} mode,
 * which is what Google's rouge-score uses when stemming is on. That mode departs from Martin Porter's published
 * algorithm (and from Lucene's and Snowball's Porter stemmers) in a few places, each marked below:
 * a table of irregular forms, {@code -ies}/{@code -ied} on four-letter words, a cvc test that also accepts a
 * two-letter vowel-consonant stem, {@code y -> i} only after a consonant that is not the first letter, the
 * {@code bli -> ble} rule, {@code alli} handled first and recursively, {@code fulli -> ful} and
 * {@code logi -> log}. Words of one or two letters are returned unchanged.
 *
 * <p>Input must be lower-case. Stateless and thread-safe.
 */
public final class PorterStemmer {
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    private PorterStemmer() {
    }

    /** A suffix rule: suffix, replacement, and the condition on the remaining stem. */
    private interface Condition {
        boolean test(String stem);
    }

    private record Rule(String suffix, String replacement, Condition condition) {
    }

    private static final Condition POSITIVE_MEASURE = stem -> measure(stem) > 0;
    private static final Condition MEASURE_GT_1 = stem -> measure(stem) > 1;

    /**
     * Stems one lower-case word.
     *
     * @param word the word
     * @return the stem
     */
    public static String stem(String word) {
        String irregular = IRREGULAR.get(word);
        if (irregular != null) {
            return irregular;
        }
        if (word.length() <= 2) {
            return word;
        }
        String s = step1a(word);
        s = step1b(s);
        s = step1c(s);
        s = step2(s);
        s = step3(s);
        s = step4(s);
        s = step5a(s);
        return step5b(s);
    }

    private static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(w, i - 1);
        }
        return true;
    }

    /** The number of vowel-consonant transitions ("vc" in the c/v pattern). */
    static int measure(String stem) {
        int m = 0;
        boolean previousVowel = false;
        for (int i = 0; i < stem.length(); i++) {
            boolean consonant = isConsonant(stem, i);
            if (consonant && previousVowel) {
                m++;
            }
            previousVowel = !consonant;
        }
        return m;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    private static boolean endsCvc(String w) {
        int n = w.length();
        if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)) {
            char c = w.charAt(n - 1);
            if (c != 'w' && c != 'x' && c != 'y') {
                return true;
            }
        }
        // NLTK extension: a two-letter vowel-consonant word also counts.
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1);
    }

    /** Applies the first rule whose suffix matches; a matching rule whose condition fails stops the search. */
    private static String applyRules(String word, Rule... rules) {
        for (Rule r : rules) {
            if (word.endsWith(r.suffix)) {
                String stem = word.substring(0, word.length() - r.suffix.length());
                if (r.condition == null || r.condition.test(stem)) {
                    return stem + r.replacement;
                }
                return word;
            }
        }
        return word;
    }

    private static String step1a(String w) {
        // NLTK extension: "dies" -> "die", "ties" -> "tie".
        if (w.endsWith("ies") && w.length() == 4) {
            return w.substring(0, w.length() - 3) + "ie";
        }
        return applyRules(w, new Rule("sses", "ss", null), new Rule("ies", "i", null), new Rule("ss", "ss", null),
                new Rule("s", "", null));
    }

    private static String step1b(String w) {
        // NLTK extension: "died" -> "die", "spied" -> "spi".
        if (w.endsWith("ied")) {
            return w.substring(0, w.length() - 3) + (w.length() == 4 ? "ie" : "i");
        }
        if (w.endsWith("eed")) {
            String stem = w.substring(0, w.length() - 3);
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String stem = null;
        if (w.endsWith("ed") && containsVowel(w.substring(0, w.length() - 2))) {
            stem = w.substring(0, w.length() - 2);
        } else if (w.endsWith("ing") && containsVowel(w.substring(0, w.length() - 3))) {
            stem = w.substring(0, w.length() - 3);
        }
        if (stem == null) {
            return w;
        }
        if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) {
            return stem + "e";
        }
        if (endsDoubleConsonant(stem)) {
            char last = stem.charAt(stem.length() - 1);
            // (*d and not (*L or *S or *Z)) -> single letter; otherwise the word stays as the stem.
            return last != 'l' && last != 's' && last != 'z' ? stem.substring(0, stem.length() - 1) : stem;
        }
        if (measure(stem) == 1 && endsCvc(stem)) {
            return stem + "e";
        }
        return stem;
    }

    private static String step1c(String w) {
        // NLTK extension: y -> i only after a consonant, and not when the stem is a single letter.
        if (w.endsWith("y")) {
            String stem = w.substring(0, w.length() - 1);
            if (stem.length() > 1 && isConsonant(stem, stem.length() - 1)) {
                return stem + "i";
            }
        }
        return w;
    }

    private static String step2(String w) {
        // NLTK extension: "alli" is handled first, and the result goes through step 2 again.
        if (w.endsWith("alli") && measure(w.substring(0, w.length() - 4)) > 0) {
            return step2(w.substring(0, w.length() - 4) + "al");
        }
        return applyRules(w,
                new Rule("ational", "ate", POSITIVE_MEASURE),
                new Rule("tional", "tion", POSITIVE_MEASURE),
                new Rule("enci", "ence", POSITIVE_MEASURE),
                new Rule("anci", "ance", POSITIVE_MEASURE),
                new Rule("izer", "ize", POSITIVE_MEASURE),
                new Rule("bli", "ble", POSITIVE_MEASURE),
                new Rule("alli", "al", POSITIVE_MEASURE),
                new Rule("entli", "ent", POSITIVE_MEASURE),
                new Rule("eli", "e", POSITIVE_MEASURE),
                new Rule("ousli", "ous", POSITIVE_MEASURE),
                new Rule("ization", "ize", POSITIVE_MEASURE),
                new Rule("ation", "ate", POSITIVE_MEASURE),
                new Rule("ator", "ate", POSITIVE_MEASURE),
                new Rule("alism", "al", POSITIVE_MEASURE),
                new Rule("iveness", "ive", POSITIVE_MEASURE),
                new Rule("fulness", "ful", POSITIVE_MEASURE),
                new Rule("ousness", "ous", POSITIVE_MEASURE),
                new Rule("aliti", "al", POSITIVE_MEASURE),
                new Rule("iviti", "ive", POSITIVE_MEASURE),
                new Rule("biliti", "ble", POSITIVE_MEASURE),
                new Rule("fulli", "ful", POSITIVE_MEASURE),
                // NLTK extension: the 'l' of "logi" stays with the stem when the measure is taken.
                new Rule("logi", "log", stem -> measure(w.substring(0, w.length() - 3)) > 0));
    }

    private static String step3(String w) {
        return applyRules(w,
                new Rule("icate", "ic", POSITIVE_MEASURE),
                new Rule("ative", "", POSITIVE_MEASURE),
                new Rule("alize", "al", POSITIVE_MEASURE),
                new Rule("iciti", "ic", POSITIVE_MEASURE),
                new Rule("ical", "ic", POSITIVE_MEASURE),
                new Rule("ful", "", POSITIVE_MEASURE),
                new Rule("ness", "", POSITIVE_MEASURE));
    }

    private static String step4(String w) {
        return applyRules(w,
                new Rule("al", "", MEASURE_GT_1),
                new Rule("ance", "", MEASURE_GT_1),
                new Rule("ence", "", MEASURE_GT_1),
                new Rule("er", "", MEASURE_GT_1),
                new Rule("ic", "", MEASURE_GT_1),
                new Rule("able", "", MEASURE_GT_1),
                new Rule("ible", "", MEASURE_GT_1),
                new Rule("ant", "", MEASURE_GT_1),
                new Rule("ement", "", MEASURE_GT_1),
                new Rule("ment", "", MEASURE_GT_1),
                new Rule("ent", "", MEASURE_GT_1),
                new Rule("ion", "", stem -> measure(stem) > 1 && !stem.isEmpty()
                        && (stem.charAt(stem.length() - 1) == 's' || stem.charAt(stem.length() - 1) == 't')),
                new Rule("ou", "", MEASURE_GT_1),
                new Rule("ism", "", MEASURE_GT_1),
                new Rule("ate", "", MEASURE_GT_1),
                new Rule("iti", "", MEASURE_GT_1),
                new Rule("ous", "", MEASURE_GT_1),
                new Rule("ive", "", MEASURE_GT_1),
                new Rule("ize", "", MEASURE_GT_1));
    }

    private static String step5a(String w) {
        // Both E rules are tried, unlike the first-match rule lists.
        if (w.endsWith("e")) {
            String stem = w.substring(0, w.length() - 1);
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) {
                return stem;
            }
        }
        return w;
    }

    private static String step5b(String w) {
        if (w.endsWith("ll") && measure(w.substring(0, w.length() - 1)) > 1) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }
}
