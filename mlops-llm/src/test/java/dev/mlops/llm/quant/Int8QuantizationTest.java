package dev.mlops.llm.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.EvalDataset;
import dev.mlops.llm.Evaluator;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.internal.nn.HfWeights;
import dev.mlops.llm.internal.nn.Projection;
import dev.mlops.llm.lora.LlmPackage;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.lora.LoraConfig;
import dev.mlops.llm.metrics.TextMetrics;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.GenerationConfig;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.Safetensors;
import dev.mlops.llm.model.Tensor;
import dev.mlops.llm.model.TensorType;
import dev.mlops.llm.model.TextGenerator;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftExample;
import dev.mlops.llm.train.SftTrainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quantizing a small GPT-2 that learned to copy strings: a quarter of the linear weights' bytes, perplexity and
 * greedy predictions close to the 32-bit model's, exact match through the evaluation harness, generation from a
 * saved and reloaded model, and clear failures for hostile weights and files.
 */
class Int8QuantizationTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TextTokenizer tokenizer;
    private static Path fp32;
    private static List<SftExample> heldOut;

    @BeforeAll
    static void trainACopyingModel() {
        tokenizer = Tiny.tokenizer(shared);
        Gpt2Config config = Gpt2Config.builder().vocabSize(tokenizer.vocabSize()).contextLength(32).embeddingSize(64)
                .layers(2).heads(4).build();
        try (Gpt2Model model = Gpt2Model.create(config, 1, DeviceChoice.CPU)) {
            SftTrainer.builder(model, tokenizer).format(Tiny.FORMAT).progress(ProgressListener.noop())
                    .config(SftConfig.builder().learningRate(3e-3).maxSteps(200).microBatchSize(32).warmupSteps(20)
                            .build())
                    .build().fit(SftDataset.of("copy", Tiny.strings(false, 2000, 1)), null);
            fp32 = shared.resolve("fp32");
            model.save(fp32);
        }
        heldOut = Tiny.strings(false, 60, 99);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Gpt2Model loadFp32() {
        return Gpt2Model.load(fp32, DeviceChoice.CPU);
    }

    private static List<long[]> sequences() {
        List<long[]> out = new ArrayList<>();
        for (SftExample e : heldOut) {
            out.add(tokenizer.encode(Tiny.FORMAT.prompt(e.prompt()) + e.completion()));
        }
        return out;
    }

    private static long linearBytes(Gpt2Config c, int perIn, int perScale) {
        long d = c.embeddingSize();
        long m = c.mlpSize();
        long perLayer = perIn * (4 * d * d + 2 * d * m) + perScale * (4 * d + m + d);
        return c.layers() * perLayer;
    }

    @Test
    void linearWeightsShrinkToAQuarterAndQualityHolds() {
        try (Gpt2Model reference = loadFp32(); Gpt2Model int8 = loadFp32()) {
            Gpt2Config c = reference.config();
            QuantizationReport report = Int8Quantization.quantize(int8);

            assertTrue(Int8Quantization.isQuantized(int8));
            assertFalse(Int8Quantization.isQuantized(reference));
            assertEquals(Int8Quantization.SCHEME, report.scheme());
            assertEquals(6 * c.layers(), report.quantizedTensors());
            assertEquals(linearBytes(c, 4, 0), report.before().linearWeightBytes());
            assertEquals(linearBytes(c, 1, 4), report.after().linearWeightBytes(), "one byte per weight and four "
                    + "per output channel");
            assertEquals(report.before().otherBytes(), report.after().otherBytes(), "embeddings, norms and biases "
                    + "stay 32-bit");
            assertEquals(report.after(), Int8Quantization.footprint(int8));
            assertTrue(report.linearCompression() > 3.7 && report.linearCompression() < 4, "compression "
                    + report.linearCompression());
            assertTrue(report.maxAbsoluteError() > 0 && report.maxAbsoluteError() < 0.01,
                    "max error " + report.maxAbsoluteError());

            QualityComparison q = Int8Quantization.compare(reference, int8, sequences());
            assertTrue(Math.abs(q.relativePerplexityIncrease()) < 0.01, "perplexity moved by less than 1%: " + q);
            assertTrue(q.top1Agreement() >= 0.97, "greedy predictions agree: " + q);
            assertTrue(q.maxAbsoluteLogitDifference() > 0, "quantization changes something: " + q);

            Evaluator evaluator = Evaluator.builder().metrics(TextMetrics.exactMatch())
                    .progress(ProgressListener.noop()).build();
            EvalDataset eval = SftDataset.of("held-out", heldOut).toEvalDataset();
            double emReference = evaluator.evaluate("fp32", eval, generator(reference)).aggregate("exact_match");
            double emInt8 = evaluator.evaluate("int8", eval, generator(int8)).aggregate("exact_match");
            assertTrue(emReference >= 0.5, "the 32-bit model copies: exact match " + emReference);
            assertTrue(Math.abs(emInt8 - emReference) <= 0.05, "exact match " + emReference + " (fp32) against "
                    + emInt8 + " (int8)");
        }
    }

    private static TextGenerator generator(Gpt2Model model) {
        return TextGenerator.builder(model, tokenizer).format(Tiny.FORMAT).config(GenerationConfig.greedy(8)).build();
    }

    @Test
    void aSavedQuantizedModelLoadsAndGeneratesTheSame() throws IOException {
        Path out = dir.resolve("int8");
        long[] prompt = tokenizer.encode(Tiny.FORMAT.prompt("abcdef"));
        float[][] logits;
        String digest;
        String text;
        try (Gpt2Model int8 = loadFp32()) {
            Int8Quantization.quantize(int8);
            long bytes = Int8Quantization.save(int8, out);
            assertEquals(Files.size(out.resolve(Gpt2Model.WEIGHTS_FILE)), bytes);
            logits = int8.logits(prompt);
            digest = int8.weightsDigest();
            text = generator(int8).generate("abcdef").text();
        }
        long fp32Bytes = Files.size(fp32.resolve(Gpt2Model.WEIGHTS_FILE));
        long int8Bytes = Files.size(out.resolve(Gpt2Model.WEIGHTS_FILE));
        assertTrue(int8Bytes < fp32Bytes * 0.6, "file " + fp32Bytes + " -> " + int8Bytes + " bytes");

        Safetensors.Contents c = Safetensors.read(out.resolve(Gpt2Model.WEIGHTS_FILE));
        assertEquals(Int8Quantization.SCHEME, c.metadata().get("quantization"));
        assertEquals(TensorType.I8, c.tensor("h.1.attn.c_attn.weight").type());
        assertEquals(TensorType.F32, c.tensor("h.1.attn.c_attn.weight_scale").type());
        assertArrayEquals(new long[] {192}, c.tensor("h.1.attn.c_attn.weight_scale").shape());
        assertEquals(TensorType.F32, c.tensor("wte.weight").type(), "embeddings stay 32-bit");

        try (Gpt2Model loaded = Int8Quantization.load(out, DeviceChoice.CPU)) {
            assertTrue(Int8Quantization.isQuantized(loaded));
            assertEquals(digest, loaded.weightsDigest());
            float[][] again = loaded.logits(prompt);
            for (int i = 0; i < logits.length; i++) {
                assertArrayEquals(logits[i], again[i], "position " + i);
            }
            assertEquals(text, generator(loaded).generate("abcdef").text());
            assertEquals("abcdef", text, "the quantized copying model still copies");
            Path second = dir.resolve("again");
            Int8Quantization.save(loaded, second);
            assertArrayEquals(Files.readAllBytes(out.resolve(Gpt2Model.WEIGHTS_FILE)),
                    Files.readAllBytes(second.resolve(Gpt2Model.WEIGHTS_FILE)), "saving is a fixed point");
            Path dequantized = dir.resolve("fp32-again");
            loaded.save(dequantized);
            try (Gpt2Model widened = Gpt2Model.load(dequantized, DeviceChoice.CPU)) {
                assertFalse(Int8Quantization.isQuantized(widened));
                assertEquals(digest, widened.weightsDigest(), "a plain save writes the dequantized weights");
                assertTrue(Tiny.maxDiff(logits, widened.logits(prompt)) < 1e-4);
            }
        }
    }

    @Test
    void aQuantizedModelIsPackagedWithItsEightBitWeights() throws IOException {
        long[] prompt = tokenizer.encode(Tiny.FORMAT.prompt("abcdef"));
        Path pkg;
        float[][] logits;
        String digest;
        try (Gpt2Model int8 = loadFp32()) {
            Int8Quantization.quantize(int8);
            logits = int8.logits(prompt);
            digest = int8.weightsDigest();
            pkg = LlmPackage.builder().model(int8).base("copy-base", "b".repeat(64)).tokenizer(tokenizer)
                    .format(Tiny.FORMAT).build(dir.resolve("pkg"));
        }
        JsonNode d = new ObjectMapper().readTree(pkg.resolve(LlmPackage.DESCRIPTOR).toFile());
        JsonNode flavor = d.path("flavors").path(LlmPackage.INT8_FLAVOR);
        assertEquals("model/" + Gpt2Model.WEIGHTS_FILE, flavor.path("file").asText(), d.toString());
        assertEquals(Int8Quantization.SCHEME, flavor.path("properties").path("scheme").asText());
        assertEquals(digest, flavor.path("properties").path("weights_digest").asText());
        assertTrue(d.path("files").has("model/" + Int8Quantization.DESCRIPTOR_FILE), d.path("files").toString());
        assertTrue(Files.size(pkg.resolve("model/" + Gpt2Model.WEIGHTS_FILE))
                < Files.size(fp32.resolve(Gpt2Model.WEIGHTS_FILE)) * 0.6, "the package holds 8-bit weights");
        assertEquals(TensorType.I8, Safetensors.read(pkg.resolve("model/" + Gpt2Model.WEIGHTS_FILE))
                .tensor("h.0.mlp.c_fc.weight").type());
        try (Gpt2Model loaded = Int8Quantization.load(pkg.resolve("model"), DeviceChoice.CPU)) {
            float[][] again = loaded.logits(prompt);
            for (int i = 0; i < logits.length; i++) {
                assertArrayEquals(logits[i], again[i], "position " + i);
            }
        }
    }

    @Test
    void aNonFiniteWeightIsNamedAndTheModelIsLeftAsItWas() {
        try (Gpt2Model model = loadFp32()) {
            Projection down = ((Gpt2Net) model.block()).projections().get("h.1.mlp.c_proj");
            float[] w = down.weight().getArray().toFloatArray();
            w[7] = Float.NaN;
            HfWeights.set(down.weight(), w);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Int8Quantization.quantize(model));
            assertTrue(e.getMessage().contains("h.1.mlp.c_proj.weight") && e.getMessage().contains("NaN"),
                    e.getMessage());
            assertFalse(Int8Quantization.isQuantized(model), "nothing was quantized");
        }
    }

    @Test
    void zeroOutputChannelsQuantizeWithoutDividingByZero() {
        try (Gpt2Model model = loadFp32()) {
            Projection up = ((Gpt2Net) model.block()).projections().get("h.0.mlp.c_fc");
            float[] w = up.weight().getArray().toFloatArray();
            for (int row = 0; row < up.in(); row++) {
                w[row * up.out() + 3] = 0;
            }
            Arrays.fill(w, 0, up.out(), 0f);
            HfWeights.set(up.weight(), w);
            float[][] before = model.logits(new long[] {1, 2, 3});
            Int8Quantization.quantize(model);
            assertEquals(0f, up.int8Scale().toFloatArray()[3]);
            float[][] after = model.logits(new long[] {1, 2, 3});
            for (float[] row : after) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v));
                }
            }
            assertTrue(Tiny.maxDiff(before, after) < 0.1, "difference " + Tiny.maxDiff(before, after));
        }
    }

    @Test
    void misuseFailsClearly() {
        try (Gpt2Model model = loadFp32()) {
            assertTrue(assertThrows(InvalidArgumentException.class, () -> Int8Quantization.save(model, dir))
                    .getMessage().contains("not quantized"));
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1);
            assertTrue(assertThrows(InvalidArgumentException.class, () -> Int8Quantization.quantize(model))
                    .getMessage().contains("adapter on h.0.attn.q"));
            lora.detach();
            Int8Quantization.quantize(model);
            assertTrue(assertThrows(InvalidArgumentException.class, () -> Int8Quantization.quantize(model))
                    .getMessage().contains("already quantized"));
            assertThrows(IllegalStateException.class, () -> model.setBaseTrainable(true));
        }
        assertThrows(NotFoundException.class, () -> Int8Quantization.load(dir.resolve("nothing"), DeviceChoice.CPU));
    }

    static Stream<Arguments> hostileFiles() {
        String w = "h.0.mlp.c_fc.weight";
        String s = "h.0.mlp.c_fc.weight_scale";
        return Stream.of(
                Arguments.of("scales as F16", s, edit(s, t -> new Tensor(TensorType.F16, t.shape(),
                        ByteBuffer.allocate((int) t.elementCount() * 2)))),
                Arguments.of("scales of the wrong shape", s, edit(s, t -> Tensor.ofFloats(new float[3], 3))),
                Arguments.of("a NaN scale", w, edit(s, t -> withFloat(t, 5, Float.NaN))),
                Arguments.of("an infinite scale", w, edit(s, t -> withFloat(t, 0, Float.POSITIVE_INFINITY))),
                Arguments.of("a negative scale", w, edit(s, t -> withFloat(t, 1, -0.5f))),
                Arguments.of("a zero scale over non-zero values", w, edit(s, t -> withFloat(t, 2, 0f))),
                Arguments.of("the value -128", w, edit(w, t -> withByte(t, 4, Byte.MIN_VALUE))),
                Arguments.of("a 32-bit linear weight", w, edit(w, t -> Tensor.ofFloats(new float[(int) t
                        .elementCount()], t.shape()))),
                Arguments.of("a missing scale", s, (UnaryOperator<Map<String, Tensor>>) m -> {
                    m.remove(s);
                    return m;
                }),
                Arguments.of("an unknown tensor", "h.0.extra", (UnaryOperator<Map<String, Tensor>>) m -> {
                    m.put("h.0.extra", Tensor.ofFloats(new float[1], 1));
                    return m;
                }),
                Arguments.of("a NaN embedding", "wpe.weight", edit("wpe.weight", t -> withFloat(t, 9, Float.NaN))));
    }

    private static UnaryOperator<Map<String, Tensor>> edit(String name, UnaryOperator<Tensor> change) {
        return m -> {
            m.put(name, change.apply(m.get(name)));
            return m;
        };
    }

    private static Tensor withFloat(Tensor t, int index, float value) {
        float[] v = t.toFloats();
        v[index] = value;
        return Tensor.ofFloats(v, t.shape());
    }

    private static Tensor withByte(Tensor t, int index, byte value) {
        byte[] v = new byte[(int) t.elementCount()];
        t.bytes().get(v);
        v[index] = value;
        return new Tensor(TensorType.I8, t.shape(), ByteBuffer.wrap(v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileFilesAreRejectedNamingTheTensor(String what, String tensor, UnaryOperator<Map<String, Tensor>> change)
            throws IOException {
        Path out = saveQuantized();
        Path weights = out.resolve(Gpt2Model.WEIGHTS_FILE);
        Safetensors.Contents c = Safetensors.read(weights);
        Map<String, Tensor> tensors = change.apply(new LinkedHashMap<>(c.tensors()));
        Safetensors.write(weights, tensors, c.metadata());
        redigest(out);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Int8Quantization.load(out, DeviceChoice.CPU), what);
        assertTrue(e.getMessage().contains("'" + tensor + "'"), what + ": " + e.getMessage());
    }

    @Test
    void aTamperedFileFailsItsDigestAndABadDescriptorIsNamed() throws IOException {
        Path out = saveQuantized();
        Path weights = out.resolve(Gpt2Model.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertThrows(IntegrityException.class, () -> Int8Quantization.load(out, DeviceChoice.CPU));

        Path descriptor = out.resolve(Int8Quantization.DESCRIPTOR_FILE);
        Files.writeString(descriptor, Files.readString(descriptor).replace(Int8Quantization.SCHEME, "int4-groups"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Int8Quantization.load(out, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("int4-groups"), e.getMessage());
    }

    private Path saveQuantized() {
        Path out = dir.resolve("int8");
        try (Gpt2Model model = loadFp32()) {
            Int8Quantization.quantize(model);
            Int8Quantization.save(model, out);
        }
        return out;
    }

    /** Rewrites the descriptor's digest so that the content checks, not the digest, meet the edited file. */
    private static void redigest(Path out) throws IOException {
        Path descriptor = out.resolve(Int8Quantization.DESCRIPTOR_FILE);
        String json = Files.readString(descriptor);
        String digest = sha256(out.resolve(Gpt2Model.WEIGHTS_FILE));
        Files.writeString(descriptor, json.replaceAll("\"weights_sha256\" : \"[0-9a-f]+\"",
                "\"weights_sha256\" : \"" + digest + "\""));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
