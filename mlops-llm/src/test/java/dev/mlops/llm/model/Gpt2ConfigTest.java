package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The GPT-2 configuration: validation, parameter counts, and Hugging Face's config.json. */
class Gpt2ConfigTest {
    @TempDir
    Path dir;

    @Test
    void gpt2SmallHasItsPublishedParameterCount() {
        assertEquals(124_439_808L, Gpt2Config.gpt2Small().parameterCount());
        assertEquals(64, Gpt2Config.gpt2Small().headSize());
    }

    @TestFactory
    Stream<DynamicTest> huggingFaceConfigurationsRoundTrip() {
        return IntStream.range(0, 50).mapToObj(i -> DynamicTest.dynamicTest("seed " + (300 + i), () -> {
            Random r = new Random(300 + i);
            int heads = 1 + r.nextInt(4);
            Gpt2Config c = new Gpt2Config(1 + r.nextInt(500), 1 + r.nextInt(100), heads * (1 + r.nextInt(16)),
                    1 + r.nextInt(4), heads, 1 + r.nextInt(200), 1e-5 * (1 + r.nextInt(10)), r.nextInt(5) / 10.0,
                    Gpt2Config.Activation.values()[r.nextInt(3)]);
            Path file = dir.resolve("c" + i + ".json");
            c.writeHuggingFace(file);
            assertEquals(c, Gpt2Config.readHuggingFace(file));
        }));
    }

    @Test
    void badValuesAreRefusedByName() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Gpt2Config.builder().embeddingSize(30).heads(4).build());
        assertTrue(e.getMessage().contains("embeddingSize 30") && e.getMessage().contains("heads 4"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Gpt2Config.builder().dropout(1.0).build());
        assertThrows(InvalidArgumentException.class, () -> Gpt2Config.builder().layers(0).build());
        assertThrows(IllegalStateException.class, () -> Gpt2Config.builder().layers(1).layers(2));
    }

    @Test
    void unsupportedHuggingFaceOptionsAreRefused() throws IOException {
        Path untied = dir.resolve("untied.json");
        Files.writeString(untied, "{\"model_type\":\"gpt2\",\"tie_word_embeddings\":false}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Gpt2Config.readHuggingFace(untied));
        assertTrue(e.getMessage().contains("tie_word_embeddings"), e.getMessage());
        Path llama = dir.resolve("llama.json");
        Files.writeString(llama, "{\"model_type\":\"llama\"}");
        assertThrows(DataFormatException.class, () -> Gpt2Config.readHuggingFace(llama));
        Path act = dir.resolve("act.json");
        Files.writeString(act, "{\"activation_function\":\"swish\"}");
        assertTrue(assertThrows(DataFormatException.class, () -> Gpt2Config.readHuggingFace(act)).getMessage()
                .contains("swish"));
        assertThrows(NotFoundException.class, () -> Gpt2Config.readHuggingFace(dir.resolve("none.json")));
        Path defaults = dir.resolve("defaults.json");
        Files.writeString(defaults, "{\"n_layer\":2,\"n_inner\":null}");
        Gpt2Config c = Gpt2Config.readHuggingFace(defaults);
        assertEquals(2, c.layers());
        assertEquals(3072, c.mlpSize());
        assertEquals(Gpt2Config.Activation.GELU_TANH, c.activation());
    }
}
