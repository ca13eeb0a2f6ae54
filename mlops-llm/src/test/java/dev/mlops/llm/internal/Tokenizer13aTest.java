package dev.mlops.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Tokenizer13aTest {
    /** sacreBLEU's tokenizer_13a.py and tokenizer_re.py, written with the same regular expressions. */
    static String reference(String s) {
        String line = s.replace("<skipped>", "").replace("-\n", "").replace("\n", " ").replace("&quot;", "\"")
                .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        line = " " + line + " ";
        line = line.replaceAll("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])", " $1 ");
        line = line.replaceAll("([^0-9])([\\.,])", "$1 $2 ");
        line = line.replaceAll("([\\.,])([^0-9])", " $1 $2");
        line = line.replaceAll("([0-9])(-)", "$1 $2 ");
        return String.join(" ", PyText.split(line));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // Punctuation is split off; the apostrophe is not one of the split characters.
        "Hello, world!|Hello , world !",
        "It wasn't surprising.|It wasn't surprising .",
        // Periods and commas between digits stay; elsewhere they split.
        "Pi is 3.14, roughly.|Pi is 3.14 , roughly .",
        "1,000,000 people|1,000,000 people",
        "end.Start|end . Start",
        // A dash splits only after a digit.
        "well-known 1-2 a-1|well-known 1 - 2 a-1",
        // Escaped entities are unescaped first, then split.
        "&quot;quoted&quot; &amp; &lt;b&gt;|\" quoted \" & < b >",
        // Brackets, slashes and symbols.
        "(a)/[b]{c}$5%|( a ) / [ b ] { c } $ 5 %",
        // Non-ASCII letters are untouched.
        "Café «crème» — ok.|Café «crème» — ok .",
        "`  spaced   out  `|spaced out",
    })
    void splitsLikeMteval13a(String input, String expected) {
        assertEquals(expected, Tokenizer13a.tokenize(input));
        assertEquals(expected, reference(input));
    }

    @Test
    void joinsHyphenatedLineBreaksAndDropsSkipped() {
        // "-\n" joins the word halves, other newlines become spaces, "<skipped>" disappears.
        assertEquals("information next line", Tokenizer13a.tokenize("infor-\nmation<skipped>\nnext line"));
        assertEquals("", Tokenizer13a.tokenize(""));
        assertEquals("", Tokenizer13a.tokenize("<skipped>"));
    }

    private static final String[] PIECES = {"a", "Z", "é", "😀", "0", "7", " ", "  ", "\n", "\t", "\u00a0", ".", ",",
        "-", "'", "\"", "&", "&quot;", "&amp;", "&lt;", "&gt;", "<skipped>", "(", "$", "~", "/", "@", "_", "\u3000",
        "..", "-\n", "x1", "9.", ".9", ",a"};

    @TestFactory
    Stream<DynamicTest> matchesTheRegularExpressions() {
        return IntStream.range(0, 400).mapToObj(i -> {
            long seed = 1300 + i;
            return DynamicTest.dynamicTest("13a equals the regex form [seed " + seed + "]", () -> {
                Random rnd = new Random(seed);
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(30);
                for (int k = 0; k < n; k++) {
                    sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                }
                String s = sb.toString();
                assertEquals(reference(s), Tokenizer13a.tokenize(s), () -> "input: " + s);
            });
        });
    }
}
