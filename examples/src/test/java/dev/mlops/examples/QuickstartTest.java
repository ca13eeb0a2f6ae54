package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataType;
import dev.mlops.api.Frame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {
    @Test
    void bundledDatasetLoadsWithTheExpectedShape() {
        Frame data = Quickstart.loadBreastCancer();
        assertEquals(569, data.rowCount());
        assertEquals(31, data.columnCount());
        assertEquals(30, data.schema().fields().stream().filter(f -> f.type() == DataType.DOUBLE).count());
        assertEquals(357L, data.valueCounts("diagnosis").row(0).getLong("count"), "357 benign cases");
        assertEquals("benign", data.valueCounts("diagnosis").row(0).getString("value"));
    }

    @Test
    void summaryNamesShapeColumnsAndClasses() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Quickstart.run(Quickstart.loadBreastCancer(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Loaded 569 rows x 31 columns"), out);
        assertTrue(out.contains("mean_radius"), out);
        assertTrue(out.contains("malignant"), out);
        assertTrue(out.contains("212"), "212 malignant cases: " + out);
        assertTrue(out.contains("2501"), "the largest mean area is 2501: " + out);
    }
}
