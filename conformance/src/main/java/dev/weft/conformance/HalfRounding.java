package dev.weft.conformance;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rounding of exact values to F16 (round to nearest, ties to even; overflow to infinity;
 * subnormals kept), done with {@link BigDecimal} so that it rounds exactly once whatever the
 * source: a double, an integer, or the exact value of {@code a * b + c}. It is the host's
 * independent model of every conversion to F16 that does not start from an F32 (for those,
 * {@link Float#floatToFloat16} is already correctly rounded).
 */
public final class HalfRounding {
    /** The smallest positive F16 subnormal, 2^-24, which is the spacing of the subnormals. */
    private static final BigDecimal TINY = new BigDecimal(0x1p-24);
    private static final BigDecimal MAX = new BigDecimal(65504);

    private HalfRounding() {}

    /** {@code v} rounded once to F16, as half bits. */
    public static short fromDouble(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return Float.floatToFloat16((float) v); // exact for these
        }
        return fromExact(new BigDecimal(v));
    }

    /** An unsigned 64-bit integer rounded once to F16. */
    public static short fromUnsigned(long bits) {
        return fromExact(new BigDecimal(Long.toUnsignedString(bits)));
    }

    /** An exact value rounded once to F16; a result that rounds to zero keeps the sign of {@code x} (an exact 0 gives +0). */
    public static short fromExact(BigDecimal x) {
        int sign = x.signum();
        if (sign == 0) {
            return 0;
        }
        BigDecimal a = x.abs();
        // the spacing of F16 values around a: 2^(e-10) for a normal in [2^e, 2^(e+1)), 2^-24 below 2^-14
        BigDecimal spacing = TINY;
        for (int e = 15; e >= -14; e--) {
            if (a.compareTo(new BigDecimal(Math.scalb(1.0, e))) >= 0) {
                spacing = new BigDecimal(Math.scalb(1.0, e - 10));
                break;
            }
        }
        BigDecimal steps = a.divide(spacing).setScale(0, RoundingMode.HALF_EVEN); // exact: spacing is 2^k
        BigDecimal r = steps.multiply(spacing);
        float f = r.compareTo(MAX) > 0 ? Float.POSITIVE_INFINITY : r.floatValue(); // r fits a half, so a float
        return Float.floatToFloat16(sign < 0 ? -f : f);
    }
}
