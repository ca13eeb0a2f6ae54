package dev.mlops.examples;

import dev.mlops.api.CsvOptions;
import dev.mlops.api.Frame;
import dev.mlops.api.SortKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The quickstart: loads the Breast Cancer Wisconsin dataset into a {@link Frame} and prints a readable summary.
 *
 * <p>Run it from the repository root with {@code mvn -q -pl examples -am compile exec:java}; pass a path to read
 * another CSV file instead ({@code -Dexec.args=path/to/file.csv}).
 */
public final class Quickstart {
    private static final String DATASET = "/data/breast_cancer.csv";

    private Quickstart() {
    }

    /**
     * Runs the example.
     *
     * @param args optionally, the path of a CSV file to summarize instead of the bundled dataset
     */
    public static void main(String[] args) {
        Frame data = args.length > 0 ? Frame.readCsv(Path.of(args[0])) : loadBreastCancer();
        run(data, System.out);
    }

    /**
     * Loads the bundled Breast Cancer Wisconsin (Diagnostic) dataset: 569 rows, 30 numeric features and the
     * {@code diagnosis} label.
     *
     * @return the dataset
     */
    public static Frame loadBreastCancer() {
        try (InputStream in = Objects.requireNonNull(Quickstart.class.getResourceAsStream(DATASET), DATASET);
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Frame.readCsv(reader, CsvOptions.defaults().withSourceName("breast_cancer.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(Frame data, PrintStream out) {
        out.printf("Loaded %d rows x %d columns (SHA-256 %s...)%n%n", data.rowCount(), data.columnCount(),
                data.digest().substring(0, 16));

        out.println("Column summary:");
        out.println(data.describe().format(data.columnCount()));

        String label = data.schema().names().get(data.columnCount() - 1);
        out.println("Rows per '" + label + "':");
        out.println(data.valueCounts(label).format(20));

        if (data.schema().contains("mean_area")) {
            out.println("The five largest tumours by mean area:");
            out.println(data.sort(SortKey.desc("mean_area")).select("mean_area", "mean_radius", label).format(5));
        }
    }
}
