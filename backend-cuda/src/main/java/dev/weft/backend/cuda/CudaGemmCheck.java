package dev.weft.backend.cuda;

import static dev.weft.backend.cuda.CudaChecks.expect;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * One {@code gemm} of the self-check: random operands (rounded to the dtype) at offsets 3 and 5,
 * C at offset 7 between guard elements, and on the host the product as the SPI defines it: per
 * output, {@code fma} in the accumulation type (F32, F64 for F64) over k in order from +0, rounded
 * once to the dtype. The device must give those bits exactly, leave the guards alone, and (as a
 * check of the host model itself) be within {@code K * eps * sum(|terms|)} of the sum in double.
 */
final class CudaGemmCheck {
    static final int A_OFFSET = 3;
    static final int B_OFFSET = 5;
    static final int C_OFFSET = 7;
    /** Guard elements after C. */
    static final int C_TAIL = 2;
    /** What the guards hold: all bits set. */
    static final long GUARD = -1L;

    /**
     * Operands and the expected product of one case, as the SPI's bytes.
     *
     * @param a A's buffer contents (A at {@link #A_OFFSET})
     * @param b B's buffer contents (B at {@link #B_OFFSET})
     * @param c the expected contents of C's buffer after the product (guards included)
     */
    record Case(DType dtype, int batch, int m, int n, int k, boolean transA, boolean transB, byte[] a, byte[] b,
                byte[] c) {}

    private CudaGemmCheck() {}

    /** Runs the case on the device and compares every element of C's buffer. */
    static void run(CudaBackend backend, DType t, int batch, int m, int n, int k, boolean transA, boolean transB) {
        Case c = make(t, batch, m, n, k, transA, transB);
        BufferHandle a = backend.alloc(t, c.a().length / t.bytes());
        BufferHandle b = backend.alloc(t, c.b().length / t.bytes());
        BufferHandle out = backend.alloc(t, c.c().length / t.bytes());
        backend.copyIn(a, 0, MemorySegment.ofArray(c.a()));
        backend.copyIn(b, 0, MemorySegment.ofArray(c.b()));
        backend.fill(out, 0, c.c().length / t.bytes(), GUARD);
        backend.gemm(batch, transA, transB, m, n, k, a, A_OFFSET, b, B_OFFSET, out, C_OFFSET, t);
        byte[] got = new byte[c.c().length];
        backend.copyOut(out, 0, MemorySegment.ofArray(got));
        compare(c, got);
        backend.free(a);
        backend.free(b);
        backend.free(out);
    }

    /** Throws naming the first element of C's buffer whose bits differ from the case's. */
    static void compare(Case c, byte[] got) {
        DType t = c.dtype();
        for (int i = 0; i < c.c().length / t.bytes(); i++) {
            long want = CudaChecks.read(c.c(), t, i);
            long have = CudaChecks.read(got, t, i);
            int e = i - C_OFFSET;
            int ii = i;
            expect(want == have, "gemm %s batch %s %sx%sx%s transA %s transB %s: element %s (%s) is %s, expected %s",
                    t, c.batch(), c.m(), c.n(), c.k(), c.transA(), c.transB(), ii,
                    e < 0 || e >= c.batch() * c.m() * c.n() ? "a guard" : "C[" + e / (c.m() * c.n()) + "]["
                            + e % (c.m() * c.n()) / c.n() + "][" + e % c.n() + "]",
                    Long.toHexString(have), Long.toHexString(want));
        }
    }

    /** Random operands and the expected result (checked against double sums on the way). */
    static Case make(DType t, int batch, int m, int n, int k, boolean transA, boolean transB) {
        Random r = new Random(31L * m + 7L * n + k + 1000L * batch + t.ordinal());
        int na = A_OFFSET + batch * m * k;
        int nb = B_OFFSET + batch * k * n;
        int nc = C_OFFSET + batch * m * n + C_TAIL;
        byte[] a = new byte[na * t.bytes()];
        byte[] b = new byte[nb * t.bytes()];
        double[] av = new double[na];
        double[] bv = new double[nb];
        for (int i = 0; i < na; i++) {
            av[i] = store(a, t, i, r.nextGaussian());
        }
        for (int i = 0; i < nb; i++) {
            bv[i] = store(b, t, i, r.nextGaussian());
        }
        byte[] c = new byte[nc * t.bytes()];
        for (int i = 0; i < nc; i++) {
            CudaChecks.write(c, t, i, GUARD);
        }
        double eps = t == DType.F64 ? 0x1p-52 : 0x1p-23;
        double outEps = t == DType.F16 ? 0x1p-11 : 0;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double accD = 0;
                    float accF = 0;
                    double exact = 0;
                    double abs = 0;
                    for (int q = 0; q < k; q++) {
                        double x = av[A_OFFSET + p * m * k + (transA ? q * m + i : i * k + q)];
                        double y = bv[B_OFFSET + p * k * n + (transB ? j * k + q : q * n + j)];
                        accD = Math.fma(x, y, accD);
                        accF = Math.fma((float) x, (float) y, accF);
                        exact += x * y;
                        abs += Math.abs(x * y);
                    }
                    int at = C_OFFSET + p * m * n + i * n + j;
                    double result = switch (t) {
                        case F16 -> Float.float16ToFloat(Float.floatToFloat16(accF));
                        case F32 -> accF;
                        default -> accD;
                    };
                    store(c, t, at, result);
                    double bound = k * eps * abs + outEps * Math.abs(exact) + Double.MIN_NORMAL;
                    expect(Math.abs(result - exact) <= bound, "the host's fma chain %s is not within %s of the sum %s",
                            result, bound, exact);
                }
            }
        }
        return new Case(t, batch, m, n, k, transA, transB, a, b, c);
    }

    /** Writes {@code v} rounded to {@code t} as element {@code i}; returns the rounded value. */
    private static double store(byte[] bytes, DType t, int i, double v) {
        switch (t) {
            case F16 -> {
                short h = Float.floatToFloat16((float) v);
                CudaChecks.write(bytes, t, i, h & 0xFFFF);
                return Float.float16ToFloat(h);
            }
            case F32 -> {
                CudaChecks.write(bytes, t, i, Float.floatToRawIntBits((float) v));
                return (float) v;
            }
            case F64 -> {
                CudaChecks.write(bytes, t, i, Double.doubleToRawLongBits(v));
                return v;
            }
            default -> throw new IllegalArgumentException("gemm(): " + t + " is not a float type");
        }
    }
}
