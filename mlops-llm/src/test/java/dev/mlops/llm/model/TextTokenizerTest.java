package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizers built in code as tokenizer.json files and run through DJL's Hugging Face tokenizers. */
class TextTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void characterLevelTokenizerRoundTripsTextWithSpacesAndNewlines() {
        try (TextTokenizer t = TextTokenizer.characterLevel(dir.resolve("chars.json"), "abc xyz\n:=")) {
            assertEquals(12, t.vocabSize());
            assertEquals(0, t.endOfTextId());
            assertEquals(1, t.tokenId("<unk>").getAsLong());
            long[] ids = t.encode("ab c\nzz:");
            assertEquals(8, ids.length);
            assertEquals("ab c\nzz:", t.decode(ids));
            assertArrayEquals(new long[0], t.encode(""));
            assertEquals("a", t.decode(new long[] {2, 0}), "the end-of-text token is not decoded");
            Random r = new Random(11);
            String alphabet = "abc xyz\n:=";
            for (int i = 0; i < 200; i++) {
                StringBuilder sb = new StringBuilder();
                for (int k = r.nextInt(20); k > 0; k--) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                assertEquals(sb.toString(), t.decode(t.encode(sb.toString())), "seed 11 case " + i);
            }
            assertEquals(1, t.encode("Q")[0], "characters outside the alphabet become <unk>");
        }
    }

    @Test
    void aBpeTokenizerWithMergesAndAWordLevelTokenizerLoad() throws IOException {
        Path bpe = dir.resolve("bpe.json");
        Files.writeString(bpe, """
                {"version":"1.0","truncation":null,"padding":null,
                 "added_tokens":[{"id":0,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,
                                  "normalized":false,"special":true}],
                 "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
                 "model":{"type":"BPE","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,
                          "end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":false,
                          "vocab":{"</s>":0,"<unk>":1,"l":2,"o":3,"w":4,"e":5,"r":6,"s":7,"t":8,"lo":9,"low":10,
                                   "er":11,"est":12,"es":13},
                          "merges":["l o","lo w","e r","e s","es t"]}}
                """);
        try (TextTokenizer t = TextTokenizer.load(bpe)) {
            assertEquals(14, t.vocabSize());
            assertEquals(0, t.endOfTextId());
            assertArrayEquals(new long[] {10, 12, 10, 11}, t.encode("lowest lower"));
        }
        Path words = dir.resolve("words.json");
        Files.writeString(words, """
                {"version":"1.0","truncation":null,"padding":null,
                 "added_tokens":[{"id":0,"content":"[UNK]","single_word":false,"lstrip":false,"rstrip":false,
                                  "normalized":false,"special":true},
                                 {"id":1,"content":"[SEP]","single_word":false,"lstrip":false,"rstrip":false,
                                  "normalized":false,"special":true}],
                 "normalizer":{"type":"Lowercase"},"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,
                 "decoder":null,
                 "model":{"type":"WordLevel","vocab":{"[UNK]":0,"[SEP]":1,"the":2,"model":3,"drifts":4},
                          "unk_token":"[UNK]"}}
                """);
        try (TextTokenizer t = TextTokenizer.load(words)) {
            assertEquals(1, t.endOfTextId(), "[SEP] serves as the end-of-text token");
            assertArrayEquals(new long[] {2, 3, 4, 0}, t.encode("The model DRIFTS slowly"));
        }
    }

    @Test
    void badFilesAndAlphabetsAreRefused() throws IOException {
        assertThrows(NotFoundException.class, () -> TextTokenizer.load(dir.resolve("none.json")));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": 3}");
        assertThrows(DataFormatException.class, () -> TextTokenizer.load(broken));
        Path noEos = dir.resolve("noeos.json");
        Files.writeString(noEos, "{\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"a\":0},\"unk_token\":\"a\"}}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TextTokenizer.load(noEos));
        assertTrue(e.getMessage().contains("end-of-text"), e.getMessage());
        assertThrows(DataFormatException.class, () -> TextTokenizer.load(noEos, "<eos>"));
        assertThrows(InvalidArgumentException.class, () -> TextTokenizer.characterLevel(dir.resolve("x.json"), "aa"));
        assertThrows(InvalidArgumentException.class, () -> TextTokenizer.characterLevel(dir.resolve("y.json"), "é"));
    }
}
