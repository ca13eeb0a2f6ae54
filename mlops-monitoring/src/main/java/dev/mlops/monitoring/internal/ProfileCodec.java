package dev.mlops.monitoring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataType;
import dev.mlops.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a dataset profile. Sketches travel as Base64 of their DataSketches binary form (a format that
 * other DataSketches libraries, in C++ and Python, read too); a {@code summary} block per column repeats the derived
 * figures for readers and is ignored on reading. Non-finite numbers are written as {@code null}.
 */
public final class ProfileCodec {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "mlops.dataset-profile";
    /** The version written and the only one read. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PART_NAMES = {"n", "meanX", "meanY", "m2X", "m2Y", "cXY"};

    private ProfileCodec() {
    }

    /**
     * A decoded profile.
     *
     * @param rows the row count
     * @param columns the columns
     * @param correlations the co-moments, or null
     * @param config the sketch sizes
     */
    public record Decoded(long rows, List<ColumnSketch> columns, Comoments correlations, SketchConfig config) {
    }

    /**
     * Writes a profile.
     *
     * @param profile the profile's parts
     * @return the JSON text
     */
    public static String write(Decoded profile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("rows", profile.rows());
        ObjectNode cfg = root.putObject("sketches");
        cfg.put("kllK", profile.config().kllK());
        cfg.put("hllLgK", profile.config().hllLgK());
        cfg.put("itemsLgMaxMapSize", profile.config().itemsLgMaxMapSize());
        cfg.put("valueLimit", profile.config().valueLimit());
        ArrayNode cols = root.putArray("columns");
        Base64.Encoder b64 = Base64.getEncoder();
        for (ColumnSketch c : profile.columns()) {
            ObjectNode o = cols.addObject();
            o.put("name", c.name());
            o.put("type", c.type().jsonName());
            o.put("count", c.count());
            o.put("nulls", c.nullCount());
            o.put("nan", c.nanCount());
            o.put("infinite", c.infiniteCount());
            Moments m = c.moments();
            ObjectNode mo = o.putObject("moments");
            mo.put("n", m.n());
            number(mo, "mean", m.mean());
            number(mo, "m2", m.m2());
            number(mo, "min", m.min());
            number(mo, "max", m.max());
            ObjectNode summary = o.putObject("summary");
            summary.put("distinct", Math.round(c.distinct()));
            if (c.numeric() && m.n() > 0) {
                number(summary, "stddev", Math.sqrt(m.sampleVariance()));
                Ecdf e = c.ecdf();
                for (double q : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
                    number(summary, "p" + Math.round(q * 100), e.quantile(q));
                }
            }
            if (!c.frequentItems().isEmpty()) {
                ArrayNode top = summary.putArray("top");
                c.frequentItems().stream().limit(10).forEach(i -> top.addObject().put("value", i.value())
                        .put("count", i.estimate()));
            }
            if (c.valueCounts() != null) {
                ArrayNode vc = o.putArray("valueCounts");
                for (Map.Entry<Double, Long> e : c.valueCounts().entrySet()) {
                    vc.addArray().add(e.getKey()).add(e.getValue());
                }
            }
            if (c.kllBytes() != null) {
                o.put("kll", b64.encodeToString(c.kllBytes()));
            }
            o.put("hll", b64.encodeToString(c.hllBytes()));
            if (c.itemsBytes() != null) {
                o.put("items", b64.encodeToString(c.itemsBytes()));
            }
        }
        if (profile.correlations() != null) {
            ObjectNode co = root.putObject("correlations");
            ArrayNode names = co.putArray("columns");
            profile.correlations().columns().forEach(names::add);
            double[][] parts = profile.correlations().parts();
            for (int i = 0; i < PART_NAMES.length; i++) {
                ArrayNode a = co.putArray(PART_NAMES[i]);
                for (double v : parts[i]) {
                    a.add(v);
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a profile as JSON", e);
        }
    }

    private static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /**
     * Reads a profile.
     *
     * @param json the JSON text
     * @param source where it came from, for messages
     * @return the profile's parts
     * @throws InvalidArgumentException if the text is not a profile of a supported version, naming the bad field
     */
    public static Decoded read(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidArgumentException(source + " does not hold a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new InvalidArgumentException(source + ": $.format is " + root.get("format") + ", expected \"" + FORMAT
                    + "\"");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new InvalidArgumentException(source + ": $.version is " + root.get("version")
                    + ", but this library reads version " + VERSION);
        }
        long rows = requiredLong(root, "rows", "$", source);
        JsonNode cfgNode = root.path("sketches");
        SketchConfig config = new SketchConfig((int) requiredLong(cfgNode, "kllK", "$.sketches", source),
                (int) requiredLong(cfgNode, "hllLgK", "$.sketches", source),
                (int) requiredLong(cfgNode, "itemsLgMaxMapSize", "$.sketches", source),
                (int) requiredLong(cfgNode, "valueLimit", "$.sketches", source));
        JsonNode cols = root.path("columns");
        if (!cols.isArray()) {
            throw new InvalidArgumentException(source + ": $.columns must be an array");
        }
        List<ColumnSketch> columns = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        int index = 0;
        for (JsonNode c : cols) {
            String path = "$.columns[" + index++ + "]";
            try {
                String name = c.path("name").asText(null);
                if (name == null || name.isEmpty()) {
                    throw new InvalidArgumentException("name is missing");
                }
                DataType type = DataType.parse(c.path("type").asText(null));
                JsonNode mo = c.path("moments");
                Moments m = Moments.of(requiredLong(mo, "n", path + ".moments", source), dbl(mo, "mean"), dbl(mo, "m2"),
                        dbl(mo, "min"), dbl(mo, "max"));
                TreeMap<Double, Long> counts = null;
                if (c.has("valueCounts")) {
                    counts = new TreeMap<>();
                    for (JsonNode pair : c.get("valueCounts")) {
                        counts.put(pair.get(0).asDouble(), pair.get(1).asLong());
                    }
                }
                boolean numeric = ColumnAccumulator.isNumeric(type);
                byte[] kll = bytes(c, "kll", b64, numeric, path, source);
                byte[] hll = bytes(c, "hll", b64, true, path, source);
                byte[] items = bytes(c, "items", b64, !numeric, path, source);
                ColumnSketch s = new ColumnSketch(name, type, requiredLong(c, "count", path, source),
                        requiredLong(c, "nulls", path, source), requiredLong(c, "nan", path, source),
                        requiredLong(c, "infinite", path, source), m, kll, hll, items, counts);
                if (s.validCount() < 0) {
                    throw new InvalidArgumentException("the counts do not add up: " + s.count() + " rows, "
                            + s.nullCount() + " nulls, " + s.nanCount() + " NaN, " + s.infiniteCount() + " infinite");
                }
                columns.add(s);
            } catch (InvalidArgumentException e) {
                if (e.getMessage().startsWith(source + ":")) {
                    throw e;
                }
                throw new InvalidArgumentException(source + ": " + path + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(source + ": " + path + ": " + e.getMessage(), e);
            }
        }
        Comoments correlations = null;
        JsonNode co = root.path("correlations");
        if (co.isObject()) {
            List<String> names = new ArrayList<>();
            co.path("columns").forEach(n -> names.add(n.asText()));
            double[][] parts = new double[PART_NAMES.length][];
            for (int i = 0; i < PART_NAMES.length; i++) {
                JsonNode a = co.path(PART_NAMES[i]);
                parts[i] = new double[a.size()];
                Iterator<JsonNode> it = a.elements();
                for (int j = 0; it.hasNext(); j++) {
                    parts[i][j] = it.next().asDouble();
                }
            }
            try {
                correlations = Comoments.of(names, parts);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(source + ": $.correlations: " + e.getMessage(), e);
            }
        }
        return new Decoded(rows, columns, correlations, config);
    }

    private static long requiredLong(JsonNode o, String field, String path, String source) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong() || v.asLong() < 0) {
            throw new InvalidArgumentException(source + ": " + path + "." + field + " must be a count (a whole number "
                    + "0 or more), but was " + v);
        }
        return v.asLong();
    }

    private static double dbl(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static byte[] bytes(JsonNode c, String field, Base64.Decoder b64, boolean required, String path,
            String source) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidArgumentException(field + " sketch is missing");
            }
            return null;
        }
        try {
            return b64.decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(field + " is not Base64: " + e.getMessage(), e);
        }
    }
}
