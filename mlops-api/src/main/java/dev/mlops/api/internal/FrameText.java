package dev.mlops.api.internal;

import dev.mlops.api.Column;
import dev.mlops.api.DataType;
import dev.mlops.api.DoubleColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.LongColumn;
import dev.mlops.api.Schema;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Text renderings of frames: the summary of {@link Frame#describe()} and the table of {@link Frame#format(int)}. */
public final class FrameText {
    private static final int MAX_CELL = 24;
    private static final int MAX_COLUMNS = 12;

    private FrameText() {
    }

    /** Builds the one-row-per-column summary behind {@link Frame#describe()}. */
    public static Frame describe(Frame frame) {
        Frame.RowBuilder rows = Frame.rowBuilder(Schema.of(
                Field.required("column", DataType.STRING),
                Field.required("type", DataType.STRING),
                Field.required("count", DataType.LONG),
                Field.required("nulls", DataType.LONG),
                Field.required("distinct", DataType.LONG),
                Field.of("mean", DataType.DOUBLE),
                Field.of("std", DataType.DOUBLE),
                Field.of("min", DataType.DOUBLE),
                Field.of("max", DataType.DOUBLE)));
        for (int c = 0; c < frame.columnCount(); c++) {
            Column col = frame.column(c);
            Set<Object> distinct = new HashSet<>();
            for (int r = 0; r < col.size(); r++) {
                if (!col.isNull(r)) {
                    distinct.add(col.get(r));
                }
            }
            Double mean = null;
            Double std = null;
            Double min = null;
            Double max = null;
            if (col.type().isNumeric()) {
                // Welford's update over the finite values (one pass, numerically stable); infinities are counted
                // apart because they would turn the running mean into NaN.
                long n = 0;
                long posInf = 0;
                long negInf = 0;
                double m = 0;
                double m2 = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < col.size(); r++) {
                    if (col.isNull(r)) {
                        continue;
                    }
                    double v = col instanceof DoubleColumn d ? d.getDouble(r) : ((LongColumn) col).getLong(r);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    if (Double.isInfinite(v)) {
                        if (v > 0) {
                            posInf++;
                        } else {
                            negInf++;
                        }
                        continue;
                    }
                    n++;
                    double delta = v - m;
                    m += delta / n;
                    m2 += delta * (v - m);
                }
                long all = n + posInf + negInf;
                if (all > 0) {
                    min = lo;
                    max = hi;
                    if (posInf > 0 || negInf > 0) {
                        mean = posInf > 0 && negInf > 0 ? Double.NaN : posInf > 0 ? Double.POSITIVE_INFINITY
                                : Double.NEGATIVE_INFINITY;
                        std = all > 1 ? Double.NaN : null;
                    } else {
                        mean = m;
                        std = n > 1 ? Math.sqrt(m2 / (n - 1)) : null;
                    }
                }
            }
            Field f = frame.schema().field(c);
            rows.row(f.name(), f.type().jsonName(), (long) (col.size() - col.nullCount()), (long) col.nullCount(),
                    (long) distinct.size(), mean, std, min, max);
        }
        return rows.build();
    }

    /** Renders the first rows as an aligned text table. */
    public static String format(Frame frame, int maxRows) {
        int rows = Math.max(0, Math.min(maxRows, frame.rowCount()));
        List<Integer> shown = new ArrayList<>();
        int cols = frame.columnCount();
        if (cols <= MAX_COLUMNS) {
            for (int c = 0; c < cols; c++) {
                shown.add(c);
            }
        } else {
            for (int c = 0; c < MAX_COLUMNS - 1; c++) {
                shown.add(c);
            }
            shown.add(-1);
            shown.add(cols - 1);
        }
        List<String[]> table = new ArrayList<>();
        String[] header = new String[shown.size()];
        String[] types = new String[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            int c = shown.get(i);
            header[i] = c < 0 ? "..." : clip(frame.schema().field(c).name());
            types[i] = c < 0 ? "" : frame.schema().field(c).type().jsonName();
        }
        table.add(header);
        table.add(types);
        for (int r = 0; r < rows; r++) {
            String[] line = new String[shown.size()];
            for (int i = 0; i < shown.size(); i++) {
                int c = shown.get(i);
                line[i] = c < 0 ? "..." : clip(cell(frame.column(c), r));
            }
            table.add(line);
        }
        int[] width = new int[shown.size()];
        for (String[] line : table) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Frame[").append(frame.rowCount()).append(" rows x ").append(cols).append(" columns]\n");
        for (int k = 0; k < table.size(); k++) {
            String[] line = table.get(k);
            for (int i = 0; i < line.length; i++) {
                int c = shown.get(i);
                boolean right = k >= 2 && c >= 0 && frame.schema().field(c).type().isNumeric();
                String pad = " ".repeat(width[i] - line[i].length());
                sb.append(i == 0 ? "" : "  ").append(right ? pad + line[i] : line[i] + pad);
            }
            int end = sb.length();
            while (end > 0 && sb.charAt(end - 1) == ' ') {
                end--;
            }
            sb.setLength(end);
            sb.append('\n');
        }
        if (frame.rowCount() > rows) {
            sb.append("... ").append(frame.rowCount() - rows).append(" more rows\n");
        }
        return sb.toString();
    }

    private static String cell(Column column, int row) {
        if (column.isNull(row)) {
            return "null";
        }
        if (column instanceof DoubleColumn d) {
            return compact(d.getDouble(row));
        }
        return String.valueOf(column.get(row)).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    /** Six significant digits, without trailing zeros, for display only. */
    public static String compact(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        BigDecimal bd = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return abs >= 1e-4 && abs < 1e9 ? bd.toPlainString() : bd.toString();
    }

    private static String clip(String s) {
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
    }
}
