package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/** Runs the JShell startup file through the JShell API, as {@code examples/jshell.sh} does. */
class JShellStartupTest {
    @Test
    void startupFileImportsTheApiAndANotebookSessionWorks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        // The local execution engine runs snippets in this JVM, so their output goes to System.out.
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            evalAll(shell, Files.readString(Path.of("jshell/startup.jsh")));
            List<SnippetEvent> result = evalAll(shell, """
                    Frame cancer = Frame.readCsv(Path.of("src/main/resources/data/breast_cancer.csv"));
                    cancer.describe().rowCount() + cancer.rowCount();
                    """);
            assertEquals(String.valueOf(31 + 569), result.get(result.size() - 1).value());
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("MLOps SDK for Java"), printed);
    }

    private static List<SnippetEvent> evalAll(JShell shell, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        List<SnippetEvent> last = List.of();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.source() == null || info.source().isBlank()) {
                break;
            }
            last = shell.eval(info.source());
            for (SnippetEvent e : last) {
                assertNull(e.exception(), () -> "snippet threw: " + info.source());
                assertEquals(Snippet.Status.VALID, e.status(), () -> "snippet rejected: " + info.source() + " "
                        + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
            }
            remaining = info.remaining();
        }
        return last;
    }
}
