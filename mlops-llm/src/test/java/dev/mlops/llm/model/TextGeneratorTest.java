package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.EvalDataset;
import dev.mlops.llm.EvalExample;
import dev.mlops.llm.EvaluationResult;
import dev.mlops.llm.Evaluator;
import dev.mlops.llm.Generation;
import dev.mlops.llm.internal.SplitMix;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.KvCache;
import dev.mlops.llm.internal.nn.Sampling;
import dev.mlops.llm.internal.nn.Weights;
import dev.mlops.api.spi.ProgressListener;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation: the key/value cache changes nothing but speed; sampling, stops and limits behave as configured. */
class TextGeneratorTest {
    @TempDir
    static Path dir;
    private static TextTokenizer tokenizer;
    private static Gpt2Model model;

    @BeforeAll
    static void setUp() {
        tokenizer = Tiny.tokenizer(dir);
        model = Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), 0), 99, DeviceChoice.CPU);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        tokenizer.close();
    }

    @Test
    @SuppressWarnings("try")
    void cachedStepsGiveTheSameLogitsAsFullRecomputation() {
        Gpt2Net net = (Gpt2Net) model.block();
        long[] seq = {2, 5, 3, 9, 4, 4, 7, 2, 6, 10};
        float[][] full = model.logits(seq);
        try (KvCache cache = new KvCache(model.config().layers()); NDScope scope = new NDScope()) {
            int prefix = 4;
            for (int at = 0; at < seq.length; ) {
                int n = at == 0 ? prefix : 1;
                long[] ids = java.util.Arrays.copyOfRange(seq, at, at + n);
                long[] pos = new long[n];
                for (int i = 0; i < n; i++) {
                    pos[i] = at + i;
                }
                NDArray h = net.hidden(Weights.DIRECT, model.manager().create(ids, new Shape(1, n)),
                        model.manager().create(pos, new Shape(1, n)),
                        n == 1 ? null : Gpt2Net.causalMask(model.manager(), at, n, DataType.FLOAT32), cache, false);
                float[] last = net.logits(Weights.DIRECT, h.get(new NDIndex(":, -1, :"))).toFloatArray();
                for (int v = 0; v < last.length; v++) {
                    assertEquals(full[at + n - 1][v], last[v], 1e-5, "position " + (at + n - 1));
                }
                at += n;
                assertEquals(at, cache.length());
            }
        }
    }

    @Test
    void generationWithAndWithoutTheCacheAgrees() {
        TextGenerator greedy = TextGenerator.builder(model, tokenizer).format(Tiny.FORMAT)
                .config(GenerationConfig.greedy(12)).build();
        TextGenerator sampled = greedy.withConfig(GenerationConfig.sampling(12, 0.9, 5, 0.9, 4));
        for (String p : List.of("abc", "hhh", "abcdefgh", "a")) {
            Generated a = greedy.complete(p);
            Generated b = greedy.withConfig(greedy.config().withCache(false)).complete(p);
            assertArrayEquals(a.tokenIds(), b.tokenIds(), p);
            for (int i = 0; i < a.logProbs().size(); i++) {
                assertEquals(a.logProbs().get(i), b.logProbs().get(i), 1e-5);
            }
            Generated c = sampled.complete(p);
            Generated d = sampled.withConfig(sampled.config().withCache(false)).complete(p);
            assertArrayEquals(c.tokenIds(), d.tokenIds(), p);
            assertArrayEquals(c.tokenIds(), sampled.complete(p).tokenIds(), "a seed gives the same sample");
        }
    }

    @Test
    void limitsAndStopSequencesEndGeneration() {
        TextGenerator g = TextGenerator.builder(model, tokenizer).format(Tiny.FORMAT)
                .config(GenerationConfig.sampling(5, 2.0, 0, 1.0, 1)).build();
        Generated five = g.complete("abc");
        assertTrue(five.tokenIds().length <= 5);
        if (five.reason() == Generated.FinishReason.MAX_TOKENS) {
            assertEquals(5, five.tokenIds().length);
        }
        assertEquals(five.tokenIds().length, five.logProbs().size(), "one log-prob per token");
        for (long seed = 0; seed < 20; seed++) {
            TextGenerator s = g.withConfig(GenerationConfig.sampling(25, 2.0, 0, 1.0, seed).withStopSequences("a"));
            Generated out = s.complete("bcd");
            assertFalse(out.text().contains("a"), out.text());
            if (out.reason() == Generated.FinishReason.STOP_SEQUENCE) {
                assertTrue(tokenizer.decode(out.tokenIds()).contains("a"));
            }
        }
        Generated full = g.withConfig(GenerationConfig.sampling(100, 2.0, 0, 1.0, 3)).complete("abcdefgh");
        assertTrue(full.reason() == Generated.FinishReason.CONTEXT_FULL
                || full.reason() == Generated.FinishReason.END_OF_TEXT, full.reason().toString());
        assertTrue(full.promptTokens() + full.tokenIds().length <= model.config().contextLength() + 1);
        assertThrows(InvalidArgumentException.class, () -> g.generateFrom(new long[32]));
        assertThrows(InvalidArgumentException.class, () -> g.generateFrom(new long[0]));
    }

    @Test
    void samplingRespectsTopKAndTopP() {
        float[] logits = {0f, 3f, 1f, 2.9f, -5f};
        assertEquals(1, Sampling.choose(logits, 0, 0, 1, new SplitMix(0)));
        Set<Integer> topTwo = new HashSet<>();
        Set<Integer> nucleus = new HashSet<>();
        Set<Integer> all = new HashSet<>();
        SplitMix r = new SplitMix(5);
        for (int i = 0; i < 2000; i++) {
            topTwo.add(Sampling.choose(logits, 1.0, 2, 1.0, r));
            nucleus.add(Sampling.choose(logits, 1.0, 0, 0.5, r));
            all.add(Sampling.choose(logits, 5.0, 0, 1.0, r));
        }
        assertEquals(Set.of(1, 3), topTwo);
        assertEquals(Set.of(1, 3), nucleus, "the two tokens near 3 hold about 0.87 of the mass; 0.5 needs both");
        assertEquals(Set.of(0, 1, 2, 3, 4), all);
        assertEquals(Set.of(1), Set.of(Sampling.choose(logits, 1.0, 1, 1.0, r)), "top-k 1 is greedy");
        double[] lp = Sampling.logSoftmax(logits);
        double sum = 0;
        for (double v : lp) {
            sum += Math.exp(v);
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void theGeneratorPlugsIntoTheEvaluationHarness() {
        TextGenerator g = TextGenerator.builder(model, tokenizer).format(Tiny.FORMAT)
                .config(GenerationConfig.greedy(6)).build();
        Generation one = g.generate("abc");
        assertEquals(4, one.promptTokens());
        assertEquals(one.completionTokens(), one.tokenLogProbs().size());
        EvalDataset data = EvalDataset.of(List.of(EvalExample.of("1", "abc", "cba"), EvalExample.of("2", "hg", "gh")));
        EvaluationResult r = Evaluator.builder().metrics(dev.mlops.llm.metrics.TextMetrics.exactMatch())
                .progress(ProgressListener.noop()).concurrency(2).build().evaluate("tiny", data, g);
        assertEquals(2.0, r.aggregates().get("examples"));
        assertTrue(r.aggregates().containsKey("perplexity"), r.aggregates().toString());
        assertNotEquals(0.0, r.aggregates().get("tokens/completion"));
    }

    @Test
    void chatFormatsStripTheTurnEndFromReplies() {
        TextGenerator g = TextGenerator.builder(model, tokenizer).format(PromptFormat.chat("", "", "=", "h"))
                .config(GenerationConfig.greedy(8)).build();
        Generated out = g.chat(List.of(ChatMessage.user("abc")));
        if (out.reason() == Generated.FinishReason.END_OF_TEXT) {
            assertFalse(out.text().endsWith("h"));
        }
        try (TextTokenizer big = TextTokenizer.characterLevel(dir.resolve("big.json"), "abcdefghijklmnop")) {
            assertThrows(InvalidArgumentException.class, () -> TextGenerator.builder(model, big));
        }
    }
}
