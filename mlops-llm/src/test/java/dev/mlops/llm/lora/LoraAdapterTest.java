package dev.mlops.llm.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.internal.nn.Gpt2Net;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Config;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.llm.model.TextTokenizer;
import dev.mlops.llm.model.Tiny;
import dev.mlops.llm.train.SftConfig;
import dev.mlops.llm.train.SftDataset;
import dev.mlops.llm.train.SftTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** LoRA: parameter counts, frozen bases, merge and unmerge, and adapters saved alone and loaded onto their base. */
class LoraAdapterTest {
    private static final long[] SEQ = {2, 3, 4, 10, 5, 6, 7};

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void tokenizer() {
        tokenizer = Tiny.tokenizer(shared);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Gpt2Model base(long seed) {
        return Gpt2Model.create(Tiny.config(tokenizer.vocabSize(), 0), seed, DeviceChoice.CPU);
    }

    private static Map<String, float[]> baseWeights(Gpt2Model model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ((Gpt2Net) model.block()).namedParameters().forEach((k, p) -> {
            if (!k.contains("lora_")) {
                out.put(k, p.getArray().toFloatArray());
            }
        });
        return out;
    }

    @TestFactory
    Stream<DynamicTest> trainableParametersEqualTheFormula() {
        LoraTarget[] all = LoraTarget.values();
        return IntStream.range(0, 24).mapToObj(i -> DynamicTest.dynamicTest("seed " + (500 + i), () -> {
            Random r = new Random(500 + i);
            int heads = 1 + r.nextInt(3);
            Gpt2Config c = Gpt2Config.builder().vocabSize(5 + r.nextInt(20)).contextLength(8)
                    .embeddingSize(heads * (2 + r.nextInt(6))).heads(heads).layers(1 + r.nextInt(3))
                    .mlpSize(3 + r.nextInt(40)).build();
            EnumSet<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
            while (targets.isEmpty()) {
                for (LoraTarget t : all) {
                    if (r.nextBoolean()) {
                        targets.add(t);
                    }
                }
            }
            LoraConfig lc = new LoraConfig(1 + r.nextInt(8), 1 + r.nextInt(32), 0, targets);
            try (Gpt2Model m = Gpt2Model.create(c, i, DeviceChoice.CPU)) {
                assertEquals(c.parameterCount(), m.trainableParameterCount());
                LoraAdapter a = LoraAdapter.attach(m, lc, i);
                long formula = 0;
                for (LoraTarget t : targets) {
                    int in = t == LoraTarget.MLP_OUT ? c.mlpSize() : c.embeddingSize();
                    int out = t == LoraTarget.MLP_IN ? c.mlpSize() : c.embeddingSize();
                    formula += (long) c.layers() * lc.rank() * (in + out);
                }
                assertEquals(formula, lc.parameterCount(c));
                assertEquals(formula, a.trainableParameterCount());
                assertEquals(formula, m.trainableParameterCount(), "only the adapters are trainable");
                assertEquals(c.parameterCount(), m.parameterCount());
            }
        }));
    }

    @Test
    void defaultsFollowThePaperAndQueryValueCountsAreFourLrd() {
        LoraConfig d = LoraConfig.defaults();
        assertEquals(8, d.rank());
        assertEquals(16.0, d.alpha());
        assertEquals(EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE), d.targets());
        assertEquals(4L * 12 * 8 * 768, d.parameterCount(Gpt2Config.gpt2Small()));
        assertThrows(InvalidArgumentException.class, () -> LoraConfig.builder().rank(0).build());
        assertThrows(InvalidArgumentException.class, () -> new LoraConfig(4, 8, 1.0, EnumSet.of(LoraTarget.KEY)));
        assertThrows(InvalidArgumentException.class, () -> new LoraConfig(4, 8, 0, EnumSet.noneOf(LoraTarget.class)));
    }

    @Test
    void baseWeightsStayBitIdenticalWhileAdaptersTrain() {
        try (Gpt2Model model = base(3)) {
            float[][] before = model.logits(SEQ);
            String digest = model.weightsDigest();
            Map<String, float[]> weights = baseWeights(model);
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.builder().rank(4).dropout(0.1).build(), 5);
            assertEquals(0, Tiny.maxDiff(before, model.logits(SEQ)), "B starts at zero");
            SftTrainer.builder(model, tokenizer).format(Tiny.FORMAT).progress(ProgressListener.noop())
                    .config(SftConfig.builder().learningRate(1e-2).maxSteps(8).microBatchSize(8).build()).build()
                    .fit(SftDataset.of("reverse", Tiny.strings(true, 64, 1)), null);
            assertTrue(Tiny.maxDiff(before, model.logits(SEQ)) > 1e-3, "the adapters learned something");
            Map<String, float[]> after = baseWeights(model);
            weights.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
            assertEquals(digest, model.weightsDigest());
            assertEquals(digest, lora.baseDigest());
            lora.detach();
            assertEquals(0, Tiny.maxDiff(before, model.logits(SEQ)), "detaching restores the base");
            assertEquals(model.config().parameterCount(), model.trainableParameterCount());
        }
    }

    @Test
    void mergedAndUnmergedModelsAgreeWithin1e5() {
        try (Gpt2Model model = base(4)) {
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.builder().rank(4).targets(LoraTarget.QUERY,
                    LoraTarget.KEY, LoraTarget.VALUE, LoraTarget.ATTENTION_OUTPUT, LoraTarget.MLP_IN,
                    LoraTarget.MLP_OUT).build(), 6);
            randomize(model, 7);
            Map<String, float[]> base = baseWeights(model);
            String baseDigest = model.weightsDigest();
            float[][] unmerged = model.logits(SEQ);
            lora.merge();
            assertTrue(lora.isMerged());
            assertTrue(model.hasMergedAdapter());
            assertNotEquals(baseDigest, model.weightsDigest(), "merging changes the weights");
            assertTrue(Tiny.maxDiff(unmerged, model.logits(SEQ)) < 1e-5);
            lora.unmerge();
            assertFalse(lora.isMerged());
            assertTrue(Tiny.maxDiff(unmerged, model.logits(SEQ)) < 1e-5);
            Map<String, float[]> again = baseWeights(model);
            base.forEach((k, v) -> {
                float[] w = again.get(k);
                for (int i = 0; i < v.length; i++) {
                    assertEquals(v[i], w[i], 1e-6, k);
                }
            });
        }
    }

    /** Gives every adapter matrix non-zero values, as training would. */
    private static void randomize(Gpt2Model model, long seed) {
        Random r = new Random(seed);
        ((Gpt2Net) model.block()).namedParameters().forEach((k, p) -> {
            if (k.contains("lora_")) {
                float[] v = new float[(int) p.getArray().getShape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.3);
                }
                dev.mlops.llm.internal.nn.HfWeights.set(p, v);
            }
        });
    }

    @Test
    void adaptersSaveAloneAndLoadOntoTheirBaseOnly() throws IOException {
        float[][] adapted;
        String digest;
        try (Gpt2Model model = base(8)) {
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.builder().rank(2).alpha(4).build(), 9);
            randomize(model, 10);
            adapted = model.logits(SEQ);
            digest = model.weightsDigest();
            lora.save(dir.resolve("adapter"));
            lora.merge();
            lora.save(dir.resolve("adapter-merged"));
            assertEquals(Files.readAllBytes(dir.resolve("adapter/adapter.safetensors")).length,
                    Files.readAllBytes(dir.resolve("adapter-merged/adapter.safetensors")).length);
        }
        long size = Files.size(dir.resolve("adapter/adapter.safetensors"));
        assertTrue(size < 8 * 1024, "the adapter file is small: " + size);
        String json = Files.readString(dir.resolve("adapter/adapter.json"));
        assertTrue(json.contains(digest) && json.contains("\"rank\" : 2"), json);
        try (Gpt2Model same = base(8)) {
            LoraAdapter loaded = LoraAdapter.load(same, dir.resolve("adapter"));
            assertEquals(0, Tiny.maxDiff(adapted, same.logits(SEQ)));
            assertEquals(2, loaded.config().rank());
            assertEquals(4.0, loaded.config().alpha());
            assertThrows(ConflictException.class, () -> LoraAdapter.attach(same, LoraConfig.defaults(), 1));
        }
        try (Gpt2Model other = base(11)) {
            ConflictException e = assertThrows(ConflictException.class,
                    () -> LoraAdapter.load(other, dir.resolve("adapter")));
            assertTrue(e.getMessage().contains(digest) && e.getMessage().contains(other.weightsDigest()),
                    e.getMessage());
            assertEquals(other.config().parameterCount(), other.trainableParameterCount(), "nothing was attached");
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("adapter/adapter.safetensors"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve("adapter/adapter.safetensors"), bytes);
        try (Gpt2Model same = base(8)) {
            assertThrows(IntegrityException.class, () -> LoraAdapter.load(same, dir.resolve("adapter")));
        }
    }

    @Test
    void packagesFollowTheRegistryFormatAndNameTheBase() throws IOException {
        try (Gpt2Model model = base(12)) {
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1);
            Path pkg = LlmPackage.builder().adapter(lora).baseName("tiny-base").tokenizer(tokenizer)
                    .format(Tiny.FORMAT).metrics(Map.of("exact_match", 0.5))
                    .dataset(SftDataset.of("reverse", Tiny.strings(true, 4, 1)).ref("training"))
                    .build(dir.resolve("pkg"));
            var d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pkg.resolve(LlmPackage.DESCRIPTOR)
                    .toFile());
            assertEquals(1, d.path("formatVersion").asInt());
            assertEquals("model/adapter.safetensors", d.path("flavors").path("gpt2-lora").path("file").asText());
            assertEquals(List.of("MODEL_CARD.md", "model/adapter.json", "model/adapter.safetensors",
                    "model/config.json", "model/tokenizer.json"), iterable(d.path("files").fieldNames()));
            for (String name : iterable(d.path("files").fieldNames())) {
                assertEquals(Files.size(pkg.resolve(name)), d.path("files").path(name).path("size").asLong());
            }
            assertEquals("base-model", d.path("datasets").get(0).path("context").asText());
            assertEquals(lora.baseDigest(), d.path("datasets").get(0).path("digest").asText());
            assertEquals("tiny-base", d.path("datasets").get(0).path("name").asText());
            assertEquals("training", d.path("datasets").get(1).path("context").asText());
            assertEquals("prompt", d.path("signature").path("inputs").path("fields").get(0).path("name").asText());
            assertThrows(dev.mlops.api.AlreadyExistsException.class,
                    () -> LlmPackage.builder().adapter(lora).build(dir.resolve("pkg")));
            assertThrows(IllegalStateException.class, () -> LlmPackage.builder().merged(lora));
            lora.merge();
            Path merged = LlmPackage.builder().merged(lora).build(dir.resolve("merged"));
            assertTrue(Files.exists(merged.resolve("model/model.safetensors")));
            try (Gpt2Model reloaded = Gpt2Model.load(merged.resolve("model"), DeviceChoice.CPU)) {
                assertTrue(Tiny.maxDiff(model.logits(SEQ), reloaded.logits(SEQ)) < 1e-6);
            }
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void parameterNamesUseTheAdapterConvention() {
        try (Gpt2Model model = base(13)) {
            LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1);
            Map<String, Parameter> p = lora.parameters();
            assertEquals(8, p.size());
            assertArrayEquals(new long[] {8, 32}, p.get("h.0.attn.q.lora_A.weight").getArray().getShape().getShape());
            assertArrayEquals(new long[] {32, 8}, p.get("h.1.attn.v.lora_B.weight").getArray().getShape().getShape());
        }
    }
}
