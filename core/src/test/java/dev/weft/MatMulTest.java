package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tensor-mode matrix products against a double-precision triple loop. An output is a sum of K
 * products accumulated in F32 in a backend-chosen order, so DESIGN.md "Numbers" bounds it by
 * {@code K * 2^-23 * sum(|a * b|)}; an F16 result is that F32 sum rounded once more to half
 * precision (relative error at most 2^-11, plus 2^-25 absolute below the normal range).
 */
class MatMulTest {

    /** Pseudo-random multiples of 1/256 in (-4, 4): exact in F32 and in F16 (at most 11 significant bits). */
    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextInt(2047) - 1023) / 256f;
        }
        return v;
    }

    /** Pseudo-random floats in [-1, 1) with full 24-bit significands (so products round in F32). */
    private static float[] fullPrecision(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** The exact product in double and, per output, sum(|a * b|), for {@code batch} [m,k] x [k,n] products. */
    private record Reference(double[] c, double[] absSum) {
        static Reference of(float[] a, float[] b, int batch, int m, int k, int n) {
            double[] c = new double[batch * m * n];
            double[] abs = new double[batch * m * n];
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        double t = 0;
                        for (int q = 0; q < k; q++) {
                            double x = (double) a[(p * m + i) * k + q] * b[(p * k + q) * n + j]; // exact in double
                            s += x;
                            t += Math.abs(x);
                        }
                        c[(p * m + i) * n + j] = s;
                        abs[(p * m + i) * n + j] = t;
                    }
                }
            }
            return new Reference(c, abs);
        }
    }

    private static void assertF32Product(Reference ref, float[] actual, int k) {
        assertEquals(ref.c().length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            double bound = k * 0x1p-23 * ref.absSum()[i];
            assertTrue(Math.abs(actual[i] - ref.c()[i]) <= bound,
                    "output " + i + ": " + actual[i] + " vs exact " + ref.c()[i] + ", bound " + bound);
        }
    }

    private static void assertF16Product(Reference ref, float[] actual, int k) {
        assertEquals(ref.c().length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            double sumError = k * 0x1p-23 * ref.absSum()[i];
            double bound = sumError + 0x1p-11 * (Math.abs(ref.c()[i]) + sumError) + 0x1p-25;
            assertTrue(Math.abs(actual[i] - ref.c()[i]) <= bound,
                    "output " + i + ": " + actual[i] + " vs exact " + ref.c()[i] + ", bound " + bound);
        }
    }

    private static void checkF32(int batch, int m, int k, int n, float[] a, float[] b) {
        Tensor ta = batch == 0 ? Tensor.of(a, m, k) : Tensor.of(a, batch, m, k);
        Tensor tb = batch == 0 ? Tensor.of(b, k, n) : Tensor.of(b, batch, k, n);
        Tensor c = ta.matmul(tb);
        assertEquals(DType.F32, c.dtype());
        assertArrayEquals(batch == 0 ? new long[] {m, n} : new long[] {batch, m, n}, c.shape());
        assertF32Product(Reference.of(a, b, Math.max(batch, 1), m, k, n), c.toFloatArray(), k);
    }

    /** {@code a} as {@code [batch, rows, cols]} with the last two axes swapped. */
    private static float[] swapLastAxes(float[] a, int batch, int rows, int cols) {
        float[] t = new float[a.length];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[(p * cols + j) * rows + i] = a[(p * rows + i) * cols + j];
                }
            }
        }
        return t;
    }

    @Test
    void transposedOperandsAreReadTransposedPerBatchMatrix() {
        int batch = 3;
        int m = 5;
        int k = 7;
        int n = 4;
        float[] a = values(batch * m * k, 31); // op(a) = a: [3, 5, 7]
        float[] b = values(batch * k * n, 32); // op(b) = b: [3, 7, 4]
        Reference ref = Reference.of(a, b, batch, m, k, n);
        Tensor at = Tensor.of(swapLastAxes(a, batch, m, k), batch, k, m);
        Tensor bt = Tensor.of(swapLastAxes(b, batch, k, n), batch, n, k);
        Tensor ta = Tensor.of(a, batch, m, k);
        Tensor tb = Tensor.of(b, batch, k, n);
        assertF32Product(ref, at.matmul(tb, true, false).toFloatArray(), k);
        assertF32Product(ref, ta.matmul(bt, false, true).toFloatArray(), k);
        Tensor both = at.matmul(bt, true, true);
        assertArrayEquals(new long[] {batch, m, n}, both.shape());
        assertF32Product(ref, both.toFloatArray(), k);
    }

    @Test
    void gramMatrixOfA2dTensor() {
        float[] x = values(6 * 3, 33); // x: [6, 3]; x^T x: [3, 3]
        Reference ref = Reference.of(swapLastAxes(x, 1, 6, 3), x, 1, 3, 6, 3);
        Tensor t = Tensor.of(x, 6, 3);
        assertF32Product(ref, t.matmul(t, true, false).toFloatArray(), 6);
    }

    // ---------------------------------------------------------------- F32

    @Test
    void matrixProduct3x7Times7x5() {
        checkF32(0, 3, 7, 5, values(21, 1), values(35, 2));
    }

    @Test
    void matrixProduct17x65Times65x33() {
        checkF32(0, 17, 65, 33, values(17 * 65, 3), values(65 * 33, 4));
    }

    @Test
    void matrixProductWithFullPrecisionInputsIsWithinTheSumBound() {
        checkF32(0, 17, 65, 33, fullPrecision(17 * 65, 5), fullPrecision(65 * 33, 6));
    }

    @Test
    void smallIntegerProductIsExact() {
        // [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]] (by hand)
        Tensor c = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).matmul(Tensor.of(new float[] {5, 6, 7, 8}, 2, 2));
        assertArrayEquals(new float[] {19, 22, 43, 50}, c.toFloatArray());
    }

    /** Gemms launched by {@code r}. */
    private static long gemms(Runnable r) {
        long before = Weft.stats().gemmsLaunched();
        r.run();
        return Weft.stats().gemmsLaunched() - before;
    }

    @Test
    void aShortInnerDimensionIsLazyMultiplyAddsThatFuseWithTheirUsers() {
        // [batch, features] x [features, 1]: a linear model written batch-major
        int m = 700;
        float[] a = fullPrecision(m * 3, 11);
        float[] b = fullPrecision(3, 12);
        Tensor c = Tensor.of(a, m, 3).matmul(Tensor.of(b, 3, 1));
        long kernels = Weft.stats().kernelsLaunched();
        assertEquals(0, gemms(() -> assertF32Product(Reference.of(a, b, 1, m, 3, 1), c.toFloatArray(), 3)));
        assertEquals(1, Weft.stats().kernelsLaunched() - kernels, "the product and its store: one kernel");
        // fma in k order from a[i][0] * b[0]: the exact float computation
        float[] got = c.toFloatArray();
        for (int i = 0; i < m; i++) {
            float e = Math.fma(a[i * 3 + 2], b[2], Math.fma(a[i * 3 + 1], b[1], a[i * 3] * b[0]));
            assertEquals(e, got[i], 0f, "row " + i);
        }
    }

    @Test
    void aSmallProductOfALongInnerDimensionIsLaneReductions() {
        // [3, batch] x [batch, 1]: the weight gradient of such a model
        int k = 1500;
        float[] a = fullPrecision(3 * k, 13);
        float[] b = fullPrecision(k, 14);
        Tensor c = Tensor.of(a, k, 3).matmul(Tensor.of(b, k, 1), true, false);
        assertEquals(0, gemms(() -> assertF32Product(Reference.of(swapLastAxes(a, 1, k, 3), b, 1, 3, k, 1),
                c.toFloatArray(), k)));
    }

    @Test
    void largerProductsRunOnTheBackendsGemm() {
        assertEquals(1, gemms(() -> checkF32(0, 17, 65, 33, values(17 * 65, 15), values(65 * 33, 16))));
    }

    @Test
    void batchedProduct2x3x7Times2x7x5() {
        checkF32(2, 3, 7, 5, values(2 * 21, 7), values(2 * 35, 8));
    }

    @Test
    void batchedProduct3x17x65Times3x65x33() {
        checkF32(3, 17, 65, 33, fullPrecision(3 * 17 * 65, 9), fullPrecision(3 * 65 * 33, 10));
    }

    @Test
    void batchesDoNotMix() {
        // batch 0 multiplies by the identity, batch 1 by twice the identity
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, 2, 2, 2);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 2, 0, 0, 2}, 2, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, a.matmul(b).toFloatArray());
    }

    @Test
    void productOfLazyInputs() {
        int m = 5;
        int k = 7;
        int n = 3;
        Tensor a = Tensor.arange(DType.F32, m * k).mul(0.25).reshape(m, k);
        Tensor b = Tensor.arange(DType.F32, k * n).sub(10).reshape(k, n);
        float[] av = new float[m * k];
        float[] bv = new float[k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = i * 0.25f;
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = i - 10;
        }
        assertF32Product(Reference.of(av, bv, 1, m, k, n), a.matmul(b).toFloatArray(), k);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Tensor c = Tensor.of(new float[0], 2, 0).matmul(Tensor.of(new float[0], 0, 3));
        assertArrayEquals(new long[] {2, 3}, c.shape());
        assertArrayEquals(new float[6], c.toFloatArray());
    }

    // ---------------------------------------------------------------- F16

    @Test
    void f16ProductIsF16RoundedOnceFromTheF32Sum() {
        int m = 17;
        int k = 65;
        int n = 33;
        float[] a = values(m * k, 11); // exact in F16, so the inputs are the same numbers
        float[] b = values(k * n, 12);
        Tensor c = Tensor.of(a, m, k).to(DType.F16).matmul(Tensor.of(b, k, n).to(DType.F16));
        assertEquals(DType.F16, c.dtype());
        assertF16Product(Reference.of(a, b, 1, m, k, n), c.toFloatArray(), k);
    }

    @Test
    void batchedF16Product() {
        int batch = 2;
        int m = 3;
        int k = 7;
        int n = 5;
        float[] a = values(batch * m * k, 13);
        float[] b = values(batch * k * n, 14);
        Tensor c = Tensor.of(a, batch, m, k).to(DType.F16).matmul(Tensor.of(b, batch, k, n).to(DType.F16));
        assertEquals(DType.F16, c.dtype());
        assertArrayEquals(new long[] {batch, m, n}, c.shape());
        assertF16Product(Reference.of(a, b, batch, m, k, n), c.toFloatArray(), k);
    }

    @Test
    void f16ProductAccumulatesBeyondHalfPrecision() {
        // 4096 products 1 * 1: an F16 accumulator would stop at 2048; the F32 sum is 4096, an F16 value
        int k = 4096;
        Tensor ones = Tensor.ones(DType.F16, 1, k);
        Tensor c = ones.matmul(Tensor.ones(DType.F16, k, 1));
        assertArrayEquals(new float[] {4096f}, c.toFloatArray());
    }

    @Test
    void f16ProductRoundsTheF32SumOnce() {
        // [1, 2^-11] . [1, 1] = 1 + 2^-11, exact in F32, a tie in F16 -> 1
        Tensor a = Tensor.of(new float[] {1f, 0x1p-11f}, 1, 2).to(DType.F16);
        Tensor b = Tensor.of(new float[] {1f, 1f}, 2, 1).to(DType.F16);
        assertArrayEquals(new float[] {1f}, a.matmul(b).toFloatArray());
    }

    @Test
    void f16TimesF32ComputesInF32() {
        Tensor a = Tensor.of(new float[] {1f, 0x1p-11f}, 1, 2).to(DType.F16);
        Tensor b = Tensor.of(new float[] {1f, 1f}, 2, 1);
        Tensor c = a.matmul(b);
        assertEquals(DType.F32, c.dtype());
        assertArrayEquals(new float[] {1f + 0x1p-11f}, c.toFloatArray());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void mismatchedInnerDimensionsNameBothShapes() {
        Tensor a = Tensor.of(new float[12], 3, 4);
        Tensor b = Tensor.of(new float[30], 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("[3, 4]"), e.getMessage());
        assertTrue(e.getMessage().contains("[5, 6]"), e.getMessage());
    }

    @Test
    void mismatchedInnerDimensionsOfBatchesNameBothShapes() {
        Tensor a = Tensor.of(new float[24], 2, 3, 4);
        Tensor b = Tensor.of(new float[60], 2, 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 5, 6]"), e.getMessage());
    }

    @Test
    void mismatchedBatchSizesThrow() {
        Tensor a = Tensor.of(new float[24], 2, 3, 4);
        Tensor b = Tensor.of(new float[60], 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
    }
}
