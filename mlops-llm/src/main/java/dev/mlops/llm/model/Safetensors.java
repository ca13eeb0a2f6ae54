package dev.mlops.llm.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.UnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming every tensor
 * with its {@code dtype}, {@code shape} and {@code data_offsets}, an optional {@code __metadata__} map of strings,
 * and the raw little-endian data.
 *
 * <p>Reading is strict, because a weights file is often downloaded from elsewhere: a header longer than
 * {@value #MAX_HEADER_BYTES} bytes or than the file, a header that is not a UTF-8 JSON object, duplicate or unknown
 * keys, an unknown dtype, negative dimensions, a byte range that does not match the shape, ranges out of bounds,
 * overlapping or leaving gaps: each is a {@link DataFormatException} naming the file and the tensor. Data is
 * memory-mapped, not copied. Stateless and thread-safe.
 */
public final class Safetensors {
    /** The largest header accepted, as in the reference implementation. */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    /** The metadata key. */
    public static final String METADATA = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private Safetensors() {
    }

    /**
     * What a safetensors file holds.
     *
     * @param tensors the tensors by name, in the order of their data
     * @param metadata the {@code __metadata__} strings, empty when absent
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** Copies the maps, keeping their order. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /**
         * Returns a tensor.
         *
         * @param name the tensor's name
         * @return the tensor
         * @throws NotFoundException if there is no tensor of that name
         */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new NotFoundException("no tensor named '" + name + "'; the file holds " + tensors.size()
                        + " tensors");
            }
            return t;
        }
    }

    /**
     * Reads a file, validating its header completely before any data is touched.
     *
     * @param file the file
     * @return the tensors and metadata
     * @throws NotFoundException if the file does not exist
     * @throws DataFormatException if the file is not a valid safetensors file, naming what is wrong
     * @throws UnavailableException if the file cannot be read
     */
    public static Contents read(Path file) {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new DataFormatException(source, 0, null, "the file has " + size + " bytes, fewer than the "
                        + "8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLength = len.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
                throw new DataFormatException(source, 0, null, "header length " + Long.toUnsignedString(headerLength)
                        + " is out of range: it must be 1 to " + MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > size - 8) {
                throw new DataFormatException(source, 0, null, "header length " + headerLength + " runs past the end "
                        + "of the " + size + "-byte file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8);
            long dataStart = 8 + headerLength;
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = parseHeader(source, header.array(), size - dataStart, entries);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                long bytes = e.end - e.begin;
                if (bytes > Integer.MAX_VALUE - 8) {
                    throw new DataFormatException(source, 0, e.name, "tensor of " + bytes + " bytes is larger than "
                            + "one mapping allows (2 GiB)");
                }
                ByteBuffer data = bytes == 0 ? ByteBuffer.allocate(0)
                        : ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, bytes);
                tensors.put(e.name, new Tensor(e.type, e.shape, data.asReadOnlyBuffer()));
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("safetensors file not found: " + file, e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, TensorType type, long[] shape, long begin, long end) {
    }

    private static Map<String, String> parseHeader(String source, byte[] header, long dataLength, List<Entry> out) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source, 0, null, "the header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new DataFormatException(source, 0, null, "the header must be a JSON object starting with '{'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.stripTrailing());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(source, 0, null, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DataFormatException(source, 0, null, "the header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            String name = f.getKey();
            JsonNode node = f.getValue();
            if (name.equals(METADATA)) {
                if (!node.isObject()) {
                    throw new DataFormatException(source, 0, METADATA, "metadata must be an object of strings");
                }
                for (Map.Entry<String, JsonNode> kv : node.properties()) {
                    if (!kv.getValue().isTextual()) {
                        throw new DataFormatException(source, 0, METADATA, "metadata value of '" + kv.getKey()
                                + "' must be a string, but is " + kv.getValue().getNodeType());
                    }
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            out.add(entry(source, name, node, dataLength));
        }
        checkLayout(source, out, dataLength);
        return metadata;
    }

    private static Entry entry(String source, String name, JsonNode node, long dataLength) {
        if (name.isEmpty()) {
            throw new DataFormatException(source, 0, name, "a tensor name must not be empty");
        }
        if (!node.isObject()) {
            throw new DataFormatException(source, 0, name, "the entry must be an object with dtype, shape and "
                    + "data_offsets");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!ENTRY_KEYS.contains(key)) {
                throw new DataFormatException(source, 0, name, "unknown key '" + key + "'; an entry holds dtype, "
                        + "shape and data_offsets");
            }
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new DataFormatException(source, 0, name, "dtype is missing or not a string");
        }
        TensorType type = TensorType.byName(dtype.asText()).orElseThrow(() -> new DataFormatException(source, 0,
                name, "unknown dtype '" + dtype.asText() + "'; known: " + Arrays.toString(TensorType.values())));
        long[] shape = longs(source, name, "shape", node.get("shape"), -1);
        long[] offsets = longs(source, name, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new DataFormatException(source, 0, name, "data_offsets [" + begin + ", " + end + "] end before "
                    + "they begin");
        }
        if (end > dataLength) {
            throw new DataFormatException(source, 0, name, "data_offsets [" + begin + ", " + end + "] run past the "
                    + dataLength + " data bytes of the file");
        }
        long elements;
        long bytes;
        try {
            elements = Tensor.elementCount(shape);
            bytes = Math.multiplyExact(elements, type.bytes());
        } catch (InvalidArgumentException | ArithmeticException e) {
            throw new DataFormatException(source, 0, name, "shape " + Arrays.toString(shape) + " is too large", e);
        }
        if (bytes != end - begin) {
            throw new DataFormatException(source, 0, name, "shape " + Arrays.toString(shape) + " of " + type + " needs "
                    + bytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new Entry(name, type, shape, begin, end);
    }

    private static long[] longs(String source, String name, String key, JsonNode node, int length) {
        if (node == null || !node.isArray()) {
            throw new DataFormatException(source, 0, name, key + " is missing or not an array");
        }
        if (length >= 0 && node.size() != length) {
            throw new DataFormatException(source, 0, name, key + " must have " + length + " numbers, but has "
                    + node.size());
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new DataFormatException(source, 0, name, key + "[" + i + "] must be a non-negative integer, "
                        + "but is " + v);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static void checkLayout(String source, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < cursor) {
                throw new DataFormatException(source, 0, e.name, "data_offsets [" + e.begin + ", " + e.end
                        + "] overlap those of '" + previous.name + "' [" + previous.begin + ", " + previous.end + "]");
            }
            if (e.begin > cursor) {
                throw new DataFormatException(source, 0, e.name, "bytes " + cursor + " to " + e.begin + " before this "
                        + "tensor belong to no tensor");
            }
            cursor = e.end;
            previous = e;
        }
        if (cursor != dataLength) {
            throw new DataFormatException(source, 0, null, "the tensors cover " + cursor + " data bytes, but the file "
                    + "holds " + dataLength);
        }
        entries.clear();
        entries.addAll(sorted);
    }

    /**
     * Writes tensors and metadata to a file, replacing it atomically. The header is padded with spaces to a multiple
     * of 8 bytes, and the data follows in the order of the map.
     *
     * @param file the file to write
     * @param tensors the tensors by name; names must be non-empty and not {@value #METADATA}
     * @param metadata metadata strings, possibly empty
     * @throws InvalidArgumentException if a name is not acceptable
     * @throws UnavailableException if the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        byte[] header = header(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp);
                    WritableByteChannel out = java.nio.channels.Channels.newChannel(os)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                os.write(len.array());
                os.write(header);
                for (Tensor t : tensors.values()) {
                    ByteBuffer b = t.bytes();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the write failed; either way nothing useful remains to do
                }
            }
        }
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(METADATA);
            metadata.forEach((k, v) -> m.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, "metadata value of " + k)));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new InvalidArgumentException("tensor name '" + name + "' is not allowed");
            }
            Tensor t = e.getValue();
            ObjectNode n = root.putObject(name);
            n.put("dtype", t.type().name());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.bytes().remaining();
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
