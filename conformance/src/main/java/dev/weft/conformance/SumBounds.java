package dev.weft.conformance;

import dev.weft.DType;

/**
 * Expected values of sums in a backend-chosen order (DESIGN.md "Numbers"): a sum of K terms is
 * within {@code K * 2^-23 * sum(|terms|)} of the exact sum in F32 ({@code 2^-52} in F64); F16
 * sums in F32 and rounds once more. The exact sum is computed in double with Neumaier's
 * compensated summation, whose own error (about {@code 2^-53 * |sum| + K^2 * 2^-106 * sum(|terms|)})
 * is far below these bounds.
 */
public final class SumBounds {
    private SumBounds() {}

    /** The compensated double sum of {@code terms} (NaN if any is NaN or infinities of both signs meet). */
    public static double exactSum(double[] terms) {
        double s = 0;
        double c = 0;
        for (double t : terms) {
            if (!Double.isFinite(t)) {
                return naive(terms);
            }
            double u = s + t;
            c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
            s = u;
        }
        return s + c;
    }

    private static double naive(double[] terms) {
        double s = 0;
        for (double t : terms) {
            s += t; // only for non-finite results, which do not depend on the order
        }
        return s;
    }

    public static double absSum(double[] terms) {
        double s = 0;
        for (double t : terms) {
            s += Math.abs(t);
        }
        return s;
    }

    /** How far a {@code t} sum of these terms may be from {@code exact}. */
    public static double bound(DType t, double[] terms, double exact) {
        double k = terms.length;
        double abs = absSum(terms);
        return switch (t) {
            case F64 -> k * 0x1p-52 * abs;
            case F16 -> {
                double e32 = k * 0x1p-23 * abs;
                yield e32 + 0x1p-11 * (Math.abs(exact) + e32) + 0x1p-25;
            }
            default -> k * 0x1p-23 * abs;
        };
    }

    /** How far a {@code t} mean (a sum divided by K in the accumulator, rounded) may be from {@code exact}. */
    public static double meanBound(DType t, double[] terms, double exactMean) {
        double sumError = (t == DType.F64 ? 0x1p-52 : 0x1p-23) * absSum(terms); // K * eps * sum|t| / K
        return switch (t) {
            case F64 -> sumError + 0x1p-52 * Math.abs(exactMean);
            case F16 -> {
                double e32 = sumError + 0x1p-23 * Math.abs(exactMean);
                yield e32 + 0x1p-11 * (Math.abs(exactMean) + e32) + 0x1p-25;
            }
            default -> sumError + 0x1p-23 * Math.abs(exactMean);
        };
    }
}
