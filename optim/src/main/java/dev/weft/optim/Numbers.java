package dev.weft.optim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python's {@code %g} for the reference's {@code __repr__} layouts ({@code 0.0001}, {@code 1e-08}, {@code 0.999}). */
final class Numbers {
    private Numbers() {}

    /** Six significant digits, trailing zeros dropped, an exponent of two or more digits below 1e-4 or from 1e6. */
    static String g(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return x == 0 ? (1 / x < 0 ? "-0" : "0") : Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            String e = String.format("%02d", Math.abs(exponent));
            return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + e;
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
