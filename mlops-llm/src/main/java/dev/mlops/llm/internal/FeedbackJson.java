package dev.mlops.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.DataFormatException;
import dev.mlops.api.InvalidArgumentException;
import dev.mlops.llm.feedback.Feedback;
import dev.mlops.llm.feedback.FeedbackEntry;
import dev.mlops.llm.feedback.FeedbackKind;
import dev.mlops.llm.feedback.Prediction;
import dev.mlops.llm.feedback.Preference;
import dev.mlops.llm.feedback.Source;
import dev.mlops.llm.feedback.SourceType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * The JSON-lines forms of predictions, feedback and fine-tuning examples. Reading is strict: an unknown key, a value
 * of the wrong type or a bad enum value is a {@link DataFormatException} naming the line and the key. Thread-safe.
 */
public final class FeedbackJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> PREDICTION_KEYS = Set.of("record", "prediction_id", "request_id",
            "model_version", "prompt_version", "prompt", "completion", "created_at");
    private static final Set<String> FEEDBACK_KEYS = Set.of("record", "feedback_id", "kind", "prediction_id",
            "other_prediction_id", "request_id", "model_version", "other_model_version", "prompt_version", "rating",
            "content", "preference", "source_type", "source_id", "rationale", "created_at", "overrides", "valid");

    private FeedbackJson() {
    }

    /** A parsed feedback line: the entry, and the id and override it carried (either may be null). */
    public record FeedbackLine(String id, FeedbackEntry entry, String overrides, long line) {
    }

    /** A parsed prediction line. */
    public record PredictionLine(Prediction prediction, long line) {
    }

    /**
     * Writes a prediction as one JSON line, without the newline.
     *
     * @param p the prediction
     * @return the JSON text
     */
    public static String prediction(Prediction p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("record", "prediction");
        o.put("prediction_id", p.id());
        putOptional(o, "request_id", p.requestId());
        o.put("model_version", p.modelVersion());
        putOptional(o, "prompt_version", p.promptVersion());
        o.put("prompt", p.prompt());
        o.put("completion", p.completion());
        o.put("created_at", p.createdAt().toString());
        return write(o);
    }

    /**
     * Writes a feedback record as one JSON line, without the newline.
     *
     * @param f the feedback
     * @return the JSON text
     */
    public static String feedback(Feedback f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("record", "feedback");
        o.put("feedback_id", f.id());
        o.put("kind", f.kind().name());
        putOptional(o, "prediction_id", f.predictionId());
        putOptional(o, "other_prediction_id", f.otherPredictionId());
        putOptional(o, "request_id", f.requestId());
        o.put("model_version", f.modelVersion());
        putOptional(o, "other_model_version", f.otherModelVersion());
        putOptional(o, "prompt_version", f.promptVersion());
        if (f.rating() != null) {
            o.put("rating", f.rating());
        }
        putOptional(o, "content", f.content());
        if (f.preference() != null) {
            o.put("preference", f.preference().name());
        }
        o.put("source_type", f.source().type().name());
        o.put("source_id", f.source().id());
        putOptional(o, "rationale", f.rationale());
        o.put("created_at", f.createdAt().toString());
        putOptional(o, "overrides", f.overrides());
        o.put("valid", f.valid());
        return write(o);
    }

    /**
     * Writes a preference pair: {@code {"prompt", "chosen", "rejected"}}.
     *
     * @param prompt the prompt
     * @param chosen the preferred completion
     * @param rejected the other completion
     * @return the JSON text
     */
    public static String preference(String prompt, String chosen, String rejected) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("prompt", prompt);
        o.put("chosen", chosen);
        o.put("rejected", rejected);
        return write(o);
    }

    /**
     * Writes a prompt/completion pair: {@code {"prompt", "completion"}}.
     *
     * @param prompt the prompt
     * @param completion the completion
     * @return the JSON text
     */
    public static String promptCompletion(String prompt, String completion) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("prompt", prompt);
        o.put("completion", completion);
        return write(o);
    }

    /**
     * Writes a two-message chat: {@code {"messages": [user, assistant]}}.
     *
     * @param prompt the user message
     * @param completion the assistant message
     * @return the JSON text
     */
    public static String chat(String prompt, String completion) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode messages = o.putArray("messages");
        messages.addObject().put("role", "user").put("content", prompt);
        messages.addObject().put("role", "assistant").put("content", completion);
        return write(o);
    }

    /**
     * Parses one line of a dump.
     *
     * @param text the line
     * @param source the document's name, for messages
     * @param line the 1-based line number
     * @return a {@link PredictionLine} or a {@link FeedbackLine}
     * @throws DataFormatException if the line is not a valid prediction or feedback record
     */
    public static Object parse(String text, String source, long line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(source, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException(source, line, null, "expected a JSON object");
        }
        String record = string(node, "record", true, source, line);
        if ("prediction".equals(record)) {
            checkKeys(node, PREDICTION_KEYS, source, line);
            try {
                Prediction p = new Prediction(string(node, "prediction_id", true, source, line),
                        string(node, "request_id", false, source, line),
                        string(node, "model_version", true, source, line),
                        string(node, "prompt_version", false, source, line),
                        string(node, "prompt", true, source, line),
                        string(node, "completion", true, source, line),
                        instant(node, source, line));
                return new PredictionLine(p, line);
            } catch (DataFormatException e) {
                throw e;
            } catch (InvalidArgumentException e) {
                throw asFormat(e, source, line);
            }
        }
        if ("feedback".equals(record)) {
            checkKeys(node, FEEDBACK_KEYS, source, line);
            JsonNode valid = node.get("valid");
            if (valid != null && !valid.isBoolean()) {
                throw new DataFormatException(source, line, "valid", "expected true or false, not " + valid);
            }
            try {
                FeedbackKind kind = enumValue(FeedbackKind.class, node, "kind", true, source, line);
                SourceType sourceType = enumValue(SourceType.class, node, "source_type", true, source, line);
                JsonNode rating = node.get("rating");
                Double ratingValue = null;
                if (rating != null && !rating.isNull()) {
                    if (!rating.isNumber()) {
                        throw new DataFormatException(source, line, "rating", "expected a number, not " + rating);
                    }
                    ratingValue = rating.doubleValue();
                }
                FeedbackEntry entry = new FeedbackEntry(kind,
                        string(node, "prediction_id", false, source, line),
                        string(node, "other_prediction_id", false, source, line),
                        string(node, "request_id", false, source, line),
                        string(node, "model_version", false, source, line),
                        string(node, "other_model_version", false, source, line),
                        string(node, "prompt_version", false, source, line),
                        ratingValue,
                        string(node, "content", false, source, line),
                        enumValue(Preference.class, node, "preference", false, source, line),
                        new Source(sourceType, string(node, "source_id", true, source, line)),
                        string(node, "rationale", false, source, line),
                        instant(node, source, line));
                String id = string(node, "feedback_id", false, source, line);
                if (id != null && !id.matches("[0-9a-f]{32}")) {
                    throw new DataFormatException(source, line, "feedback_id", "expected 32 lower-case hex digits, "
                            + "not '" + id + "'");
                }
                return new FeedbackLine(id, entry, string(node, "overrides", false, source, line), line);
            } catch (DataFormatException e) {
                throw e;
            } catch (InvalidArgumentException e) {
                throw asFormat(e, source, line);
            }
        }
        throw new DataFormatException(source, line, "record", "expected \"prediction\" or \"feedback\", not "
                + node.get("record"));
    }

    private static DataFormatException asFormat(InvalidArgumentException e, String source, long line) {
        return new DataFormatException(source, line, null, e.getMessage(), e);
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String source, long line) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                throw new DataFormatException(source, line, k, "unknown key; expected one of " + allowed);
            }
        }
    }

    private static String string(JsonNode node, String key, boolean required, String source, long line) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new DataFormatException(source, line, key, "missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new DataFormatException(source, line, key, "expected a string, not " + v);
        }
        return v.textValue();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String key, boolean required,
            String source, long line) {
        String s = string(node, key, required, source, line);
        if (s == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source, line, key, "'" + s + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static Instant instant(JsonNode node, String source, long line) {
        String s = string(node, "created_at", false, source, line);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new DataFormatException(source, line, "created_at", "'" + s + "' is not an ISO-8601 instant");
        }
    }

    private static void putOptional(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
