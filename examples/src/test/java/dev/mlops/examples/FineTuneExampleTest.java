package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.spi.ProgressListener;
import dev.mlops.llm.lora.LlmPackage;
import dev.mlops.llm.lora.LoraAdapter;
import dev.mlops.llm.model.DeviceChoice;
import dev.mlops.llm.model.Gpt2Model;
import dev.mlops.registry.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuneExampleTest {
    @TempDir
    Path dir;

    @Test
    void loraRaisesExactMatchAndTheAdapterIsRegisteredWithItsBase() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FineTuneExample.Outcome o = FineTuneExample.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressListener.noop());
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(o.exactMatchBefore() < 0.05, out);
        assertTrue(o.exactMatchAfter() >= o.exactMatchBefore() + 0.25, out);
        assertTrue(o.comparison().tests().get(0).pValue() < 0.05, out);
        assertTrue(o.training().bestValidationLoss() < 0.5, out);
        assertEquals(4096, o.training().trainableParameters());

        assertTrue(o.run().metrics().containsKey("train/loss"), o.run().metrics().toString());
        assertTrue(o.run().metrics().containsKey("validation/loss"));
        assertTrue(o.run().metrics().get("eval/exact_match") > 0.25);
        assertEquals("4096", o.run().params().get("model/trainable_parameters"));

        assertTrue(Files.size(o.adapterDir().resolve(LoraAdapter.WEIGHTS_FILE)) < 32 * 1024);
        ModelPackage pkg = ModelPackage.open(o.packageDir());
        assertTrue(pkg.hasFlavor(LlmPackage.LORA_FLAVOR));
        assertTrue(pkg.modelCard().contains(o.baseDigest()));
        assertTrue(o.lineage().datasets().stream().anyMatch(d -> d.context().equals(LlmPackage.BASE_CONTEXT)
                && d.digest().equals(o.baseDigest()) && d.name().equals("copy-base")), o.lineage().toString());
        assertTrue(o.lineage().datasets().stream().anyMatch(d -> d.context().equals("training")));
        assertEquals(o.run().artifactUri("adapter"), o.version().source());

        try (Gpt2Model base = Gpt2Model.load(dir.resolve("base"), DeviceChoice.CPU)) {
            LoraAdapter reloaded = LoraAdapter.load(base, pkg.directory().resolve("model"));
            assertEquals(8, reloaded.config().rank());
        }
        assertTrue(out.contains("Held-out exact match"), out);
    }
}
