package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance with an independent GPT-2 implementation: {@code src/test/resources/gpt2-reference/make_reference.py}
 * built a tiny GPT-2 in PyTorch (Debian's python3-torch), saved it as Hugging Face's {@code GPT2LMHeadModel} would
 * (prefixed names, fused {@code c_attn}, tied {@code lm_head}, mask buffers) and recorded its logits. The Java model
 * loads those files and must give the same logits within 1e-4.
 */
class Gpt2ConformanceTest {
    private static final double TOLERANCE = 1e-4;
    private static Path reference;
    private static JsonNode expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() throws URISyntaxException, IOException {
        reference = Path.of(Gpt2ConformanceTest.class.getResource("/gpt2-reference/config.json").toURI()).getParent();
        expected = new ObjectMapper().readTree(reference.resolve("expected.json").toFile());
    }

    private static long[] ids(JsonNode seq) {
        long[] ids = new long[seq.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = seq.get(i).asLong();
        }
        return ids;
    }

    @Test
    void logitsMatchThePyTorchReferenceWithin1e4() {
        try (Gpt2Model model = Gpt2Model.load(reference, DeviceChoice.CPU)) {
            assertEquals(61, model.config().vocabSize());
            assertEquals(model.config().parameterCount(), model.trainableParameterCount());
            double worst = 0;
            for (int s = 0; s < expected.get("sequences").size(); s++) {
                float[][] logits = model.logits(ids(expected.get("sequences").get(s)));
                JsonNode want = expected.get("logits").get(s);
                assertEquals(want.size(), logits.length);
                for (int t = 0; t < logits.length; t++) {
                    for (int v = 0; v < logits[t].length; v++) {
                        worst = Math.max(worst, Math.abs(logits[t][v] - want.get(t).get(v).asDouble()));
                    }
                }
            }
            assertTrue(worst <= TOLERANCE, "largest logit difference to PyTorch " + worst);
        }
    }

    @Test
    void savedWeightsReloadBitForBitAndKeepTheirDigest() {
        long[] seq = ids(expected.get("sequences").get(0));
        try (Gpt2Model model = Gpt2Model.load(reference, DeviceChoice.CPU)) {
            model.save(dir.resolve("copy"));
            try (Gpt2Model again = Gpt2Model.load(dir.resolve("copy"), DeviceChoice.CPU)) {
                assertEquals(model.weightsDigest(), again.weightsDigest());
                assertEquals(model.config(), again.config());
                float[][] a = model.logits(seq);
                float[][] b = again.logits(seq);
                for (int t = 0; t < a.length; t++) {
                    assertArrayEquals(a[t], b[t]);
                }
            }
            Safetensors.Contents written = Safetensors.read(dir.resolve("copy/model.safetensors"));
            assertTrue(written.tensors().containsKey("h.1.attn.c_attn.weight"));
            assertArrayEquals(new long[] {32, 96}, written.tensor("h.0.attn.c_attn.weight").shape());
            assertEquals("pt", written.metadata().get("format"));
        }
    }

    @Test
    void batchedLogitsEqualSingleSequences() {
        try (Gpt2Model model = Gpt2Model.load(reference, DeviceChoice.CPU)) {
            long[][] batch = {{1, 2, 3, 4}, {9, 8, 7, 6}, {5, 5, 5, 5}};
            float[][][] both = model.logits(batch);
            for (int r = 0; r < batch.length; r++) {
                assertTrue(Tiny.maxDiff(both[r], model.logits(batch[r])) < 1e-5);
            }
            assertThrows(InvalidArgumentException.class, () -> model.logits(new long[] {61}));
            assertThrows(InvalidArgumentException.class, () -> model.logits(new long[33]));
            assertThrows(InvalidArgumentException.class, () -> model.logits(new long[0]));
            assertThrows(InvalidArgumentException.class, () -> model.logits(new long[][] {{1, 2}, {1}}));
        }
    }

    @Test
    void digestsFollowTheWeightsNotTheFile() {
        Gpt2Config c = Tiny.config(20, 0);
        try (Gpt2Model a = Gpt2Model.create(c, 1, DeviceChoice.CPU);
                Gpt2Model b = Gpt2Model.create(c, 1, DeviceChoice.CPU);
                Gpt2Model other = Gpt2Model.create(c, 2, DeviceChoice.CPU)) {
            assertEquals(a.weightsDigest(), b.weightsDigest(), "a seed gives the same weights");
            assertNotEquals(a.weightsDigest(), other.weightsDigest());
            assertEquals(c.parameterCount(), a.parameterCount());
        }
    }

    @Test
    void filesThatDoNotFitTheConfigurationAreRefusedNamingTheTensor() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(Safetensors.read(reference.resolve("model.safetensors"))
                .tensors());
        Gpt2Config config = Gpt2Config.readHuggingFace(reference.resolve("config.json"));

        Map<String, Tensor> missing = new LinkedHashMap<>(tensors);
        missing.remove("transformer.h.1.mlp.c_fc.bias");
        assertRefused(config, missing, "h.1.mlp.c_fc.bias' is missing");

        Map<String, Tensor> extra = new LinkedHashMap<>(tensors);
        extra.put("transformer.h.2.ln_1.weight", Tensor.ofFloats(new float[32], 32));
        assertRefused(config, extra, "transformer.h.2.ln_1.weight");

        Map<String, Tensor> reshaped = new LinkedHashMap<>(tensors);
        reshaped.put("transformer.ln_f.bias", Tensor.ofFloats(new float[16], 16));
        assertRefused(config, reshaped, "has shape [16] but the configuration needs [32]");

        Map<String, Tensor> untied = new LinkedHashMap<>(tensors);
        float[] head = tensors.get("lm_head.weight").toFloats();
        head[0] += 1;
        untied.put("lm_head.weight", Tensor.ofFloats(head, 61, 32));
        assertRefused(config, untied, "LM head differs");

        Map<String, Tensor> ints = new LinkedHashMap<>(tensors);
        ints.put("transformer.ln_f.bias", Tensor.ofLongs(new long[32], 32));
        assertRefused(config, ints, "weights must be F32");

        Gpt2Config wider = Gpt2Config.builder().vocabSize(61).contextLength(32).embeddingSize(64).layers(2).heads(4)
                .build();
        assertRefused(wider, tensors, "wte.weight' has shape [61, 32]");
    }

    private void assertRefused(Gpt2Config config, Map<String, Tensor> tensors, String expected) {
        Path file = dir.resolve("w" + tensors.hashCode() + ".safetensors");
        Safetensors.write(file, tensors, Map.of());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Gpt2Model.fromSafetensors(config, file, DeviceChoice.CPU).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void halfPrecisionCheckpointsLoadWithinHalfPrecisionError() {
        Map<String, Tensor> half = new LinkedHashMap<>();
        Safetensors.read(reference.resolve("model.safetensors")).tensors().forEach((k, t) -> {
            float[] v = t.toFloats();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                b.putShort(Tensor.floatToHalf(f));
            }
            b.flip();
            half.put(k, new Tensor(TensorType.F16, t.shape(), b));
        });
        Path file = dir.resolve("half.safetensors");
        Safetensors.write(file, half, Map.of());
        Gpt2Config config = Gpt2Config.readHuggingFace(reference.resolve("config.json"));
        try (Gpt2Model full = Gpt2Model.load(reference, DeviceChoice.CPU);
                Gpt2Model model = Gpt2Model.fromSafetensors(config, file, DeviceChoice.CPU)) {
            long[] seq = ids(expected.get("sequences").get(0));
            assertTrue(Tiny.maxDiff(full.logits(seq), model.logits(seq)) < 0.05);
        }
    }

    @Test
    void theReferenceScriptIsCommittedNextToItsOutputs() throws IOException {
        String script = Files.readString(reference.resolve("make_reference.py"));
        assertTrue(script.contains("gelu_new") && script.contains("expected.json"));
    }
}
