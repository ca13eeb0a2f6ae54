package dev.mlops.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataType;
import dev.mlops.api.Field;
import dev.mlops.api.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form of definitions: fields in a fixed order, nulls left out, so equal definitions have equal
 * text and equal SHA-256. Decoding builds the records through their validating constructors and never instantiates
 * a class named by the data.
 */
final class DefinitionCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefinitionCodec() {
    }

    static String sha256(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    // ---------------------------------------------------------------- encoding

    static String encode(Entity e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", e.name());
        ArrayNode keys = n.putArray("joinKeys");
        for (Field k : e.joinKeys()) {
            keys.addObject().put("name", k.name()).put("type", k.type().jsonName());
        }
        common(n, e.owner(), e.description(), e.tags());
        return text(n);
    }

    static String encode(FeatureView v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", v.name());
        n.put("entity", v.entity());
        ObjectNode src = n.putObject("source");
        if (v.source() instanceof Source.Csv csv) {
            src.put("type", "csv").put("path", csv.path().toAbsolutePath().normalize().toString())
                    .put("delimiter", String.valueOf(csv.delimiter()));
        } else if (v.source() instanceof Source.Parquet pq) {
            src.put("type", "parquet").put("path", pq.path().toAbsolutePath().normalize().toString());
        } else {
            src.put("type", "offline");
        }
        n.put("timestampColumn", v.timestampColumn());
        if (v.createdTimestampColumn() != null) {
            n.put("createdTimestampColumn", v.createdTimestampColumn());
        }
        if (v.ttl() != null) {
            n.put("ttlMicros", v.ttlMicros());
        }
        features(n.putArray("features"), v.features());
        n.put("online", v.online());
        common(n, v.owner(), v.description(), v.tags());
        return text(n);
    }

    static String encode(FeatureService s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        ArrayNode refs = n.putArray("features");
        s.features().forEach(r -> refs.add(r.toString()));
        ArrayNode transforms = n.putArray("transforms");
        s.transforms().forEach(transforms::add);
        common(n, s.owner(), s.description(), s.tags());
        return text(n);
    }

    static String encode(OnDemandTransform t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", t.name());
        ArrayNode inputs = n.putArray("inputs");
        t.inputs().forEach(r -> inputs.add(r.toString()));
        features(n.putArray("requestFields"), t.requestFields());
        features(n.putArray("outputs"), t.outputs());
        if (t.codeVersion() != null) {
            n.put("codeVersion", t.codeVersion());
        }
        common(n, t.owner(), t.description(), t.tags());
        return text(n);
    }

    private static void features(ArrayNode array, List<Feature> features) {
        for (Feature f : features) {
            ObjectNode o = array.addObject().put("name", f.name()).put("type", f.type().jsonName());
            if (f.description() != null) {
                o.put("description", f.description());
            }
        }
    }

    private static void common(ObjectNode n, String owner, String description, Map<String, String> tags) {
        if (owner != null) {
            n.put("owner", owner);
        }
        if (description != null) {
            n.put("description", description);
        }
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put); // tags are key-sorted already
    }

    private static String text(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    // ---------------------------------------------------------------- decoding

    static Entity entity(String json, int version) {
        JsonNode n = parse(json, "entity");
        List<Field> keys = new ArrayList<>();
        for (JsonNode k : n.path("joinKeys")) {
            keys.add(Field.required(str(k, "name"), DataType.parse(str(k, "type"))));
        }
        return new Entity(str(n, "name"), keys, opt(n, "description"), opt(n, "owner"), tags(n), version);
    }

    static FeatureView view(String json, int version) {
        JsonNode n = parse(json, "feature view");
        JsonNode src = n.path("source");
        Source source = switch (str(src, "type")) {
            case "csv" -> Source.csv(Path.of(str(src, "path")), str(src, "delimiter").charAt(0));
            case "parquet" -> Source.parquet(Path.of(str(src, "path")));
            case "offline" -> Source.offline();
            default -> throw new IntegrityException("stored feature view has an unknown source type "
                    + src.path("type"));
        };
        Duration ttl = n.has("ttlMicros") ? Duration.of(n.get("ttlMicros").asLong(), ChronoUnit.MICROS) : null;
        return new FeatureView(str(n, "name"), str(n, "entity"), source, str(n, "timestampColumn"),
                opt(n, "createdTimestampColumn"), ttl, features(n.path("features")), opt(n, "owner"),
                opt(n, "description"), tags(n), n.path("online").asBoolean(true), version);
    }

    static FeatureService service(String json, int version) {
        JsonNode n = parse(json, "feature service");
        List<FeatureRef> refs = new ArrayList<>();
        for (JsonNode r : n.path("features")) {
            refs.add(FeatureRef.parse(r.asText()));
        }
        List<String> transforms = new ArrayList<>();
        for (JsonNode t : n.path("transforms")) {
            transforms.add(t.asText());
        }
        return new FeatureService(str(n, "name"), refs, transforms, opt(n, "owner"), opt(n, "description"), tags(n),
                version);
    }

    static OnDemandTransform transform(String json, int version) {
        JsonNode n = parse(json, "on-demand transform");
        OnDemandTransform.Builder b = OnDemandTransform.builder(str(n, "name"));
        for (JsonNode r : n.path("inputs")) {
            FeatureRef ref = FeatureRef.parse(r.asText());
            b.input(ref.view(), ref.feature());
        }
        for (Feature f : features(n.path("requestFields"))) {
            b.requestField(f.name(), f.type());
        }
        for (Feature f : features(n.path("outputs"))) {
            b.output(f.name(), f.type());
        }
        b.codeVersion(opt(n, "codeVersion")).owner(opt(n, "owner")).description(opt(n, "description"));
        tags(n).forEach(b::tag);
        return b.buildDefinition(version);
    }

    private static List<Feature> features(JsonNode array) {
        List<Feature> list = new ArrayList<>();
        for (JsonNode f : array) {
            list.add(new Feature(str(f, "name"), DataType.parse(str(f, "type")), opt(f, "description")));
        }
        return list;
    }

    private static Map<String, String> tags(JsonNode n) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.path("tags").properties()) {
            tags.put(e.getKey(), e.getValue().asText());
        }
        return tags;
    }

    private static JsonNode parse(String json, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new IntegrityException("stored " + what + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IntegrityException("stored " + what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IntegrityException("stored definition lacks the text field '" + field + "'");
        }
        return v.asText();
    }

    private static String opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
