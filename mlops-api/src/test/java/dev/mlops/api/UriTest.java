package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriTest {
    private static final String FUZZ_CHARS = "/@.%\\ \n-_0123456789";

    @Test
    void parsesTheThreeModelUriForms() {
        ModelUri v = ModelUri.parse("models:/churn/3");
        assertEquals("churn", v.name());
        assertEquals(OptionalLong.of(3), v.version());
        assertEquals(Optional.empty(), v.alias());
        ModelUri a = ModelUri.parse("models:/churn model.v2@champion");
        assertEquals("churn model.v2", a.name());
        assertEquals(Optional.of("champion"), a.alias());
        ModelUri l = ModelUri.parse("models:/churn/latest");
        assertTrue(l.isLatest());
        assertFalse(v.isLatest());
        assertEquals("models:/churn/3", v.toString());
        assertEquals(ModelUri.ofAlias("churn", "champion"), ModelUri.parse("models:/churn@champion"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "model:/x/1", "models:x/1", "models://x/1", "models:/x", "models:/x/", "models:/x/0",
        "models:/x/-1", "models:/x/01", "models:/x/1.5", "models:/x/99999999999999999999", "models:/x@",
        "models:/x@latest", "models:/x@v3", "models:/x@has space", "models:/@a", "models:/ x/1", "models:/../1",
        "models:/a%2Fb/1", "models:/a\\b/1", "models:/a\nb/1", "models:/x/1/extra"})
    void rejectsMalformedModelUrisNamingTheText(String text) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ModelUri.parse(text));
        assertTrue(e.getMessage().contains("malformed model URI"), e.getMessage());
    }

    @Test
    void parsesTheThreePromptUriForms() {
        PromptUri v = PromptUri.parse("prompts:/summarize/3");
        assertEquals("summarize", v.name());
        assertEquals(OptionalLong.of(3), v.version());
        PromptUri a = PromptUri.parse("prompts:/summarize@production");
        assertEquals(Optional.of("production"), a.alias());
        assertTrue(PromptUri.parse("prompts:/summarize/latest").isLatest());
        for (PromptUri u : new PromptUri[] {v, a, PromptUri.latest("x y")}) {
            assertEquals(u, PromptUri.parse(u.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "prompts:", "prompts:/", "prompts://a/1", "models:/a/1", "prompts:/a", "prompts:/a/0",
        "prompts:/a/", "prompts:/a@", "prompts:/a@latest", "prompts:/../1", "prompts:/a%2F/1", "prompts:/a/b/1",
        "prompts:/ a/1"})
    void rejectsMalformedPromptUrisNamingTheText(String text) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> PromptUri.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertFalse(e.getMessage().contains("model name"), e.getMessage());
    }

    @Test
    void stageUrisPointToAliases() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> ModelUri.parse("models:/churn/Production"));
        assertTrue(e.getMessage().contains("models:/churn@production"), e.getMessage());
    }

    @Test
    void parsesRunUris() {
        RunUri u = RunUri.parse("runs:/a1b2c3/model/weights.onnx");
        assertEquals("a1b2c3", u.runId());
        assertEquals("model/weights.onnx", u.path().toString());
        assertEquals("weights.onnx", u.path().fileName());
        assertTrue(RunUri.parse("runs:/abc").path().isRoot());
        assertEquals("runs:/abc", RunUri.parse("runs:/abc/").toString());
        assertEquals(RunUri.of("abc", "x/y"), RunUri.parse("runs:/abc/x/y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runs:", "runs:/", "run:/abc/x", "runs://abc", "runs:/abc/../x", "runs:/abc/./x",
        "runs:/abc//x", "runs:/abc/%2e%2e/x", "runs:/abc/a\\b", "runs:/-abc/x", "runs:/ab c/x", "runs:/abc/C:/x",
        "runs:/abc/x\u0000y"})
    void rejectsMalformedRunUris(String text) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> RunUri.parse(text));
        assertTrue(e.getMessage().contains("malformed run URI"), e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> modelUriFormatParseRoundTrip() {
        return IntStream.range(0, 300).mapToObj(i -> {
            long seed = RandomFrames.BASE_SEED + i;
            return DynamicTest.dynamicTest("model URI round trip [seed " + seed + "]", () -> {
                Random rnd = new Random(seed);
                String name = validModelName(rnd);
                ModelUri uri = switch (rnd.nextInt(3)) {
                    case 0 -> ModelUri.ofVersion(name, 1 + (rnd.nextBoolean() ? rnd.nextInt(100) : (rnd.nextLong() >>> 1)));
                    case 1 -> ModelUri.ofAlias(name, validAlias(rnd));
                    default -> ModelUri.latest(name);
                };
                ModelUri back = ModelUri.parse(uri.toString());
                assertEquals(uri, back);
                assertEquals(uri.toString(), back.toString());
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> runUriFormatParseRoundTrip() {
        return IntStream.range(0, 300).mapToObj(i -> {
            long seed = RandomFrames.BASE_SEED + i;
            return DynamicTest.dynamicTest("run URI round trip [seed " + seed + "]", () -> {
                Random rnd = new Random(seed);
                StringBuilder path = new StringBuilder();
                int segments = rnd.nextInt(4);
                for (int s = 0; s < segments; s++) {
                    path.append(s == 0 ? "" : "/").append(validSegment(rnd));
                }
                RunUri uri = RunUri.of(Long.toHexString(rnd.nextLong() | 1L << 62), path.toString());
                assertEquals(uri, RunUri.parse(uri.toString()));
                assertEquals(uri.toString(), RunUri.parse(uri.toString()).toString());
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> arbitraryTextEitherParsesCanonicallyOrFailsCleanly() {
        return IntStream.range(0, 300).mapToObj(i -> {
            long seed = RandomFrames.BASE_SEED + i;
            return DynamicTest.dynamicTest("fuzz [seed " + seed + "]", () -> {
                Random rnd = new Random(seed);
                StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "models:/" : "runs:/");
                int n = rnd.nextInt(16);
                for (int k = 0; k < n; k++) {
                    sb.appendCodePoint(rnd.nextInt(4) == 0 ? FUZZ_CHARS.charAt(rnd.nextInt(FUZZ_CHARS.length()))
                            : RandomFrames.codePoint(rnd, true));
                }
                String text = sb.toString();
                try {
                    String canonical = text.startsWith("models") ? ModelUri.parse(text).toString()
                            : RunUri.parse(text).toString();
                    String again = text.startsWith("models") ? ModelUri.parse(canonical).toString()
                            : RunUri.parse(canonical).toString();
                    assertEquals(canonical, again);
                } catch (InvalidArgumentException expected) {
                    assertTrue(expected.getMessage().startsWith("malformed"), expected.getMessage());
                }
            });
        });
    }

    private static String validModelName(Random rnd) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(20);
            for (int k = 0; k < n; k++) {
                sb.appendCodePoint(RandomFrames.codePoint(rnd, false));
            }
            String s = sb.toString();
            try {
                return ModelUri.checkName(s);
            } catch (InvalidArgumentException e) {
                // retry: the generator may produce a forbidden character
            }
        }
    }

    private static String validAlias(Random rnd) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        while (true) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(chars.charAt(rnd.nextInt(chars.length())));
            }
            try {
                return ModelUri.checkAlias(sb.toString());
            } catch (InvalidArgumentException e) {
                // retry: reserved alias such as v1
            }
        }
    }

    private static String validSegment(Random rnd) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                sb.appendCodePoint(RandomFrames.codePoint(rnd, false));
            }
            try {
                RelativePath p = RelativePath.of(sb.toString());
                if (p.segments().size() == 1) {
                    return p.toString();
                }
            } catch (InvalidArgumentException e) {
                // retry: the generator may produce '/', '%' or '\'
            }
        }
    }
}
