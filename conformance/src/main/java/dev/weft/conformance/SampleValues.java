package dev.weft.conformance;

import dev.weft.DType;
import java.util.SplittableRandom;

/**
 * Input values per dtype: the special values where backends tend to differ (signed zeros,
 * ties for rounding, the ends of every range, subnormals, infinities, NaN, shift counts around
 * the bit width, values just inside and outside the integer ranges), and random values drawn
 * mostly from them, from small integers and halves, and from the whole range.
 */
public final class SampleValues {
    private SampleValues() {}

    private static final float[] F32 = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.5f, 0.1f, 1f / 3, 7f, -7f,
        100f, 1e10f, -1e10f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, Float.MIN_VALUE, -Float.MIN_VALUE,
        1e-40f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 2147483648f, -2147483648f, 2147483520f,
        3e9f, 5e9f, 0x1p63f, 1e20f, 16777216f, 65520f, 65519f, 0x1p-25f, 1.0000001f};

    private static final double[] F64 = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, 2.5, -2.5, 0.1, 1d / 3, 7d, -7d, 1e300,
        -1e300, Double.MAX_VALUE, Double.MIN_NORMAL, Double.MIN_VALUE, -Double.MIN_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, 2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0,
        4294967295.5, 4294967296.0, 0x1p53 + 1, 0x1p63, 0x1p64, 1e20, 65519.99, 65520.0, 0x1p-25 * 3,
        (double) Float.MAX_VALUE * (1 + 0x1p-25), 1.0 + 0x1p-11 + 0x1p-40};

    private static final float[] F16 = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.5f, 65504f, -65504f,
        0x1p-14f, 0x1p-24f, -0x1p-24f, 0x1p-24f * 3, 0x1p-24f * 1023, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, 0.099975586f, 0.33325195f, 2048f, 1000f, 7f, -7f, 1.0009766f, 255.875f};

    private static final long[] I32 = {0, 1, -1, 2, -2, 7, -7, 31, 32, 33, 63, 64, 65, Integer.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0x5555_5555, 65536, 16777217};

    private static final long[] U32 = {0, 1, 2, 7, 31, 32, 33, 64, 0x8000_0000L, 0xFFFF_FFFFL, 0x7FFF_FFFFL,
        0xDEAD_BEEFL, 65536, 16777217};

    private static final long[] I64 = {0, 1, -1, 7, -7, 31, 32, 63, 64, 65, Long.MIN_VALUE, Long.MAX_VALUE,
        (1L << 53) + 1, -(1L << 53) - 1, 0x0123_4567_89AB_CDEFL, 1L << 32, 1L << 31, -(1L << 31) - 1};

    private static final long[] U64 = {0, 1, 7, 31, 32, 63, 64, 65, -1L, Long.MIN_VALUE, Long.MIN_VALUE + 1,
        (1L << 53) + 1, 1L << 32, 0xFEDC_BA98_7654_3210L, 0xFFFF_FFFFL};

    /** The special values of {@code t}, as canonical bits. */
    public static long[] specials(DType t) {
        return switch (t) {
            case F32 -> floats(F32);
            case F64 -> {
                long[] b = new long[F64.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Double.doubleToRawLongBits(F64[i]);
                }
                yield b;
            }
            case F16 -> {
                long[] b = new long[F16.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Float.floatToFloat16(F16[i]) & 0xFFFFL; // each is a half value: exact
                }
                yield b;
            }
            case I32 -> I32.clone();
            case U32 -> U32.clone();
            case I64 -> I64.clone();
            case U64 -> U64.clone();
            case BOOL -> new long[] {0, 1};
        };
    }

    private static long[] floats(float[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]) & 0xFFFF_FFFFL;
        }
        return b;
    }

    /** One random value of {@code t}: a special value, a small integer or half, or anything in range. */
    public static long random(DType t, SplittableRandom r) {
        int kind = r.nextInt(4);
        if (kind == 0) {
            long[] s = specials(t);
            return s[r.nextInt(s.length)];
        }
        if (t == DType.BOOL) {
            return r.nextInt(2);
        }
        if (kind == 1) { // small integers and halves: exact, with ties and collisions
            double v = r.nextInt(-40, 41) * (t.isFloat() ? 0.5 : 1);
            return t.isFloat() ? HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(v))
                    : Values.canonical(t, (long) v);
        }
        return switch (t) {
            case F16 -> Float.floatToFloat16(magnitude(r, 16)) & 0xFFFFL;
            case F32 -> Float.floatToRawIntBits(magnitude(r, 40)) & 0xFFFF_FFFFL;
            case F64 -> Double.doubleToRawLongBits(Math.scalb(r.nextDouble(1, 2), r.nextInt(-60, 61))
                    * (r.nextBoolean() ? 1 : -1));
            default -> Values.canonical(t, kind == 2 ? r.nextLong(-1000, 1000) : r.nextLong());
        };
    }

    /** A float of random sign, 24 random mantissa bits and an exponent in {@code [-range, range]}. */
    private static float magnitude(SplittableRandom r, int range) {
        float m = 1 + r.nextInt(1 << 23) * 0x1p-23f;
        return Math.scalb(m, r.nextInt(-range, range + 1)) * (r.nextBoolean() ? 1 : -1);
    }

    /** {@code n} random values of {@code t} in the given shape ({@code [n]} if none). */
    public static Values random(DType t, int n, SplittableRandom r, long... shape) {
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            b[i] = random(t, r);
        }
        return new Values(t, shape.length == 0 ? new long[] {n} : shape, b);
    }
}
