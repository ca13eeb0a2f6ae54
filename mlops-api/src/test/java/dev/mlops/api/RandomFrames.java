package dev.mlops.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded generators of frames, names and values for property tests. */
final class RandomFrames {
    /** Base seed; override with {@code -Dmlops.seed=...} to replay or explore. */
    static final long BASE_SEED = Long.getLong("mlops.seed", 20261128L);

    private static final String[] TRICKY_STRINGS = {
        "", " ", "  padded  ", ",", "a,b", "\"", "say \"hi\"", "line\nbreak", "cr\rlf\r\n", "tab\there",
        "NaN", "Infinity", "true", "123", "-0", "1e5", "null", "\\N", "#comment", "é", "中文", "😀 emoji",
        "mixed,\"all\"\nof it", "\u00a0nbsp", "'single'", ";", "\u2028sep"
    };
    private static final double[] TRICKY_DOUBLES = {
        0.0, -0.0, 1.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1e-300, 0.1,
        123456789.123456789, 9007199254740993.0
    };
    private static final long[] TRICKY_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE, 9007199254740993L};
    private static final long[] TRICKY_MICROS = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, 253402300799999999L,
        -62135596800000000L, 1_700_000_000_123_456L};

    private static final String SPECIAL = ",\"\n\r \t;'\\#%/";

    private RandomFrames() {
    }

    static Frame frame(Random rnd) {
        int columns = 1 + rnd.nextInt(6);
        int rows = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextInt(40);
        Set<String> names = new HashSet<>();
        List<Field> fields = new ArrayList<>();
        DataType[] types = DataType.values();
        while (fields.size() < columns) {
            String name = name(rnd);
            if (names.add(name)) {
                DataType t = types[rnd.nextInt(types.length)];
                fields.add(new Field(name, t, rnd.nextInt(4) != 0));
            }
        }
        Schema schema = Schema.of(fields);
        Frame.RowBuilder b = Frame.rowBuilder(schema);
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[columns];
            for (int c = 0; c < columns; c++) {
                Field f = fields.get(c);
                row[c] = f.nullable() && rnd.nextInt(5) == 0 ? null : value(rnd, f.type());
            }
            b.row(row);
        }
        return b.build();
    }

    static Object value(Random rnd, DataType type) {
        return switch (type) {
            case DOUBLE -> rnd.nextInt(3) == 0 ? TRICKY_DOUBLES[rnd.nextInt(TRICKY_DOUBLES.length)]
                    : rnd.nextBoolean() ? rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10)
                    : Double.longBitsToDouble(rnd.nextLong());
            case LONG -> rnd.nextInt(3) == 0 ? TRICKY_LONGS[rnd.nextInt(TRICKY_LONGS.length)] : rnd.nextLong();
            case BOOLEAN -> rnd.nextBoolean();
            case STRING -> string(rnd);
            case TIMESTAMP -> TimestampColumn.toInstant(rnd.nextInt(3) == 0
                    ? TRICKY_MICROS[rnd.nextInt(TRICKY_MICROS.length)] : rnd.nextLong() / (1L << rnd.nextInt(20)));
        };
    }

    static String string(Random rnd) {
        if (rnd.nextInt(3) == 0) {
            return TRICKY_STRINGS[rnd.nextInt(TRICKY_STRINGS.length)];
        }
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoint(rnd, true));
        }
        return sb.toString();
    }

    static String name(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(10);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoint(rnd, false));
        }
        return sb.toString();
    }

    /** A valid code point (never a lone surrogate or a byte-order mark); control characters only if allowed. */
    static int codePoint(Random rnd, boolean controls) {
        while (true) {
            int cp = switch (rnd.nextInt(6)) {
                case 0 -> SPECIAL.codePointAt(rnd.nextInt(SPECIAL.length()));
                case 1 -> 0x20 + rnd.nextInt(0x5f);
                case 2 -> 0xa0 + rnd.nextInt(0x700);
                case 3 -> 0x4e00 + rnd.nextInt(0x500);
                case 4 -> 0x1f600 + rnd.nextInt(0x50);
                default -> 'a' + rnd.nextInt(26);
            };
            if (cp == 0xFEFF || (!controls && Character.isISOControl(cp))) {
                continue;
            }
            return cp;
        }
    }
}
