package dev.mlops.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private final Signature signature = new Signature(
            Schema.of(Field.required("age", DataType.DOUBLE), Field.of("city", DataType.STRING),
                    Field.required("visits", DataType.LONG)),
            Schema.of(Field.of("score", DataType.DOUBLE)));

    @Test
    void acceptsAMatchingFrameAndWidensLongToDouble() {
        Frame f = Frame.builder().longs("age", 30).strings("city", (String) null).longs("visits", 2).build();
        assertDoesNotThrow(() -> signature.check(f));
    }

    @Test
    void reportsEveryMismatchInOneError() {
        Frame f = Frame.builder()
                .column("age", DoubleColumn.ofNullable(1.0, null))
                .doubles("city", 1, 2)
                .strings("extra", "a", "b")
                .build();
        SignatureMismatchException e = assertThrows(SignatureMismatchException.class, () -> signature.check(f));
        List<Signature.MismatchKind> kinds = e.mismatches().stream().map(Signature.Mismatch::kind).toList();
        assertEquals(List.of(Signature.MismatchKind.NULL_NOT_ALLOWED, Signature.MismatchKind.WRONG_TYPE,
                Signature.MismatchKind.MISSING_COLUMN, Signature.MismatchKind.UNEXPECTED_COLUMN), kinds);
        assertTrue(e.getMessage().contains("4 problems"), e.getMessage());
        assertTrue(e.getMessage().contains("'visits'"), e.getMessage());
        assertTrue(e.getMessage().contains("'extra'"), e.getMessage());
        assertTrue(e.getMessage().contains("first at row 1"), e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void requiredDoublesRejectNaN() {
        Frame f = Frame.builder().doubles("age", 1.0, Double.NaN, Double.NaN).strings("city", "a", "b", "c")
                .longs("visits", 1, 2, 3).build();
        SignatureMismatchException e = assertThrows(SignatureMismatchException.class, () -> signature.check(f));
        assertEquals(List.of(Signature.MismatchKind.NAN_NOT_ALLOWED), e.mismatches().stream()
                .map(Signature.Mismatch::kind).toList());
        assertTrue(e.getMessage().contains("2 NaN values (first at row 1)"), e.getMessage());
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(signature);
        assertTrue(json.contains("\"type\":\"double\""), json);
        assertEquals(signature, mapper.readValue(json, Signature.class));
        Signature inputsOnly = Signature.of(signature.inputs());
        String noOutputs = mapper.writeValueAsString(inputsOnly);
        assertTrue(!noOutputs.contains("outputs"), noOutputs);
        assertEquals(inputsOnly, mapper.readValue(noOutputs, Signature.class));
    }

    @Test
    void infersFromExamples() {
        Frame in = Frame.builder().doubles("x", 1).build();
        Frame out = Frame.builder().strings("label", "a").build();
        Signature s = Signature.infer(in, out);
        assertEquals(in.schema(), s.inputs());
        assertEquals(out.schema(), s.outputSchema().orElseThrow());
    }

    @Test
    void unknownTypeNameIsRejected() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> DataType.parse("float32"));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
        assertEquals(DataType.TIMESTAMP, DataType.parse(" Timestamp "));
    }
}
