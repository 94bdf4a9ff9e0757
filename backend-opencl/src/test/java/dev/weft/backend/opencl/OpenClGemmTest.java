package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tensor-mode gemm against sums in double (within {@code K * 2^-23 * sum(|terms|)}, 2^-52 for
 * F64, plus one rounding to half where C is F16), with every transpose, batches, offsets and
 * sizes that are not multiples of the 32 x 32 tile or the 16-deep k step; C outside the result
 * is untouched. Every dtype also matches the reference backend bit for bit: both run one fma
 * per term in order of k from +0 and round once.
 */
class OpenClGemmTest {
    @ParameterizedTest(name = "{0} batch {1} {2}x{3}x{4} transA {5} transB {6}")
    @CsvSource({
        "F32, 1, 1, 1, 1, false, false",
        "F32, 1, 5, 7, 3, false, false",
        "F32, 2, 13, 70, 9, true, false",
        "F32, 3, 6, 129, 17, false, true",
        "F32, 1, 64, 300, 64, true, true",
        "F32, 2, 33, 31, 47, true, true",
        "F32, 1, 4, 5, 0, false, false",
        "F16, 2, 9, 66, 33, false, false",
        "F16, 1, 17, 40, 8, true, true",
        "F16, 1, 40, 17, 100, false, true",
        "F64, 2, 7, 11, 5, true, false",
        "F64, 1, 35, 33, 31, false, true",
    })
    void gemmMatchesDoubleSumsAndTheReferenceBitForBit(DType dtype, int batch, int m, int n, int k, boolean transA,
                                                       boolean transB) {
        Random r = new Random(m * 1000L + n * 10L + k);
        double[] a = new double[batch * m * k + 3];
        double[] b = new double[batch * k * n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = round(dtype, r.nextGaussian());
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = round(dtype, r.nextGaussian());
        }
        byte[] c = run(OpenClTesting.backend(), dtype, batch, transA, transB, m, n, k, a, b);
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
                    double got = value(c, dtype, 7 + p * m * n + i * n + j);
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
        for (int i : new int[] {0, 1, 2, 3, 4, 5, 6, c.length / dtype.bytes() - 2, c.length / dtype.bytes() - 1}) {
            assertTrue(value(c, dtype, i) == -1, "C's guard element " + i + " was written");
        }
        Backend reference = new ReferenceProvider().open(0);
        assertArrayEquals(run(reference, dtype, batch, transA, transB, m, n, k, a, b), c, "the reference's bits");
    }

    @Test
    void emptyProductsLeaveCAlone() {
        OpenClBackend b = OpenClTesting.backend();
        BufferHandle a = b.alloc(DType.F32, 4);
        BufferHandle c = b.alloc(DType.F32, 4);
        b.fill(c, 0, 4, Float.floatToRawIntBits(5f));
        b.gemm(0, false, false, 2, 2, 1, a, 0, a, 0, c, 0, DType.F32);
        b.gemm(1, false, false, 0, 2, 1, a, 0, a, 0, c, 0, DType.F32);
        b.gemm(1, false, false, 2, 0, 1, a, 0, a, 0, c, 0, DType.F32);
        float[] out = new float[4];
        b.copyOut(c, 0, MemorySegment.ofArray(out));
        assertArrayEquals(new float[] {5, 5, 5, 5}, out);
        b.free(a);
        b.free(c);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingRuns() {
        OpenClBackend b = OpenClTesting.backend();
        BufferHandle f32 = b.alloc(DType.F32, 16);
        BufferHandle f64 = b.alloc(DType.F64, 16);
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> b.gemm(1, false, false, 4, 4, 1, f32, 0, f64, 0, f32, 0, DType.F32));
        assertTrue(mixed.getMessage().contains("buffers of F32, F64, F32 for dtype F32"), mixed.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> b.gemm(1, false, false, 4, 4, 1, f32, 13, f32, 0, f32, 0, DType.F32));
        assertTrue(range.getMessage().startsWith("gemm() A: elements [13, 17)"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.gemm(1, false, false, 2, 2, 2, f32, 0, f32, 0, f32, 0, DType.I32));
        b.free(f32);
        b.free(f64);
    }

    @Test
    void aDeviceWithoutDoublePrecisionOpensAndRefusesF64ByName() {
        OpenClTesting.assumeOpenCl();
        try (OpenClBackend b = new OpenClBackend(OpenClTesting.provider().devices().getFirst().withoutFp64(), 0)) {
            assertTrue(b.description().contains("no cl_khr_fp64"), b.description());
            BufferHandle d = b.alloc(DType.F64, 4);
            var e = assertThrows(IllegalStateException.class,
                    () -> b.gemm(1, false, false, 2, 2, 1, d, 0, d, 0, d, 0, DType.F64));
            assertTrue(e.getMessage().contains("gemm() of F64 matrices needs double precision")
                    && e.getMessage().contains("has no cl_khr_fp64"), e.getMessage());
            // F32 gemm still runs: 1x1x1, 3 * 4 = 12
            BufferHandle f = b.alloc(DType.F32, 3);
            b.copyIn(f, 0, MemorySegment.ofArray(new float[] {3, 4, 0}));
            b.gemm(1, false, false, 1, 1, 1, f, 0, f, 1, f, 2, DType.F32);
            float[] out = new float[3];
            b.copyOut(f, 0, MemorySegment.ofArray(out));
            assertArrayEquals(new float[] {3, 4, 12}, out);
        }
    }

    /** C with 7 guard elements before and 2 after, all -1 initially; A at offset 3, B at offset 5. */
    private static byte[] run(Backend backend, DType dtype, int batch, boolean transA, boolean transB, int m, int n, int k,
                              double[] a, double[] b) {
        double[] c = new double[7 + batch * m * n + 2];
        Arrays.fill(c, -1);
        BufferHandle ha = backend.alloc(dtype, a.length);
        BufferHandle hb = backend.alloc(dtype, b.length);
        BufferHandle hc = backend.alloc(dtype, c.length);
        backend.copyIn(ha, 0, MemorySegment.ofArray(encode(dtype, a)));
        backend.copyIn(hb, 0, MemorySegment.ofArray(encode(dtype, b)));
        backend.copyIn(hc, 0, MemorySegment.ofArray(encode(dtype, c)));
        backend.gemm(batch, transA, transB, m, n, k, ha, 3, hb, 5, hc, 7, dtype);
        byte[] out = new byte[c.length * dtype.bytes()];
        backend.copyOut(hc, 0, MemorySegment.ofArray(out));
        backend.free(ha);
        backend.free(hb);
        backend.free(hc);
        return out;
    }

    private static byte[] encode(DType dtype, double[] values) {
        byte[] out = new byte[values.length * dtype.bytes()];
        for (int i = 0; i < values.length; i++) {
            long bits = switch (dtype) {
                case F16 -> Float.floatToFloat16((float) values[i]);
                case F32 -> Float.floatToRawIntBits((float) values[i]);
                default -> Double.doubleToRawLongBits(values[i]);
            };
            OpenClTesting.write(out, dtype, i, bits);
        }
        return out;
    }

    private static double value(byte[] bytes, DType dtype, int i) {
        long bits = OpenClTesting.read(bytes, dtype, i);
        return switch (dtype) {
            case F16 -> Float.float16ToFloat((short) bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            default -> Double.longBitsToDouble(bits);
        };
    }

    private static double round(DType type, double v) {
        return type == DType.F16 ? Float.float16ToFloat(Float.floatToFloat16((float) v)) : type == DType.F32 ? (float) v : v;
    }
}
