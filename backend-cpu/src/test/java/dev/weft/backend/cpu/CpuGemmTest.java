package dev.weft.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tensor-mode gemm against sums in double (within {@code K * 2^-23 * sum(|terms|)}, plus one
 * rounding to F16 where C is F16), with every transpose, batches and sizes that are not
 * multiples of the tile; C is overwritten entirely. F32 additionally matches the reference bit
 * for bit, because both accumulate one fma per term in order of k.
 */
class CpuGemmTest {
    @ParameterizedTest(name = "{0} batch {1} {2}x{3}x{4} transA {5} transB {6}")
    @CsvSource({
        "F32, 1, 1, 1, 1, false, false",
        "F32, 1, 5, 7, 3, false, false",
        "F32, 2, 13, 70, 9, true, false",
        "F32, 3, 6, 129, 17, false, true",
        "F32, 1, 64, 300, 64, true, true",
        "F32, 1, 4, 5, 0, false, false",
        "F16, 2, 9, 66, 33, false, false",
        "F16, 1, 17, 40, 8, true, true",
        "F64, 2, 7, 11, 5, true, false",
    })
    void gemmMatchesDoubleSums(DType dtype, int batch, int m, int n, int k, boolean transA, boolean transB) {
        Random r = new Random(m * 1000L + n * 10L + k);
        double[] a = new double[batch * m * k + 3];
        double[] b = new double[batch * k * n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = round(dtype, r.nextGaussian());
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = round(dtype, r.nextGaussian());
        }
        double[] c = run(Differential.CPU, dtype, batch, transA, transB, m, n, k, a, b);
        double eps = dtype == DType.F64 ? 0x1p-52 : 0x1p-23;
        double outEps = dtype == DType.F16 ? 0x1p-11 : 0;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double abs = 0;
                    for (int q = 0; q < k; q++) {
                        double x = a[3 + p * m * k + (transA ? q * m + i : i * k + q)];
                        double y = b[5 + p * k * n + (transB ? j * k + q : q * n + j)];
                        exact += x * y;
                        abs += Math.abs(x * y);
                    }
                    double got = c[7 + p * m * n + i * n + j];
                    double bound = k * eps * abs + outEps * Math.abs(exact) + Double.MIN_NORMAL;
                    int pp = p;
                    int ii = i;
                    int jj = j;
                    double ex = exact;
                    assertTrue(Math.abs(got - exact) <= bound,
                            () -> String.format("C[%d][%d][%d] = %s, exact %s, bound %s", pp, ii, jj, got, ex, bound));
                }
            }
        }
        if (dtype == DType.F32) {
            assertArrayEquals(run(Differential.REFERENCE, dtype, batch, transA, transB, m, n, k, a, b), c);
        }
        // C's guard elements before and after the result are untouched
        assertTrue(c[0] == -1 && c[c.length - 1] == -1);
    }

    /** C with 7 guard elements before and 2 after, all -1 initially; A at offset 3, B at offset 5. */
    private static double[] run(Backend backend, DType dtype, int batch, boolean transA, boolean transB, int m, int n, int k,
                                double[] a, double[] b) {
        double[] c = new double[7 + batch * m * n + 2];
        java.util.Arrays.fill(c, -1);
        BufferHandle ha = backend.alloc(dtype, a.length);
        BufferHandle hb = backend.alloc(dtype, b.length);
        BufferHandle hc = backend.alloc(dtype, c.length);
        backend.copyIn(ha, 0, MemorySegment.ofArray(CpuCoopVecTest.encode(dtype, a)));
        backend.copyIn(hb, 0, MemorySegment.ofArray(CpuCoopVecTest.encode(dtype, b)));
        backend.copyIn(hc, 0, MemorySegment.ofArray(CpuCoopVecTest.encode(dtype, c)));
        backend.gemm(batch, transA, transB, m, n, k, ha, 3, hb, 5, hc, 7, dtype);
        byte[] out = new byte[c.length * dtype.bytes()];
        backend.copyOut(hc, 0, MemorySegment.ofArray(out));
        backend.free(ha);
        backend.free(hb);
        backend.free(hc);
        return CpuCoopVecTest.decode(dtype, out);
    }

    private static double round(DType type, double v) {
        return type == DType.F16 ? Float.float16ToFloat(Float.floatToFloat16((float) v)) : type == DType.F32 ? (float) v : v;
    }
}
