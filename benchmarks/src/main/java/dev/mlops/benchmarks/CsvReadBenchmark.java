package dev.mlops.benchmarks;

import dev.mlops.api.CsvOptions;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a CSV file into a {@link Frame} (types inferred, or an explicit schema) against the parser a user would
 * write by hand: {@code BufferedReader.readLine}, {@code String.split} and {@code Double.parseDouble} into primitive
 * arrays, which handles neither quoting nor nulls.
 *
 * <p>The file has {@code rows} rows of 8 double columns, one long column and one string label, like a typical
 * tabular training set. Run:
 *
 * <pre>
 * mvn -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CsvReadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g"})
public class CsvReadBenchmark {
    private static final int DOUBLE_COLUMNS = 8;

    @Param({"100000"})
    public int rows;

    private Path file;
    private Schema schema;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("csv-bench", ".csv");
        Random rnd = new Random(42);
        List<Field> fields = new ArrayList<>();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder();
            for (int c = 0; c < DOUBLE_COLUMNS; c++) {
                header.append("f").append(c).append(',');
                fields.add(Field.of("f" + c, DataType.DOUBLE));
            }
            header.append("id,label\n");
            fields.add(Field.of("id", DataType.LONG));
            fields.add(Field.of("label", DataType.STRING));
            w.write(header.toString());
            for (int r = 0; r < rows; r++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < DOUBLE_COLUMNS; c++) {
                    line.append(String.format(Locale.ROOT, "%.6f", rnd.nextGaussian() * 10)).append(',');
                }
                line.append(r).append(',').append(rnd.nextBoolean() ? "benign" : "malignant").append('\n');
                w.write(line.toString());
            }
        }
        schema = Schema.of(fields);
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The library, inferring every column's type. */
    @Benchmark
    public Frame frameInferred() {
        return Frame.readCsv(file);
    }

    /** The library with an explicit schema: no inference pass, cells parsed straight into columns. */
    @Benchmark
    public Frame frameWithSchema() {
        return Frame.readCsv(file, CsvOptions.defaults().withSchema(schema));
    }

    /** The baseline: a hand-written line-split parser into primitive arrays (no quoting, no nulls, no checks). */
    @Benchmark
    public Object baselineLineSplit() throws IOException {
        double[][] doubles = new double[DOUBLE_COLUMNS][rows];
        long[] ids = new long[rows];
        String[] labels = new String[rows];
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.readLine();
            String line;
            int row = 0;
            while ((line = r.readLine()) != null) {
                String[] cells = line.split(",");
                for (int c = 0; c < DOUBLE_COLUMNS; c++) {
                    doubles[c][row] = Double.parseDouble(cells[c]);
                }
                ids[row] = Long.parseLong(cells[DOUBLE_COLUMNS]);
                labels[row] = cells[DOUBLE_COLUMNS + 1];
                row++;
            }
        }
        return Arrays.asList(doubles, ids, labels);
    }
}
