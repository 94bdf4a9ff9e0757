package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Numbers": F16 is a storage type. Conversions to F16 round to nearest even (once,
 * also from F64); element-wise F16 ops compute in F32 and round once per op; sums and means
 * accumulate in F32; mixing F16 with F32 gives F32. Half-precision facts used below: 11
 * significant bits, so the spacing in [1, 2) is 2^-10; largest finite 65504; smallest
 * subnormal 2^-24; smallest normal 2^-14.
 */
class F16Test {
    private static final float ULP_AT_ONE = 0x1p-10f;

    private static Tensor f16(float... values) {
        return Tensor.of(values).to(DType.F16);
    }

    private static float[] halves(float... values) {
        return f16(values).toFloatArray(); // F16 -> float is exact
    }

    // ---------------------------------------------------------------- conversion F32 -> F16

    @Test
    void tieBelowOneUlpRoundsDownToEven() {
        // 1 + 2^-11 is halfway between 1 (even significand) and 1 + 2^-10 (odd)
        assertArrayEquals(new float[] {1f}, halves(1f + 0x1p-11f));
    }

    @Test
    void tieAboveAnOddSignificandRoundsUpToEven() {
        // 1 + 3*2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even)
        assertArrayEquals(new float[] {1f + 0x1p-9f}, halves(1f + 3 * 0x1p-11f));
    }

    @Test
    void valueJustAboveATieRoundsUp() {
        // 1 + 2^-11 + 2^-20 is closer to 1 + 2^-10 than to 1
        assertArrayEquals(new float[] {1f + ULP_AT_ONE}, halves(1f + 0x1p-11f + 0x1p-20f));
    }

    @Test
    void largestFiniteHalfStays() {
        assertArrayEquals(new float[] {65504f, -65504f}, halves(65504f, -65504f));
    }

    @Test
    void halfwayPastLargestFiniteOverflowsToInfinity() {
        // 65520 is halfway between 65504 and 2^16 (the next step, even): the tie overflows
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, halves(65520f, -65520f));
    }

    @Test
    void justBelowTheOverflowTieRoundsToLargestFinite() {
        assertArrayEquals(new float[] {65504f}, halves(Math.nextDown(65520f)));
    }

    @Test
    void smallestSubnormalIsKept() {
        assertArrayEquals(new float[] {0x1p-24f, 3 * 0x1p-24f}, halves(0x1p-24f, 3 * 0x1p-24f));
    }

    @Test
    void halfOfSmallestSubnormalRoundsToZero() {
        // 2^-25 is halfway between 0 (even) and 2^-24 (odd); the sign survives
        assertArrayEquals(new float[] {0f, -0f}, halves(0x1p-25f, -0x1p-25f));
    }

    @Test
    void threeQuartersOfSmallestSubnormalRoundsUp() {
        assertArrayEquals(new float[] {0x1p-24f}, halves(3 * 0x1p-26f));
    }

    @Test
    void nanAndInfinitiesConvert() {
        assertArrayEquals(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY},
                halves(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
    }

    // ---------------------------------------------------------------- conversion F64 -> F16

    @Test
    void f64ToF16RoundsOnce() {
        // 1 + 2^-11 + 2^-40 is just above the tie: F16 1 + 2^-10. Through F32 the 2^-40 would be
        // lost first, leaving the tie 1 + 2^-11, which rounds to 1.
        double v = 1 + 0x1p-11 + 0x1p-40;
        assertArrayEquals(new float[] {1f + ULP_AT_ONE, -(1f + ULP_AT_ONE)},
                Tensor.of(new double[] {v, -v}).to(DType.F16).toFloatArray());
    }

    @Test
    void f64ToF16KeepsAnExactTieAsATie() {
        assertArrayEquals(new float[] {1f}, Tensor.of(new double[] {1 + 0x1p-11}).to(DType.F16).toFloatArray());
    }

    @Test
    void f64ToF16RoundsOnceInTheSubnormalRange() {
        // 2^-25 + 2^-60 is just above half the smallest subnormal: F16 2^-24 (through F32: the tie 2^-25, then 0)
        assertArrayEquals(new float[] {0x1p-24f},
                Tensor.of(new double[] {0x1p-25 + 0x1p-60}).to(DType.F16).toFloatArray());
    }

    @Test
    void f64ToF16OfTinyPositiveValueGivesZero() {
        // far below 2^-25: F16 +0 (1e-50 and 2^-150 are also below F32's smallest subnormal)
        float[] r = Tensor.of(new double[] {1e-50, 0x1p-150, Double.MIN_VALUE}).to(DType.F16).toFloatArray();
        assertArrayEquals(new float[] {0f, 0f, 0f}, r, "got " + Arrays.toString(r));
    }

    @Test
    void f64ToF16OfTinyNegativeValueGivesNegativeZero() {
        assertArrayEquals(new float[] {-0f, -0f},
                Tensor.of(new double[] {-1e-50, -0x1p-150}).to(DType.F16).toFloatArray());
    }

    @Test
    void f64ToF16OverflowsHalfwayPastLargestFinite() {
        assertArrayEquals(new float[] {65504f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY},
                Tensor.of(new double[] {65519.999999, 65520, 1e300}).to(DType.F16).toFloatArray());
    }

    // ---------------------------------------------------------------- element-wise ops

    @Test
    void f16AdditionRoundsTheF32SumOnce() {
        // 1 + 2^-11 is exact in F32 and a tie in F16: to even, 1
        Tensor r = f16(1f).add(f16(0x1p-11f));
        assertEquals(DType.F16, r.dtype());
        assertArrayEquals(new float[] {1f}, r.toFloatArray());
    }

    @Test
    void f16AdditionTieRoundsUpToEven() {
        // (1 + 2^-10) + 2^-11 = 1 + 3*2^-11: a tie between 1 + 2^-10 (odd) and 1 + 2^-9 (even)
        assertArrayEquals(new float[] {1f + 0x1p-9f}, f16(1f + ULP_AT_ONE).add(f16(0x1p-11f)).toFloatArray());
    }

    @Test
    void f16ScalarTakesTheTensorsDtype() {
        Tensor r = f16(1f).add(0x1p-11);
        assertEquals(DType.F16, r.dtype());
        assertArrayEquals(new float[] {1f}, r.toFloatArray());
    }

    @Test
    void f16MultiplicationRoundsTheF32ProductOnce() {
        // (1 + 2^-10)(1.5 + 2^-10) = 1.5 + 2.5*2^-10 + 2^-20 (exact in F32): just above the tie
        // between 1.5 + 2*2^-10 and 1.5 + 3*2^-10, so 1.5 + 3*2^-10 = 1.5029296875
        Tensor r = f16(1f + ULP_AT_ONE).mul(f16(1.5f + ULP_AT_ONE));
        assertArrayEquals(new float[] {1.5029296875f}, r.toFloatArray());
    }

    @Test
    void f16DivisionRoundsOnce() {
        // 1/3 in [0.25, 0.5) where the F16 spacing is 2^-12: 4096/3 = 1365.33 -> 1365 * 2^-12
        assertArrayEquals(new float[] {1365 * 0x1p-12f}, f16(1f).div(f16(3f)).toFloatArray());
    }

    @Test
    void f16SqrtRoundsOnce() {
        // sqrt(2) = 1.41421356...; times 1024 = 1448.15 -> 1448 * 2^-10 = 1.4140625
        assertArrayEquals(new float[] {1.4140625f}, f16(2f).sqrt().toFloatArray());
    }

    @Test
    void f16FmaRoundsOnce() {
        // a = b = 1 + 2^-10, c = -(1 + 2^-9): a*b + c = 2^-20 exactly (an F16 subnormal, 16 * 2^-24)
        Tensor a = f16(1f + ULP_AT_ONE);
        Tensor c = f16(-(1f + 0x1p-9f));
        Tensor r = a.fma(a, c);
        assertEquals(DType.F16, r.dtype());
        assertArrayEquals(new float[] {0x1p-20f}, r.toFloatArray());
    }

    @Test
    void f16FmaIsCorrectlyRoundedEvenWhenF32WouldLandOnATie() {
        // a = c = 1 + 2^-10, b = 2^-11 - 2^-21 (exact halves): a*b + c = 1 + 3*2^-11 - 2^-31 exactly,
        // just below the tie between 1 + 2^-10 and 1 + 2^-9, so one rounding gives 1 + 2^-10.
        // Rounded first to F32 it would be the tie 1 + 3*2^-11 itself, and then round to even, 1 + 2^-9.
        Tensor a = f16(1f + ULP_AT_ONE);
        Tensor b = f16(0x1p-11f - 0x1p-21f);
        assertArrayEquals(new float[] {1f + 0x1p-10f}, a.fma(b, a).toFloatArray());
    }

    @Test
    void f16MulThenAddRoundsTheProductFirst() {
        // the same a, b, c: a*b = 1 + 2^-9 + 2^-20 rounds to 1 + 2^-9, so adding c gives 0
        Tensor a = f16(1f + ULP_AT_ONE);
        Tensor c = f16(-(1f + 0x1p-9f));
        assertArrayEquals(new float[] {0f}, a.mul(a).add(c).toFloatArray());
    }

    @Test
    void f16SubnormalResultsAreKept() {
        // 2^-14 (smallest normal) / 2 = 2^-15 and 2^-24 + 2^-24 = 2^-23: subnormals, not flushed to 0
        assertArrayEquals(new float[] {0x1p-15f}, f16(0x1p-14f).mul(0.5).toFloatArray());
        assertArrayEquals(new float[] {0x1p-23f}, f16(0x1p-24f).add(f16(0x1p-24f)).toFloatArray());
    }

    @Test
    void f16AdditionOverflowsToInfinity() {
        // 65504 + 16 = 65520 (exact in F32) is the overflow tie
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY}, f16(65504f).add(f16(16f)).toFloatArray());
    }

    @Test
    void f16RoundIsHalfToEven() {
        assertArrayEquals(new float[] {2f, 4f, -2f, -0f}, f16(2.5f, 3.5f, -2.5f, -0.5f).round().toFloatArray());
    }

    @Test
    void f16ComparisonsSeeTheRoundedValues() {
        // 1 + 2^-11 stored as F16 is 1, so it equals 1
        assertArrayEquals(new int[] {1}, f16(1f + 0x1p-11f).eq(f16(1f)).toIntArray());
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void f16SumAccumulatesInF32() {
        // an F16 accumulator stops at 2048 (2048 + 1 is a tie that rounds back to 2048); F32 reaches 4096
        float[] ones = new float[4096];
        Arrays.fill(ones, 1f);
        Tensor s = f16(ones).sum();
        assertEquals(DType.F16, s.dtype());
        assertEquals(4096.0, s.item());
    }

    @Test
    void f16SumOfLazyOnesAccumulatesInF32() {
        Tensor s = Tensor.ones(DType.F16, 3000).sum();
        assertEquals(3000.0, s.item()); // 3000 is even, so representable where the F16 spacing is 2
    }

    @Test
    void f16SumRoundsTheF32TotalOnce() {
        // 2049 ones: the F32 total 2049 rounds once to F16, a tie between 2048 (even) and 2050
        float[] ones = new float[2049];
        Arrays.fill(ones, 1f);
        assertEquals(2048.0, f16(ones).sum().item());
    }

    @Test
    void f16MeanAccumulatesInF32() {
        // 4096 * 1.5 = 6144 in F32, / 4096 = 1.5; an F16 accumulator would stall at 4096 (mean 1)
        float[] v = new float[4096];
        Arrays.fill(v, 1.5f);
        Tensor m = f16(v).mean();
        assertEquals(DType.F16, m.dtype());
        assertEquals(1.5, m.item());
    }

    @Test
    void f16MeanOverAxisAccumulatesInF32() {
        float[] v = new float[2 * 4096];
        Arrays.fill(v, 0, 4096, 1.5f);
        Arrays.fill(v, 4096, 8192, 0.25f);
        Tensor m = Tensor.of(v, 2, 4096).to(DType.F16).mean(1);
        assertArrayEquals(new float[] {1.5f, 0.25f}, m.toFloatArray());
    }

    // ---------------------------------------------------------------- mixed types

    @Test
    void f16PlusF32GivesF32() {
        float h = 0.0999755859375f; // 0.1 in F16: 0.1 * 2^14 = 1638.4 -> 1638 * 2^-14
        Tensor r = f16(0.1f).add(Tensor.of(new float[] {0.1f}));
        assertEquals(DType.F32, r.dtype());
        assertArrayEquals(new float[] {h + 0.1f}, r.toFloatArray()); // an F32 sum, not rounded to F16
    }

    @Test
    void f16TimesF64GivesF64() {
        Tensor r = f16(3f).mul(Tensor.of(new double[] {0.1}));
        assertEquals(DType.F64, r.dtype());
        assertArrayEquals(new double[] {3 * 0.1}, r.toDoubleArray());
    }

    @Test
    void f16PlusI32GivesF16() {
        Tensor r = f16(0.5f).add(Tensor.of(new int[] {2049}));
        assertEquals(DType.F16, r.dtype());
        // 2049 -> F16 is a tie that rounds to 2048; 2048 + 0.5 rounds to 2048
        assertArrayEquals(new float[] {2048f}, r.toFloatArray());
    }
}
