package dev.mlops.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The safetensors reader and writer: round trips, conversions, and hostile headers refused with clear errors. */
class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsEveryKindOfTensorWithMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.ofFloats(new float[] {1.5f, -2f, 0f, 3.25f, 7f, -0.5f}, 2, 3));
        tensors.put("ids", Tensor.ofLongs(new long[] {1, -2, Long.MAX_VALUE}, 3));
        tensors.put("scalar", Tensor.ofFloats(new float[] {42f}));
        tensors.put("empty", Tensor.ofFloats(new float[0], 0, 4));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt", "note", "ünïcødé"));
        Safetensors.Contents read = Safetensors.read(file);
        assertEquals(tensors.keySet(), read.tensors().keySet());
        tensors.forEach((k, v) -> assertEquals(v, read.tensor(k), k));
        assertEquals("ünïcødé", read.metadata().get("note"));
        assertArrayEquals(new long[] {2, 3}, read.tensor("w").shape());
        assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, read.tensor("ids").toLongs());
        assertEquals(0, (Files.size(file) - 8 - read.tensors().values().stream()
                .mapToLong(t -> t.bytes().remaining()).sum()) % 8, "the header is padded to 8 bytes");
        assertThrows(NotFoundException.class, () -> read.tensor("nope"));
    }

    @TestFactory
    Stream<DynamicTest> randomTensorsRoundTripExactly() {
        return IntStream.range(0, 100).mapToObj(i -> DynamicTest.dynamicTest("seed " + (7000 + i), () -> {
            Random r = new Random(7000 + i);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int count = 1 + r.nextInt(5);
            for (int t = 0; t < count; t++) {
                long[] shape = new long[r.nextInt(4)];
                int n = 1;
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = r.nextInt(4);
                    n *= (int) shape[k];
                }
                float[] v = new float[n];
                for (int k = 0; k < n; k++) {
                    v[k] = (float) r.nextGaussian() * 100;
                }
                tensors.put("t" + t + "." + r.nextInt(1000), Tensor.ofFloats(v, shape));
            }
            Path file = dir.resolve("r" + i + ".safetensors");
            Safetensors.write(file, tensors, Map.of());
            Safetensors.Contents read = Safetensors.read(file);
            assertEquals(tensors, read.tensors());
        }));
    }

    @Test
    void halfPrecisionConversionIsExactForEveryHalfValue() {
        for (int bits = 0; bits < 65536; bits++) {
            float f = Tensor.halfToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Tensor.halfToFloat(Tensor.floatToHalf(f))));
                continue;
            }
            assertEquals((short) bits, Tensor.floatToHalf(f), "half bits " + bits);
        }
        assertEquals(1.0f, Tensor.halfToFloat((short) 0x3C00));
        assertEquals(65504f, Tensor.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Tensor.halfToFloat((short) 0x0001));
        assertEquals((short) 0x7C00, Tensor.floatToHalf(1e6f), "overflow becomes infinity");
        assertEquals((short) 0x3C00, Tensor.floatToHalf(1.0004883f), "ties round to even");
    }

    @Test
    void halfBfloatAndDoubleTensorsReadAsFloats() {
        ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort(Tensor.floatToHalf(1.5f)).putShort(Tensor.floatToHalf(-0.25f)).putShort(Tensor.floatToHalf(8f));
        half.flip();
        ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        bf.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-1f) >>> 16));
        bf.flip();
        ByteBuffer dbl = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125).putDouble(-4);
        dbl.flip();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("h", new Tensor(TensorType.F16, new long[] {3}, half));
        tensors.put("b", new Tensor(TensorType.BF16, new long[] {2}, bf));
        tensors.put("d", new Tensor(TensorType.F64, new long[] {2}, dbl));
        Path file = dir.resolve("mixed.safetensors");
        Safetensors.write(file, tensors, Map.of());
        Safetensors.Contents read = Safetensors.read(file);
        assertArrayEquals(new float[] {1.5f, -0.25f, 8f}, read.tensor("h").toFloats());
        assertArrayEquals(new float[] {3f, -1f}, read.tensor("b").toFloats());
        assertArrayEquals(new float[] {0.125f, -4f}, read.tensor("d").toFloats());
        assertThrows(InvalidArgumentException.class, () -> Tensor.ofLongs(new long[] {1}, 1).toFloats());
    }

    @Test
    void tensorsRejectShapesThatDoNotMatchTheirBytes() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Tensor.ofFloats(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Tensor.ofFloats(new float[0], -1));
        assertThrows(InvalidArgumentException.class, () -> Safetensors.write(dir.resolve("x"),
                Map.of(Safetensors.METADATA, Tensor.ofFloats(new float[] {1}, 1)), Map.of()));
    }

    static Stream<Arguments> hostileHeaders() {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        return Stream.of(
                Arguments.of("unknown dtype", "{\"a\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "unknown dtype 'F31'"),
                Arguments.of("offsets past the data", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        4, "run past"),
                Arguments.of("overlapping tensors", "{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
                        + "\"data_offsets\":[4,8]}}", 8, "overlap"),
                Arguments.of("a gap between tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        8, "belong to no tensor"),
                Arguments.of("trailing bytes", "{" + ok + "}", 12, "cover 8 data bytes"),
                Arguments.of("shape and size disagree", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],"
                        + "\"data_offsets\":[0,8]}}", 8, "needs 12 bytes"),
                Arguments.of("shape too large", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],"
                        + "\"data_offsets\":[0,8]}}", 8, "too large"),
                Arguments.of("negative dimension", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                        8, "non-negative"),
                Arguments.of("offsets reversed", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}",
                        8, "end before"),
                Arguments.of("one offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8,
                        "must have 2 numbers"),
                Arguments.of("missing offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8,
                        "data_offsets is missing"),
                Arguments.of("unknown key", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],"
                        + "\"extra\":1}}", 8, "unknown key 'extra'"),
                Arguments.of("duplicate tensor", "{" + ok + "," + ok + "}", 8, "Duplicate field"),
                Arguments.of("metadata not strings", "{\"__metadata__\":{\"n\":1}," + ok + "}", 8, "must be a string"),
                Arguments.of("not an object", "[1,2]", 8, "JSON object"),
                Arguments.of("not JSON", "{\"a\":", 8, "not valid JSON"),
                Arguments.of("fractional offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}",
                        8, "non-negative integer"),
                Arguments.of("empty name", "{\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeaders")
    void hostileHeadersAreRefusedNamingTheProblem(String label, String header, int dataBytes, String expected)
            throws IOException {
        Path file = write(header.getBytes(StandardCharsets.UTF_8), header.length(), dataBytes);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(expected), label + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
    }

    @Test
    void headerLengthsOutOfRangeAreRefused() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertMessage(write(h, 0, 0), "out of range");
        assertMessage(write(h, Safetensors.MAX_HEADER_BYTES + 1L, 0), "out of range");
        assertMessage(write(h, -1, 0), "out of range");
        assertMessage(write(h, 1000, 0), "runs past the end");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertMessage(tiny, "fewer than the 8-byte");
        Path bad = write(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, 4, 0);
        assertMessage(bad, "not valid UTF-8");
        assertThrows(NotFoundException.class, () -> Safetensors.read(dir.resolve("missing.safetensors")));
    }

    private void assertMessage(Path file, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private int files;

    private Path write(byte[] header, long declaredLength, int dataBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array());
        out.write(header);
        out.write(new byte[dataBytes]);
        Path file = dir.resolve("h" + files++ + ".safetensors");
        Files.write(file, out.toByteArray());
        return file;
    }
}
