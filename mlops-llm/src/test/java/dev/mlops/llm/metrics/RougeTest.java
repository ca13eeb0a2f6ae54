package dev.mlops.llm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * ROUGE pinned on rouge-score's own test cases (rouge/rouge_scorer_test.py in google-research/google-research,
 * Apache-2.0), including its comparisons with ROUGE-1.5.5 on its random-text test data, and on cases worked out by
 * hand. Note the argument order: prediction first, reference second.
 */
class RougeTest {
    private static final double EPS = 1e-12;

    // rouge/testdata/target.txt and prediction.txt, lines 1 and 2 (random text; readlines() keeps the newline).
    static final String TARGET_0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing "
            + "Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
    static final String TARGET_1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing "
            + "sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing "
            + "UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n";
    static final String PREDICTION_0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl "
            + "jB-RPP'iyOIcUxi\n";
    static final String PREDICTION_1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed "
            + "HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";
    // rouge/testdata/pyrouge_files/target_multi.0.txt and prediction_multi.0.txt.
    static final String TARGET_MULTI = TARGET_0 + TARGET_1
            + "NhETebUbBk'er WOvoHMTjSRizKgH'vHiing Xu,hWxfs VkNE QhgKiLHE -HidivzoM.dO anhtion jbLQiSGDTCsuhREebUaKM "
            + "dv J dVN tmbOT\n"
            + "vMR HDm,xOAetion D,tion HJtodT.mHl UIv-p VjWH'BdyWjnfGU-OjT aEMdFICyLWfQMtion wEMfdOKing AwkeKbO "
            + "'DxqNOHBH qKtVvm OYJl mM\n";
    static final String PREDICTION_MULTI = PREDICTION_0 + PREDICTION_1
            + "xfs VkJE QhgKiLHE -HidivzoM.dO anhing jbLQiSGDTCsuhREebUaKM dv J\n"
            + "VjWH'BdyWjnfGU-OjTNaEMdFICyLWfQMing wEMfdOKijg AwkeKbO 'DxqNO\n";

    private static RougeScore score(RougeType type, boolean stem, String prediction, String reference) {
        return Rouge.builder().types(type).stemming(stem).build().score(prediction, reference).get(type);
    }

    private static void assertScore(double p, double r, double f, RougeScore s, double eps) {
        assertEquals(p, s.precision(), eps, "precision");
        assertEquals(r, s.recall(), eps, "recall");
        assertEquals(f, s.fmeasure(), eps, "fmeasure");
    }

    @Test
    void rougeScoreUnitCases() {
        assertScore(1, 1.0 / 3, 0.5, score(RougeType.ROUGE_1, false, "testing", "testing one two"), EPS);
        assertScore(1, 0.5, 2.0 / 3, score(RougeType.ROUGE_2, false, "testing one", "testing one two"), EPS);
        assertScore(1, 2.0 / 3, 0.8, score(RougeType.ROUGE_L, false, "testing one", "testing one two"), EPS);
        assertScore(1, 2.0 / 3, 0.8, score(RougeType.ROUGE_L, false, "testing two", "testing one two"), EPS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rouge1", "rouge2", "rougeL", "rougeLsum"})
    void emptyPredictionScoresZero(String type) {
        RougeScore s = score(RougeType.of(type), false, "", "testing one two");
        assertEquals(RougeScore.ZERO, s);
        // A prediction of non-word characters only has no tokens either.
        assertEquals(RougeScore.ZERO, score(RougeType.of(type), false, "/ ... !", "testing one two"));
        assertEquals(RougeScore.ZERO, score(RougeType.of(type), false, "w1", ""));
    }

    /** ROUGE-1.5.5's figures on rouge-score's test data, to the five places rouge-score checks. */
    @Test
    void matchesRouge155OnTestData() {
        double eps = 5e-6;
        assertScore(0.68750, 0.40741, 0.51163, score(RougeType.ROUGE_1, false, PREDICTION_0, TARGET_0), eps);
        assertScore(0.65385, 0.40476, 0.50000, score(RougeType.ROUGE_1, false, PREDICTION_1, TARGET_1), eps);
        assertScore(0.53333, 0.30769, 0.39024, score(RougeType.ROUGE_2, false, PREDICTION_0, TARGET_0), eps);
        assertScore(0.48000, 0.29268, 0.36364, score(RougeType.ROUGE_2, false, PREDICTION_1, TARGET_1), eps);
        assertScore(0.68750, 0.40741, 0.51163, score(RougeType.ROUGE_L, false, PREDICTION_0, TARGET_0), eps);
        assertScore(0.65385, 0.40476, 0.50000, score(RougeType.ROUGE_L, false, PREDICTION_1, TARGET_1), eps);
    }

    /** With stemming, line 2 gains a unigram match ("qiing"/"qier" both stem to "qi"); the rest is unchanged. */
    @Test
    void matchesRouge155WithStemming() {
        double eps = 5e-6;
        assertScore(0.68750, 0.40741, 0.51163, score(RougeType.ROUGE_1, true, PREDICTION_0, TARGET_0), eps);
        assertScore(0.69231, 0.42857, 0.52941, score(RougeType.ROUGE_1, true, PREDICTION_1, TARGET_1), eps);
        assertScore(0.53333, 0.30769, 0.39024, score(RougeType.ROUGE_2, true, PREDICTION_0, TARGET_0), eps);
        assertScore(0.48000, 0.29268, 0.36364, score(RougeType.ROUGE_2, true, PREDICTION_1, TARGET_1), eps);
        assertScore(0.66667, 0.36538, 0.47205, score(RougeType.ROUGE_LSUM, true, PREDICTION_MULTI, TARGET_MULTI),
                eps);
    }

    /**
     * rouge-score's Lsum case: reference "w1 w2 w3 w4 w5"; prediction sentences "w1 w2 w6 w7 w8" (LCS w1 w2) and
     * "w1 w3 w8 w9 w5" (LCS w1 w3 w5). Union {w1, w2, w3, w5} = 4 hits: recall 4/5, precision 4/10.
     */
    @Test
    void summaryLevelLcs() {
        RougeScore s = score(RougeType.ROUGE_LSUM, false, "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5");
        assertScore(0.4, 0.8, 2 * 0.4 * 0.8 / 1.2, s, EPS);
    }

    /**
     * Sentence order matters to ROUGE-L but not to ROUGE-Lsum: "a b\nc d" against "c d\na b" has an LCS of 2 of 4
     * tokens as one sequence, but each reference sentence is fully covered by one prediction sentence.
     */
    @Test
    void lsumSplitsOnNewlinesAndRougeLDoesNot() {
        Map<RougeType, RougeScore> s = Rouge.defaults().score("a b\nc d", "c d\na b");
        assertScore(0.5, 0.5, 0.5, s.get(RougeType.ROUGE_L), EPS);
        assertScore(1, 1, 1, s.get(RougeType.ROUGE_LSUM), EPS);
        // Empty lines are dropped before scoring.
        assertScore(1, 1, 1, score(RougeType.ROUGE_LSUM, false, "\n\na b\n\nc d\n", "c d\na b"), EPS);
    }

    /**
     * Union LCS takes one LCS per prediction sentence, read back as rouge-score's backtracking reads it (it keeps the
     * last matching reference position): reference "a a" against prediction sentences "a" and "a" gives the same
     * index {1} twice, so the union has one position and there is 1 hit: P = 1/2, R = 1/2. Against the single
     * sentence "a": 1 hit, P = 1, R = 1/2.
     */
    @Test
    void lsumClipsTokenCounts() {
        assertScore(0.5, 0.5, 0.5, score(RougeType.ROUGE_LSUM, false, "a\na", "a a"), EPS);
        assertScore(1, 0.5, 2.0 / 3, score(RougeType.ROUGE_LSUM, false, "a", "a a"), EPS);
    }

    /**
     * "the cats are running" vs "the cat is running": without stemming the unigram matches are "the" and
     * "running" (2 of 4 each side); with stemming "cats" -> "cat" and "running" -> "run" on both sides, so 3 of 4.
     * Tokens of three characters or fewer ("the", "are", "is", "cat") are never stemmed.
     */
    @Test
    void stemmingIsOptional() {
        assertScore(0.5, 0.5, 0.5, score(RougeType.ROUGE_1, false, "the cats are running", "the cat is running"), EPS);
        assertScore(0.75, 0.75, 0.75, score(RougeType.ROUGE_1, true, "the cats are running", "the cat is running"),
                EPS);
    }

    /** The tokenizer lower-cases and treats everything outside [a-z0-9] as a separator, even accented letters. */
    @Test
    void punctuationAndUnicodeFollowTheTokenizer() {
        Rouge rouge = Rouge.defaults();
        assertEquals(List.of("hello", "world", "42"), rouge.tokenize("Hello, WORLD! (42)"));
        assertEquals(List.of("caf", "na", "ve"), rouge.tokenize("café naïve"));
        assertEquals(List.of(), rouge.tokenize("你好，世界"));
        // So "café" and "cafe" do not match, and Chinese text scores zero against itself.
        assertEquals(0.0, score(RougeType.ROUGE_1, false, "café", "cafe").fmeasure());
        assertEquals(RougeScore.ZERO, score(RougeType.ROUGE_1, false, "你好", "你好"));
        // U+0130 lower-cases to "i" plus a combining dot, leaving the token "i", as in Python.
        assertEquals(List.of("i", "stanbul"), rouge.tokenize("\u0130stanbul"));
    }

    /** Each variant keeps its own best reference: rouge1 prefers the first, rouge2 the second. */
    @Test
    void multipleReferencesTakeTheBestPerType() {
        Rouge rouge = Rouge.builder().types(RougeType.ROUGE_1, RougeType.ROUGE_2).build();
        // Prediction "a b c d". Reference 1 "d c b a": rouge1 1.0, rouge2 0. Reference 2 "a b x y": rouge1 0.5,
        // rouge2 1/3 ("a b" of 3 bigrams each).
        Map<RougeType, RougeScore> best = rouge.scoreMulti("a b c d", List.of("d c b a", "a b x y"));
        assertScore(1, 1, 1, best.get(RougeType.ROUGE_1), EPS);
        assertScore(1.0 / 3, 1.0 / 3, 1.0 / 3, best.get(RougeType.ROUGE_2), EPS);
    }

    @Test
    void badInput() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> RougeType.of("rouge0"));
        assertTrue(e.getMessage().contains("rouge0"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> RougeType.of("rougeX"));
        assertThrows(InvalidArgumentException.class, () -> Rouge.defaults().scoreMulti("a", List.of()));
        assertThrows(InvalidArgumentException.class, () -> Rouge.defaults().score(null, "a"));
        assertThrows(InvalidArgumentException.class,
                () -> Rouge.builder().types(RougeType.ROUGE_1, RougeType.ROUGE_1));
        assertEquals(9, RougeType.ngram(9).order());
        assertEquals(0, RougeType.ROUGE_LSUM.order());
    }
}
