package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.ScalarOps;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tensor-mode {@code gemm}: {@code C[p] = op(A[p]) op(B[p])} for each batch entry, as the
 * reference defines it (every element of C written, sums in F32 for F16/F32, F64 for F64).
 *
 * <p>F16/F32: A is packed once per call into blocks of 4 rows (column-major inside a block,
 * zero rows past M); the work is cut into panels of {@code 4 * vector length} columns of one
 * batch entry, which the workers take in turn. A whole-width panel of an F32 B (not transposed)
 * is read where it lies, row by row; otherwise the worker packs its panel of op(B) (k x width,
 * converted to F32, zero columns past N). It runs 4 rows x 4 vectors register tiles over it,
 * accumulating with one {@code fma} per term in order of k: the same operations as the
 * reference, so F32 results are identical to it. Whole-width F32 rows of C are stored straight
 * from the registers. The k extent is not blocked, so a very large
 * K streams its panel from L2 rather than L1.
 *
 * <p>F64: rows of C are spread over the workers, each sum an {@code fma} chain in order of k.
 */
final class CpuGemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FV = F.length();
    /** Columns per panel: one 4-vector register tile wide. */
    private static final int WIDTH = 4 * FV;

    private CpuGemm() {}

    static void run(CpuWorkers workers, int batch, boolean transA, boolean transB, int m, int n, int k,
                    CpuBuffer a, long aOffset, CpuBuffer b, long bOffset, CpuBuffer c, long cOffset, DType dtype) {
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (dtype == DType.F64) {
            runF64(workers, batch, transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset);
            return;
        }
        int blocks = (m + 3) / 4;
        float[][] packedA = new float[batch][];
        for (int p = 0; p < batch; p++) {
            packedA[p] = packA(a, aOffset + (long) p * m * k, transA, m, k, blocks);
        }
        int panels = (n + WIDTH - 1) / WIDTH;
        long work = (long) batch * panels;
        int tasks = (int) Math.min(workers.threads(), work);
        AtomicInteger next = new AtomicInteger();
        workers.run(tasks, w -> {
            float[] panel = new float[Math.max(1, k) * WIDTH];
            MemorySegment panelSegment = MemorySegment.ofArray(panel);
            float[] row = new float[WIDTH];
            int item;
            while ((item = next.getAndIncrement()) < work) {
                int p = item / panels;
                int j0 = (item % panels) * WIDTH;
                int cols = Math.min(WIDTH, n - j0);
                long bBase = bOffset + (long) p * k * n;
                // a whole panel of F32 rows is read where it lies; others are packed (converted, zero-padded)
                boolean direct = !transB && b.dtype() == DType.F32 && cols == WIDTH;
                MemorySegment bSeg = direct ? b.memory : panelSegment;
                long bAt = direct ? (bBase + j0) * 4 : 0;
                long bStride = direct ? (long) n * 4 : WIDTH * 4L;
                if (!direct) {
                    packB(b, bBase, transB, k, n, j0, cols, panel);
                }
                long cBase = cOffset + (long) p * m * n + j0;
                float[] ap = packedA[p];
                for (int blk = 0; blk < blocks; blk++) {
                    tile(ap, blk * k * 4, bSeg, bAt, bStride, k, c, cBase + (long) blk * 4 * n, n,
                            Math.min(4, m - blk * 4), cols, row, dtype);
                }
            }
        });
    }

    /** op(A) for one batch entry, as blocks of 4 rows: {@code out[(blk*k + q)*4 + r] = op(A)[4 blk + r][q]}. */
    private static float[] packA(CpuBuffer a, long offset, boolean transA, int m, int k, int blocks) {
        float[] out = new float[blocks * 4 * k];
        for (int i = 0; i < m; i++) {
            int blk = i >> 2;
            int r = i & 3;
            for (int q = 0; q < k; q++) {
                long at = offset + (transA ? (long) q * m + i : (long) i * k + q);
                out[(blk * k + q) * 4 + r] = element(a, at);
            }
        }
        return out;
    }

    /** Columns {@code j0 .. j0+cols-1} of op(B) as a k x WIDTH panel, zeros past the last column. */
    private static void packB(CpuBuffer b, long offset, boolean transB, int k, int n, int j0, int cols, float[] panel) {
        MemorySegment mem = b.memory;
        for (int q = 0; q < k; q++) {
            int at = q * WIDTH;
            if (!transB && b.dtype() == DType.F32) {
                MemorySegment.copy(mem, CpuBuffer.FLOAT, (offset + (long) q * n + j0) * 4, panel, at, cols);
            } else if (!transB) {
                for (int j = 0; j < cols; j++) {
                    panel[at + j] = element(b, offset + (long) q * n + j0 + j);
                }
            }
            java.util.Arrays.fill(panel, at + cols, at + WIDTH, 0f);
        }
        if (transB) {
            for (int j = 0; j < cols; j++) {
                long col = offset + (long) (j0 + j) * k;
                for (int q = 0; q < k; q++) {
                    panel[q * WIDTH + j] = element(b, col + q);
                }
            }
        }
    }

    private static float element(CpuBuffer buffer, long index) {
        return buffer.dtype() == DType.F16
                ? Float.float16ToFloat(buffer.memory.get(CpuBuffer.SHORT, index * 2))
                : buffer.memory.get(CpuBuffer.FLOAT, index * 4);
    }

    /** One 4 x WIDTH block of C: {@code rows} (up to 4) rows and {@code cols} columns are stored. */
    private static void tile(float[] ap, int aAt, MemorySegment b, long bAt, long bStride, int k, CpuBuffer c, long cAt,
                             int n, int rows, int cols, float[] row, DType dtype) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        long bi = bAt;
        for (int q = 0, ai = aAt; q < k; q++, ai += 4, bi += bStride) {
            FloatVector b0 = FloatVector.fromMemorySegment(F, b, bi, ByteOrder.LITTLE_ENDIAN);
            FloatVector b1 = FloatVector.fromMemorySegment(F, b, bi + FV * 4, ByteOrder.LITTLE_ENDIAN);
            FloatVector b2 = FloatVector.fromMemorySegment(F, b, bi + 2 * FV * 4, ByteOrder.LITTLE_ENDIAN);
            FloatVector b3 = FloatVector.fromMemorySegment(F, b, bi + 3 * FV * 4, ByteOrder.LITTLE_ENDIAN);
            FloatVector a0 = FloatVector.broadcast(F, ap[ai]);
            FloatVector a1 = FloatVector.broadcast(F, ap[ai + 1]);
            FloatVector a2 = FloatVector.broadcast(F, ap[ai + 2]);
            FloatVector a3 = FloatVector.broadcast(F, ap[ai + 3]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        store(c00, c01, c02, c03, row, c, cAt, cols, dtype);
        if (rows > 1) {
            store(c10, c11, c12, c13, row, c, cAt + n, cols, dtype);
        }
        if (rows > 2) {
            store(c20, c21, c22, c23, row, c, cAt + 2L * n, cols, dtype);
        }
        if (rows > 3) {
            store(c30, c31, c32, c33, row, c, cAt + 3L * n, cols, dtype);
        }
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] row, CpuBuffer c,
                              long at, int cols, DType dtype) {
        if (dtype == DType.F32 && cols == WIDTH) { // a whole row of the tile: straight into C
            long byteAt = at * 4;
            v0.intoMemorySegment(c.memory, byteAt, ByteOrder.LITTLE_ENDIAN);
            v1.intoMemorySegment(c.memory, byteAt + FV * 4, ByteOrder.LITTLE_ENDIAN);
            v2.intoMemorySegment(c.memory, byteAt + 2 * FV * 4, ByteOrder.LITTLE_ENDIAN);
            v3.intoMemorySegment(c.memory, byteAt + 3 * FV * 4, ByteOrder.LITTLE_ENDIAN);
            return;
        }
        v0.intoArray(row, 0);
        v1.intoArray(row, FV);
        v2.intoArray(row, 2 * FV);
        v3.intoArray(row, 3 * FV);
        if (dtype == DType.F32) {
            MemorySegment.copy(row, 0, c.memory, CpuBuffer.FLOAT, at * 4, cols);
        } else {
            for (int j = 0; j < cols; j++) {
                c.memory.set(CpuBuffer.SHORT, (at + j) * 2, Float.floatToFloat16(row[j]));
            }
        }
    }

    private static void runF64(CpuWorkers workers, int batch, boolean transA, boolean transB, int m, int n, int k,
                               CpuBuffer a, long aOffset, CpuBuffer b, long bOffset, CpuBuffer c, long cOffset) {
        long rowsTotal = (long) batch * m;
        int tasks = (int) Math.min(workers.threads(), rowsTotal);
        AtomicInteger next = new AtomicInteger();
        workers.run(tasks, w -> {
            int item;
            while ((item = next.getAndIncrement()) < rowsTotal) {
                int p = item / m;
                int i = item % m;
                long ao = aOffset + (long) p * m * k;
                long bo = bOffset + (long) p * k * n;
                long co = cOffset + (long) p * m * n;
                for (int j = 0; j < n; j++) {
                    double sum = 0.0;
                    for (int q = 0; q < k; q++) {
                        double x = ScalarOps.asDouble(a.get(ao + (transA ? (long) q * m + i : (long) i * k + q)));
                        double y = ScalarOps.asDouble(b.get(bo + (transB ? (long) j * k + q : (long) q * n + j)));
                        sum = Math.fma(x, y, sum);
                    }
                    c.set(co + (long) i * n + j, ScalarOps.ofDouble(sum));
                }
            }
        });
    }
}
