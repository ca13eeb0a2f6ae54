package dev.mlops.llm.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting that rounds like Python's {@code f"{x:.Nf}"} (the exact binary value, half to even). */
final class Formats {
    private Formats() {
    }

    static String fixed(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }
}
