package dev.mlops.llm.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.llm.model.PromptFormat;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Encoding masks prompts out of the loss; plans visit every example once per epoch, padded or packed. */
class PlanTest {
    @TempDir
    Path dir;

    @Test
    void onlyCompletionTokensAndTheEndOfTextAreTargets() {
        try (TextTokenizer t = Tiny.tokenizer(dir)) {
            Encoded e = Encoded.of(SftExample.of("abc", "cb").render(Tiny.FORMAT), t, 100);
            assertEquals(7, e.ids().length);
            assertArrayEquals(new boolean[] {false, false, false, false, true, true, true}, e.trained());
            assertEquals(0, e.ids()[6], "the end-of-text token closes the example");
            assertEquals(3, e.targets());
            Encoded cut = Encoded.of(SftExample.of("abc", "cb").render(Tiny.FORMAT), t, 5);
            assertTrue(cut.truncated());
            assertEquals(1, cut.targets());
            Batch b = Batch.padded(List.of(e, Encoded.of(SftExample.of("a", "a").render(Tiny.FORMAT), t, 100)));
            assertEquals(6, b.length());
            assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0}, b.mask());
            assertEquals(5, b.targets());
            assertEquals(9, b.tokens());
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}, b.positions());
            List<PromptFormat.Segment> chat = SftExample.chat(List.of(dev.mlops.llm.model.ChatMessage.user("ab"),
                    dev.mlops.llm.model.ChatMessage.assistant("ba"))).render(PromptFormat.chat("", "", "=", ""));
            Encoded c = Encoded.of(chat, t, 100);
            assertArrayEquals(new boolean[] {false, false, false, true, true, true}, c.trained());
        }
    }

    @Test
    void packedRowsKeepExamplesApart() {
        try (TextTokenizer t = Tiny.tokenizer(dir)) {
            Encoded a = Encoded.of(SftExample.of("ab", "b").render(Tiny.FORMAT), t, 100);
            Encoded b = Encoded.of(SftExample.of("c", "cc").render(Tiny.FORMAT), t, 100);
            Batch p = Batch.packed(List.of(List.of(a, b), List.of(b)));
            assertEquals(a.positions() + b.positions(), p.length());
            assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2, 2, 2}, p.segments()[0]);
            assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 0, 0}, p.segments()[1]);
            assertArrayEquals(new long[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7}, p.positions());
            assertEquals(a.targets() + 2 * b.targets(), p.targets());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsSeenOncePerEpochInASeededOrder() {
        return IntStream.range(0, 60).mapToObj(i -> DynamicTest.dynamicTest("seed " + (70 + i), () -> {
            Random r = new Random(70 + i);
            List<Encoded> examples = new ArrayList<>();
            int n = 1 + r.nextInt(30);
            for (int k = 0; k < n; k++) {
                int len = 2 + r.nextInt(8);
                long[] ids = new long[len];
                boolean[] trained = new boolean[len];
                ids[0] = k;
                trained[len - 1] = true;
                examples.add(new Encoded(ids, trained, false));
            }
            boolean packing = r.nextBoolean();
            int micro = 1 + r.nextInt(4);
            int accumulation = 1 + r.nextInt(3);
            Plan plan = new Plan(examples, micro, accumulation, packing, 12, i);
            Plan same = new Plan(examples, micro, accumulation, packing, 12, i);
            long step = 1;
            for (int epoch = 0; epoch < 3; epoch++) {
                Map<Long, Integer> seen = new HashMap<>();
                for (int s = 0; s < plan.stepsIn(epoch); s++, step++) {
                    assertArrayEquals(new int[] {epoch, s}, plan.locate(step));
                    assertEquals(s == plan.stepsIn(epoch) - 1, plan.endsEpoch(step));
                    List<Batch> batches = plan.step(step);
                    assertTrue(batches.size() >= 1 && batches.size() <= accumulation);
                    for (Batch b : batches) {
                        assertTrue(b.rows() <= micro);
                        for (int row = 0; row < b.rows(); row++) {
                            for (int k = 0; k < b.length(); k++) {
                                boolean start = packing ? b.segments()[row][k] != 0 && b.positions()[row * b.length()
                                        + k] == 0 : k == 0;
                                if (start) {
                                    seen.merge(b.inputs()[row * b.length() + k], 1, Integer::sum);
                                }
                            }
                        }
                        if (packing) {
                            assertTrue(b.length() <= 12 || b.rows() == 1);
                        }
                    }
                    List<Batch> again = same.step(step);
                    for (int k = 0; k < batches.size(); k++) {
                        assertArrayEquals(batches.get(k).inputs(), again.get(k).inputs());
                        assertArrayEquals(batches.get(k).mask(), again.get(k).mask());
                    }
                }
                assertEquals(n, seen.size(), "epoch " + epoch);
                assertTrue(seen.values().stream().allMatch(c -> c == 1));
            }
        }));
    }
}
