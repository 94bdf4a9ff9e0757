package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sums, means and maxima over all elements and over each axis, in component form ([2, 3, 4],
 * [5]) and flat form ([1500, 2]: more than 1024 components), at sizes 0, 1, odd and 2^20.
 * Expected values come from double loops. Where the terms are small multiples of a power of two
 * every partial sum is exact in F32, so the result must be exact; otherwise DESIGN.md "Numbers"
 * bounds a sum of K terms by {@code K * 2^-23 * sum(|terms|)}.
 */
class ReductionsTest {

    /** Values that are multiples of 1/4 in [-3, 3]: every sum of a few thousand of them is exact in F32. */
    private static float[] quarters(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 7) % 25 - 12) / 4f;
        }
        return v;
    }

    private static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Sum over {@code axis} in double, row-major, the reduced axis removed. */
    private static double[] sumAlong(float[] v, long[] shape, int axis) {
        long[] st = strides(shape);
        int outN = (int) (v.length / shape[axis]);
        double[] out = new double[outN];
        for (int i = 0; i < v.length; i++) {
            // drop the axis coordinate from i
            long before = i / (st[axis] * shape[axis]);
            long after = i % st[axis];
            out[(int) (before * st[axis] + after)] += v[i];
        }
        return out;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double exactSum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x; // exact: the terms here stay far below 2^53 in magnitude and resolution
        }
        return s;
    }

    private static double absSum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    /** DESIGN.md "Numbers": a sum of K terms agrees with the exact sum within K * 2^-23 * sum(|terms|). */
    private static void assertWithinSumBound(double exact, double actual, int k, double absSum) {
        double bound = k * 0x1p-23 * absSum;
        assertTrue(Math.abs(actual - exact) <= bound,
                "sum " + actual + " differs from the exact " + exact + " by more than " + bound);
    }

    // ---------------------------------------------------------------- sum(), component form

    @Test
    void sumOf2x3x4AddsEveryElement() {
        float[] v = quarters(24);
        Tensor t = Tensor.of(v, 2, 3, 4);
        Tensor s = t.sum();
        assertArrayEquals(new long[0], s.shape());
        assertEquals(exactSum(v), s.item());
    }

    @Test
    void sumOverAxis0Of2x3x4AddsComponents() {
        float[] v = quarters(24);
        Tensor s = Tensor.of(v, 2, 3, 4).sum(0);
        assertArrayEquals(new long[] {3, 4}, s.shape());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {2, 3, 4}, 0)), s.toFloatArray());
    }

    @Test
    void sumOverAxis1Of2x3x4AddsComponents() {
        float[] v = quarters(24);
        Tensor s = Tensor.of(v, 2, 3, 4).sum(1);
        assertArrayEquals(new long[] {2, 4}, s.shape());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {2, 3, 4}, 1)), s.toFloatArray());
    }

    @Test
    void sumOverLaneAxisOf2x3x4ReducesEachComponent() {
        float[] v = quarters(24);
        Tensor s = Tensor.of(v, 2, 3, 4).sum(2);
        assertArrayEquals(new long[] {2, 3}, s.shape());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {2, 3, 4}, 2)), s.toFloatArray());
    }

    @Test
    void negativeAxisCountsFromTheEnd() {
        float[] v = quarters(24);
        Tensor t = Tensor.of(v, 2, 3, 4);
        assertArrayEquals(t.sum(2).toFloatArray(), t.sum(-1).toFloatArray());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {2, 3, 4}, 0)), t.sum(-3).toFloatArray());
    }

    @Test
    void sumOfLazyExpressionOverEachAxis() {
        // x = (i mod 5) - 2 over [2, 3, 4], traced, never stored before the sums
        Tensor x = Tensor.arange(DType.F32, 24).rem(5).sub(2).reshape(2, 3, 4);
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i % 5 - 2;
        }
        for (int axis = 0; axis < 3; axis++) {
            assertArrayEquals(toFloats(sumAlong(v, new long[] {2, 3, 4}, axis)), x.sum(axis).toFloatArray(),
                    "axis " + axis);
        }
    }

    @Test
    void sumOverLaneAxisOfAConstantCountsEveryLane() {
        // ones(3, 1025) is three literal nodes standing for 1025 equal lanes each
        Tensor s = Tensor.ones(DType.F32, 3, 1025).sum(1);
        assertArrayEquals(new float[] {1025, 1025, 1025}, s.toFloatArray());
        assertEquals(3075.0, Tensor.ones(DType.F32, 3, 1025).sum().item());
    }

    @Test
    void sumOf5IsAScalar() {
        Tensor s = Tensor.of(new float[] {1.5f, -2f, 4.25f, 8f, -0.75f}).sum();
        assertArrayEquals(new long[0], s.shape());
        assertEquals(11.0, s.item()); // 1.5 - 2 + 4.25 + 8 - 0.75
    }

    @Test
    void sumOverAxis0Of5IsAScalar() {
        Tensor s = Tensor.of(new float[] {1.5f, -2f, 4.25f, 8f, -0.75f}).sum(0);
        assertArrayEquals(new long[0], s.shape());
        assertEquals(11.0, s.item());
    }

    // ---------------------------------------------------------------- flat form

    @Test
    void sumOf1500x2AddsEveryElement() {
        float[] v = quarters(3000);
        assertEquals(exactSum(v), Tensor.of(v, 1500, 2).sum().item());
    }

    @Test
    void sumOverAxis0Of1500x2() {
        float[] v = quarters(3000);
        Tensor s = Tensor.of(v, 1500, 2).sum(0);
        assertArrayEquals(new long[] {2}, s.shape());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {1500, 2}, 0)), s.toFloatArray());
    }

    @Test
    void sumOverAxis1Of1500x2() {
        float[] v = quarters(3000);
        Tensor s = Tensor.of(v, 1500, 2).sum(1);
        assertArrayEquals(new long[] {1500}, s.shape());
        assertArrayEquals(toFloats(sumAlong(v, new long[] {1500, 2}, 1)), s.toFloatArray());
    }

    @Test
    void sumOverEachAxisOfFlat3d() {
        // [1100, 3, 2]: 3300 components, flat
        float[] v = quarters(1100 * 3 * 2);
        Tensor t = Tensor.of(v, 1100, 3, 2);
        long[] shape = {1100, 3, 2};
        for (int axis = 0; axis < 3; axis++) {
            assertArrayEquals(toFloats(sumAlong(v, shape, axis)), t.sum(axis).toFloatArray(), "axis " + axis);
        }
    }

    @Test
    void meanOverEachAxisOf1500x2() {
        float[] v = quarters(3000);
        Tensor t = Tensor.of(v, 1500, 2);
        double[] s0 = sumAlong(v, new long[] {1500, 2}, 0);
        double[] s1 = sumAlong(v, new long[] {1500, 2}, 1);
        // the sums are exact, so the F32 mean is the sum divided once
        float[] m0 = {(float) s0[0] / 1500f, (float) s0[1] / 1500f};
        float[] m1 = new float[1500];
        for (int i = 0; i < 1500; i++) {
            m1[i] = (float) s1[i] / 2f;
        }
        assertArrayEquals(m0, t.mean(0).toFloatArray());
        assertArrayEquals(m1, t.mean(1).toFloatArray());
    }

    // ---------------------------------------------------------------- mean

    @Test
    void meanOf2x3x4() {
        float[] v = quarters(24);
        Tensor m = Tensor.of(v, 2, 3, 4).mean();
        assertEquals(DType.F32, m.dtype());
        assertEquals((float) exactSum(v) / 24f, (float) m.item());
    }

    @Test
    void meanOverEachAxisOf2x3x4() {
        float[] v = quarters(24);
        long[] shape = {2, 3, 4};
        Tensor t = Tensor.of(v, shape);
        for (int axis = 0; axis < 3; axis++) {
            double[] s = sumAlong(v, shape, axis);
            float[] expected = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                expected[i] = (float) s[i] / (float) shape[axis]; // exact F32 sum, one F32 division
            }
            assertArrayEquals(expected, t.mean(axis).toFloatArray(), "axis " + axis);
        }
    }

    @Test
    void meanOfIntegersIsF32() {
        Tensor m = Tensor.of(new int[] {1, 2, 3, 5}).mean();
        assertEquals(DType.F32, m.dtype());
        assertEquals(2.75, m.item());
    }

    // ---------------------------------------------------------------- max

    @Test
    void maxOf2x3x4() {
        float[] v = quarters(24);
        float expected = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            expected = Math.max(expected, x);
        }
        assertEquals(expected, (float) Tensor.of(v, 2, 3, 4).max().item());
    }

    @Test
    void maxOfAllNegativeValues() {
        assertEquals(-0.5, Tensor.of(new float[] {-3f, -0.5f, -7f, -1e30f}).max().item());
    }

    @Test
    void maxOfFlatTensor() {
        float[] v = quarters(3000);
        v[2345] = 17.25f;
        assertEquals(17.25, Tensor.of(v, 1500, 2).max().item());
    }

    @Test
    void maxWithANaNIsNaN() {
        float[] v = quarters(1025);
        v[1024] = Float.NaN; // in the second chunk of the interpreter
        assertTrue(Double.isNaN(Tensor.of(v).max().item()));
    }

    @Test
    void maxOfComponentsWithANaNIsNaN() {
        float[] v = quarters(24);
        v[13] = Float.NaN;
        assertTrue(Double.isNaN(Tensor.of(v, 2, 3, 4).max().item()));
    }

    @Test
    void maxOfIntegersIsExact() {
        Tensor t = Tensor.of(new int[] {-5, 16777217, Integer.MIN_VALUE, 16777216});
        Tensor m = t.max();
        assertEquals(DType.I32, m.dtype());
        assertArrayEquals(new int[] {16777217}, m.toIntArray()); // not representable as F32
    }

    // ---------------------------------------------------------------- squaredNorm

    @Test
    void squaredNormOverAxis0AddsSquaresOfComponents() {
        float[] v = quarters(2 * 5);
        Tensor n = Tensor.of(v, 2, 5).squaredNorm(0);
        float[] expected = new float[5];
        for (int j = 0; j < 5; j++) {
            expected[j] = (float) ((double) v[j] * v[j] + (double) v[5 + j] * v[5 + j]); // exact: few bits
        }
        assertArrayEquals(new long[] {5}, n.shape());
        assertArrayEquals(expected, n.toFloatArray());
    }

    @Test
    void squaredNormOverAxis0Of3x1025() {
        float[] v = quarters(3 * 1025);
        Tensor n = Tensor.of(v, 3, 1025).squaredNorm(0);
        float[] expected = new float[1025];
        for (int j = 0; j < 1025; j++) {
            double s = 0;
            for (int i = 0; i < 3; i++) {
                s += (double) v[i * 1025 + j] * v[i * 1025 + j];
            }
            expected[j] = (float) s;
        }
        assertArrayEquals(expected, n.toFloatArray());
    }

    // ---------------------------------------------------------------- sizes 0, 1, odd, 2^20

    @Test
    void sumOfEmptyIsZero() {
        assertEquals(0.0, Tensor.of(new float[0]).sum().item());
        assertEquals(0.0, Tensor.zeros(DType.F32, 3, 0).sum().item());
        assertEquals(0.0, Tensor.of(new int[0]).sum().item());
    }

    @Test
    void sumOverAnEmptyAxisIsZeros() {
        Tensor t = Tensor.zeros(DType.F32, 0, 3).add(1);
        Tensor s = t.sum(0);
        assertArrayEquals(new long[] {3}, s.shape());
        assertArrayEquals(new float[] {0, 0, 0}, s.toFloatArray());
        Tensor u = Tensor.zeros(DType.F32, 3, 0).sum(1);
        assertArrayEquals(new long[] {3}, u.shape());
        assertArrayEquals(new float[] {0, 0, 0}, u.toFloatArray());
    }

    @Test
    void meanOfEmptyThrows() {
        Tensor empty = Tensor.of(new float[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, empty::mean);
        assertTrue(e.getMessage().contains("mean()"), e.getMessage());
    }

    @Test
    void meanOverAnEmptyAxisThrows() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 3, 0).mean(1));
    }

    @Test
    void maxOfEmptyThrows() {
        Tensor empty = Tensor.of(new float[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, empty::max);
        assertTrue(e.getMessage().contains("max()"), e.getMessage());
    }

    @Test
    void sumOfOneElementIsThatElement() {
        assertEquals(-2.75, Tensor.of(new float[] {-2.75f}).sum().item());
        assertEquals(-2.75, Tensor.of(new float[] {-2.75f}).mean().item());
        assertEquals(-2.75, Tensor.of(new float[] {-2.75f}).max().item());
    }

    @Test
    void sumOfOddSizesAroundTheChunkLength() {
        for (int n : new int[] {1023, 1025, 2047, 3}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = i + 1;
            }
            // 1 + 2 + ... + n = n(n+1)/2, exact in F32 for these n (below 2^24)
            assertEquals((double) n * (n + 1) / 2, Tensor.of(v).sum().item(), "n = " + n);
        }
    }

    @Test
    void meanOfOddSizes() {
        for (int n : new int[] {1023, 1025}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = i + 1;
            }
            // exact F32 sum n(n+1)/2, one F32 division: (n+1)/2
            assertEquals((float) (n + 1) / 2f, (float) Tensor.of(v).mean().item(), "n = " + n);
        }
    }

    @Test
    void maxOfOddSizes() {
        for (int n : new int[] {1023, 1025}) {
            float[] v = quarters(n);
            v[n - 1] = 99f; // the last lane, in the last (partial) chunk
            assertEquals(99.0, Tensor.of(v).max().item(), "n = " + n);
        }
    }

    @Test
    void sumOf2To20OnesIsExact() {
        float[] ones = new float[1 << 20];
        Arrays.fill(ones, 1f);
        assertEquals(1048576.0, Tensor.of(ones).sum().item());
    }

    @Test
    void sumOf2To20LazyOnesIsExact() {
        assertEquals(1048576.0, Tensor.ones(DType.F32, 1 << 20).sum().item());
    }

    @Test
    void sumOfArange2To20IsWithinTheSumBound() {
        int n = 1 << 20;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        double exact = (double) n * (n - 1) / 2; // 0 + 1 + ... + (n-1)
        double actual = Tensor.arange(DType.F32, n).sum().item();
        assertWithinSumBound(exact, actual, n, absSum(v));
    }

    @Test
    void sumOfRandomSigned2To20IsWithinTheSumBound() {
        int n = 1 << 20;
        Random r = new Random(20240601);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        assertWithinSumBound(exactSum(v), Tensor.of(v).sum().item(), n, absSum(v));
    }

    @Test
    void meanOfArange2To20IsWithinTheSumBound() {
        int n = 1 << 20;
        double exactMean = (n - 1) / 2.0;
        double actual = Tensor.arange(DType.F32, n).mean().item();
        // the sum bound divided by n, plus the division's rounding (2^-24 relative)
        double bound = n * 0x1p-23 * exactMean + 0x1p-23 * exactMean;
        assertTrue(Math.abs(actual - exactMean) <= bound, "mean " + actual + " vs " + exactMean);
    }

    // ---------------------------------------------------------------- BOOL and integers

    @Test
    void boolSumCountsTruesAsI32() {
        Tensor mask = Tensor.arange(DType.I32, 2000).rem(3).eq(0); // 0, 3, ..., 1998: 667 values
        Tensor s = mask.sum();
        assertEquals(DType.I32, s.dtype());
        assertArrayEquals(new int[] {667}, s.toIntArray());
    }

    @Test
    void boolSumOverAxisCountsTruesAsI32() {
        Tensor mask = Tensor.of(new int[] {1, 0, 1, 1, 0, 0, 0, 1}, 2, 4).gt(0);
        Tensor s0 = mask.sum(0);
        Tensor s1 = mask.sum(1);
        assertEquals(DType.I32, s0.dtype());
        assertArrayEquals(new int[] {1, 0, 1, 2}, s0.toIntArray());
        assertArrayEquals(new int[] {3, 1}, s1.toIntArray());
    }

    @Test
    void boolSumOfMoreThan255TruesDoesNotWrapAByte() {
        assertArrayEquals(new int[] {1000}, Tensor.ones(DType.BOOL, 1000).sum().toIntArray());
    }

    @Test
    void i32SumIsExact() {
        int[] v = new int[1025];
        Arrays.fill(v, 16777217); // 2^24 + 1 is not an F32; the sum 1025 * (2^24 + 1) fits I32
        Tensor s = Tensor.of(v).sum();
        assertEquals(DType.I32, s.dtype());
        assertArrayEquals(new int[] {1025 * 16777217}, s.toIntArray());
    }

    @Test
    void i32SumOverAxisIsExact() {
        int[] v = new int[2 * 1031];
        for (int i = 0; i < v.length; i++) {
            v[i] = 16777217 + i;
        }
        long[] expected = new long[2];
        for (int i = 0; i < v.length; i++) {
            expected[i / 1031] += v[i];
        }
        assertArrayEquals(new int[] {(int) expected[0], (int) expected[1]}, Tensor.of(v, 2, 1031).sum(1).toIntArray());
    }

    @Test
    void i64SumIsExact() {
        // 1025 * (2^40 + 1) = 1127000492442625: needs 51 bits, far beyond F32's 24 (still exact as a double)
        Tensor x = Tensor.of(new double[] {0x1p40 + 1}).to(DType.I64);
        Tensor s = Tensor.zeros(DType.I64, 1025).add(x).sum();
        assertEquals(DType.I64, s.dtype());
        assertEquals(1025L * ((1L << 40) + 1), (long) s.item());
    }
}
