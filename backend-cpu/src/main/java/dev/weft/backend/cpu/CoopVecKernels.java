package dev.weft.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked loops behind {@link CpuCoopVec}, written as PERFORMANCE.md measured:
 * every vector is a local variable (an array of vectors runs 8x slower), tiles of 4 output rows
 * x 4 vectors of lanes (16 accumulators, 4 broadcasts and 4 loads per input), and for the outer
 * product 4x4 tiles of (i, j) reduced across lanes once per tile and chunk.
 */
final class CoopVecKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FV = F.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DV = D.length();

    private CoopVecKernels() {}

    /** Per-thread scratch for {@link #sum(FloatVector, float[])}, fetched once per call of a kernel. */
    private static final ThreadLocal<float[]> FLOAT_LANES = ThreadLocal.withInitial(() -> new float[FV]);
    private static final ThreadLocal<double[]> DOUBLE_LANES = ThreadLocal.withInitial(() -> new double[DV]);

    /**
     * The sum of {@code v}'s lanes in lane order. {@code reduceLanes(ADD)} may add in any order,
     * and its Java fallback and C2's intrinsic do differ: results then changed from run to run
     * with the moment C2 compiled the kernel.
     */
    private static float sum(FloatVector v, float[] t) {
        v.intoArray(t, 0);
        float s = t[0];
        for (int i = 1; i < FV; i++) {
            s += t[i];
        }
        return s;
    }

    private static double sum(DoubleVector v, double[] t) {
        v.intoArray(t, 0);
        double s = t[0];
        for (int i = 1; i < DV; i++) {
            s += t[i];
        }
        return s;
    }

    /**
     * {@code y[r][l] = b[r][l] + sum_c w(r, c) x[c][l]} for {@code l < lanes} (lanes up to the
     * next multiple of 4 vectors are computed too: registers are chunk-sized scratch there). With
     * {@code uniformBias}, {@code b[r]} holds one strip (4 vectors) of row r's bias value, the same
     * for every lane, read at lane 0 for every strip.
     * {@code w} is packed as {@link CpuCoopVec#packF32} says. Strips of 4 vectors of lanes are
     * the outer loop, so one strip of every input (cols x 4 vectors) stays in L1 while all
     * row blocks use it. An {@code epilogue} (or null) is applied to each tile's rows and lanes
     * right after the tile is stored.
     */
    static void matvecF32(float[] w, int rows, int cols, float[][] x, float[][] b, float[][] y, int lanes,
                          boolean uniformBias, TileEpilogue epilogue) {
        // a driver over small tile methods, which C2 compiles early (see outerF32)
        int width = Step.padded(lanes, 4 * FV);
        int full = rows & ~3;
        for (int l = 0; l < width; l += 4 * FV) {
            int bl = uniformBias ? 0 : l;
            for (int r = 0; r < full; r += 4) {
                matvecTile4(w, r, cols, x, b, y, l, bl);
                if (epilogue != null) {
                    epilogue.apply(y, r, 4, l); // the strip just stored is in L1
                }
            }
            for (int r = full; r < rows; r++) {
                matvecRow(w, r, cols, x, b, y, l, bl);
                if (epilogue != null) {
                    epilogue.apply(y, r, 1, l);
                }
            }
        }
    }

    /** Rows r..r+3 over lanes l..l+4 vectors, the bias read from lane {@code bl}. */
    private static void matvecTile4(float[] w, int r, int cols, float[][] x, float[][] b, float[][] y, int l, int bl) {
        int l1 = l + FV;
        int l2 = l + 2 * FV;
        int l3 = l + 3 * FV;
        float[] b0 = b[r];
        float[] b1 = b[r + 1];
        float[] b2 = b[r + 2];
        float[] b3 = b[r + 3];
        FloatVector a00 = FloatVector.fromArray(F, b0, bl);
        FloatVector a01 = FloatVector.fromArray(F, b0, bl + FV);
        FloatVector a02 = FloatVector.fromArray(F, b0, bl + 2 * FV);
        FloatVector a03 = FloatVector.fromArray(F, b0, bl + 3 * FV);
        FloatVector a10 = FloatVector.fromArray(F, b1, bl);
        FloatVector a11 = FloatVector.fromArray(F, b1, bl + FV);
        FloatVector a12 = FloatVector.fromArray(F, b1, bl + 2 * FV);
        FloatVector a13 = FloatVector.fromArray(F, b1, bl + 3 * FV);
        FloatVector a20 = FloatVector.fromArray(F, b2, bl);
        FloatVector a21 = FloatVector.fromArray(F, b2, bl + FV);
        FloatVector a22 = FloatVector.fromArray(F, b2, bl + 2 * FV);
        FloatVector a23 = FloatVector.fromArray(F, b2, bl + 3 * FV);
        FloatVector a30 = FloatVector.fromArray(F, b3, bl);
        FloatVector a31 = FloatVector.fromArray(F, b3, bl + FV);
        FloatVector a32 = FloatVector.fromArray(F, b3, bl + 2 * FV);
        FloatVector a33 = FloatVector.fromArray(F, b3, bl + 3 * FV);
        int wi = r * cols;
        for (int c = 0; c < cols; c++, wi += 4) {
            float[] xc = x[c];
            FloatVector x0 = FloatVector.fromArray(F, xc, l);
            FloatVector x1 = FloatVector.fromArray(F, xc, l1);
            FloatVector x2 = FloatVector.fromArray(F, xc, l2);
            FloatVector x3 = FloatVector.fromArray(F, xc, l3);
            FloatVector w0 = FloatVector.broadcast(F, w[wi]);
            FloatVector w1 = FloatVector.broadcast(F, w[wi + 1]);
            FloatVector w2 = FloatVector.broadcast(F, w[wi + 2]);
            FloatVector w3 = FloatVector.broadcast(F, w[wi + 3]);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            a02 = x2.fma(w0, a02);
            a03 = x3.fma(w0, a03);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            a12 = x2.fma(w1, a12);
            a13 = x3.fma(w1, a13);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            a22 = x2.fma(w2, a22);
            a23 = x3.fma(w2, a23);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
            a32 = x2.fma(w3, a32);
            a33 = x3.fma(w3, a33);
        }
        float[] y0 = y[r];
        float[] y1 = y[r + 1];
        float[] y2 = y[r + 2];
        float[] y3 = y[r + 3];
        a00.intoArray(y0, l);
        a01.intoArray(y0, l1);
        a02.intoArray(y0, l2);
        a03.intoArray(y0, l3);
        a10.intoArray(y1, l);
        a11.intoArray(y1, l1);
        a12.intoArray(y1, l2);
        a13.intoArray(y1, l3);
        a20.intoArray(y2, l);
        a21.intoArray(y2, l1);
        a22.intoArray(y2, l2);
        a23.intoArray(y2, l3);
        a30.intoArray(y3, l);
        a31.intoArray(y3, l1);
        a32.intoArray(y3, l2);
        a33.intoArray(y3, l3);
    }

    /** Row r over lanes l..l+4 vectors (rows past the last block of four), the bias read from lane {@code bl}. */
    private static void matvecRow(float[] w, int r, int cols, float[][] x, float[][] b, float[][] y, int l, int bl) {
        int l1 = l + FV;
        int l2 = l + 2 * FV;
        int l3 = l + 3 * FV;
        float[] br = b[r];
        FloatVector a0 = FloatVector.fromArray(F, br, bl);
        FloatVector a1 = FloatVector.fromArray(F, br, bl + FV);
        FloatVector a2 = FloatVector.fromArray(F, br, bl + 2 * FV);
        FloatVector a3 = FloatVector.fromArray(F, br, bl + 3 * FV);
        int wi = r * cols;
        for (int c = 0; c < cols; c++) {
            float[] xc = x[c];
            FloatVector wv = FloatVector.broadcast(F, w[wi + c]);
            a0 = FloatVector.fromArray(F, xc, l).fma(wv, a0);
            a1 = FloatVector.fromArray(F, xc, l1).fma(wv, a1);
            a2 = FloatVector.fromArray(F, xc, l2).fma(wv, a2);
            a3 = FloatVector.fromArray(F, xc, l3).fma(wv, a3);
        }
        float[] yr = y[r];
        a0.intoArray(yr, l);
        a1.intoArray(yr, l1);
        a2.intoArray(yr, l2);
        a3.intoArray(yr, l3);
    }

    /** The F64 product, one row and one vector of lanes at a time ({@code w} row-major; bias as in {@link #matvecF32}). */
    static void matvecF64(double[] w, int rows, int cols, double[][] x, double[][] b, double[][] y, int lanes,
                          boolean uniformBias) {
        int width = Step.padded(lanes, DV);
        for (int r = 0; r < rows; r++) {
            double[] br = b[r];
            double[] yr = y[r];
            int wi = r * cols;
            for (int l = 0; l < width; l += DV) {
                DoubleVector a = DoubleVector.fromArray(D, br, uniformBias ? 0 : l);
                for (int c = 0; c < cols; c++) {
                    a = DoubleVector.fromArray(D, x[c], l).fma(DoubleVector.broadcast(D, w[wi + c]), a);
                }
                a.intoArray(yr, l);
            }
        }
    }

    /**
     * {@code sums[i * cols + j] += sum over l < lanes of u[i][l] v[j][l]}: 4x4 tiles of (i, j),
     * then 4x1 tiles for the last {@code cols % 4} columns, then 1x1 for the last rows. The last
     * partial vector is read under a mask (lanes beyond {@code lanes} hold scratch).
     */
    static void outerF32(float[][] u, float[][] v, float[] sums, int rows, int cols, int lanes) {
        // a driver over small methods: as one method of 1.6 kB of bytecode C2 compiled it late or
        // never, and C1's Vector API code (no intrinsics) ran a network's first layer 10x slower
        int whole = lanes & -FV;
        VectorMask<Float> tail = F.indexInRange(whole, lanes);
        boolean hasTail = whole < lanes;
        int fullRows = rows & ~3;
        int fullCols = cols & ~3;
        float[] t = FLOAT_LANES.get();
        for (int i = 0; i < fullRows; i += 4) {
            for (int j = 0; j < fullCols; j += 4) {
                outerTile4x4(u[i], u[i + 1], u[i + 2], u[i + 3], v[j], v[j + 1], v[j + 2], v[j + 3], sums,
                        i * cols + j, cols, whole, tail, hasTail, t);
            }
            for (int j = fullCols; j < cols; j++) {
                outerTile4x1(u[i], u[i + 1], u[i + 2], u[i + 3], v[j], sums, i, j, cols, whole, tail, hasTail, t);
            }
        }
        for (int i = fullRows; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                outerTile1x1(u[i], v[j], sums, i, j, cols, whole, tail, hasTail, t);
            }
        }
    }

    /** Rows i..i+3 by columns j..j+3, {@code k0 = i * cols + j}. */
    private static void outerTile4x4(float[] u0, float[] u1, float[] u2, float[] u3, float[] v0, float[] v1,
                                     float[] v2, float[] v3, float[] sums, int k0, int cols, int whole,
                                     VectorMask<Float> tail, boolean hasTail, float[] t) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int l = 0; l < whole; l += FV) {
            FloatVector x0 = FloatVector.fromArray(F, u0, l);
            FloatVector x1 = FloatVector.fromArray(F, u1, l);
            FloatVector x2 = FloatVector.fromArray(F, u2, l);
            FloatVector x3 = FloatVector.fromArray(F, u3, l);
            FloatVector y0 = FloatVector.fromArray(F, v0, l);
            FloatVector y1 = FloatVector.fromArray(F, v1, l);
            FloatVector y2 = FloatVector.fromArray(F, v2, l);
            FloatVector y3 = FloatVector.fromArray(F, v3, l);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s02 = x0.fma(y2, s02);
            s03 = x0.fma(y3, s03);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
            s12 = x1.fma(y2, s12);
            s13 = x1.fma(y3, s13);
            s20 = x2.fma(y0, s20);
            s21 = x2.fma(y1, s21);
            s22 = x2.fma(y2, s22);
            s23 = x2.fma(y3, s23);
            s30 = x3.fma(y0, s30);
            s31 = x3.fma(y1, s31);
            s32 = x3.fma(y2, s32);
            s33 = x3.fma(y3, s33);
        }
        if (hasTail) {
            int l = whole;
            VectorMask<Float> m = tail;
            FloatVector x0 = FloatVector.fromArray(F, u0, l, m);
            FloatVector x1 = FloatVector.fromArray(F, u1, l, m);
            FloatVector x2 = FloatVector.fromArray(F, u2, l, m);
            FloatVector x3 = FloatVector.fromArray(F, u3, l, m);
            FloatVector y0 = FloatVector.fromArray(F, v0, l, m);
            FloatVector y1 = FloatVector.fromArray(F, v1, l, m);
            FloatVector y2 = FloatVector.fromArray(F, v2, l, m);
            FloatVector y3 = FloatVector.fromArray(F, v3, l, m);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s02 = x0.fma(y2, s02);
            s03 = x0.fma(y3, s03);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
            s12 = x1.fma(y2, s12);
            s13 = x1.fma(y3, s13);
            s20 = x2.fma(y0, s20);
            s21 = x2.fma(y1, s21);
            s22 = x2.fma(y2, s22);
            s23 = x2.fma(y3, s23);
            s30 = x3.fma(y0, s30);
            s31 = x3.fma(y1, s31);
            s32 = x3.fma(y2, s32);
            s33 = x3.fma(y3, s33);
        }
        int k1 = k0 + cols;
        int k2 = k1 + cols;
        int k3 = k2 + cols;
        sums[k0] += sum(s00, t);
        sums[k0 + 1] += sum(s01, t);
        sums[k0 + 2] += sum(s02, t);
        sums[k0 + 3] += sum(s03, t);
        sums[k1] += sum(s10, t);
        sums[k1 + 1] += sum(s11, t);
        sums[k1 + 2] += sum(s12, t);
        sums[k1 + 3] += sum(s13, t);
        sums[k2] += sum(s20, t);
        sums[k2 + 1] += sum(s21, t);
        sums[k2 + 2] += sum(s22, t);
        sums[k2 + 3] += sum(s23, t);
        sums[k3] += sum(s30, t);
        sums[k3 + 1] += sum(s31, t);
        sums[k3 + 2] += sum(s32, t);
        sums[k3 + 3] += sum(s33, t);
    }

    /** Rows i..i+3 by column j. */
    private static void outerTile4x1(float[] u0, float[] u1, float[] u2, float[] u3, float[] vj, float[] sums, int i,
                                     int j, int cols, int whole, VectorMask<Float> tail, boolean hasTail,
                                     float[] t) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int l = 0; l < whole; l += FV) { // whole vectors unmasked: a mask chosen per
            FloatVector y0 = FloatVector.fromArray(F, vj, l); // iteration defeats the intrinsics
            s0 = FloatVector.fromArray(F, u0, l).fma(y0, s0);
            s1 = FloatVector.fromArray(F, u1, l).fma(y0, s1);
            s2 = FloatVector.fromArray(F, u2, l).fma(y0, s2);
            s3 = FloatVector.fromArray(F, u3, l).fma(y0, s3);
        }
        if (hasTail) {
            FloatVector y0 = FloatVector.fromArray(F, vj, whole, tail);
            s0 = FloatVector.fromArray(F, u0, whole, tail).fma(y0, s0);
            s1 = FloatVector.fromArray(F, u1, whole, tail).fma(y0, s1);
            s2 = FloatVector.fromArray(F, u2, whole, tail).fma(y0, s2);
            s3 = FloatVector.fromArray(F, u3, whole, tail).fma(y0, s3);
        }
        sums[i * cols + j] += sum(s0, t);
        sums[(i + 1) * cols + j] += sum(s1, t);
        sums[(i + 2) * cols + j] += sum(s2, t);
        sums[(i + 3) * cols + j] += sum(s3, t);
    }

    /** Row i by column j. */
    private static void outerTile1x1(float[] ui, float[] vj, float[] sums, int i, int j, int cols, int whole,
                                     VectorMask<Float> tail, boolean hasTail, float[] t) {
        FloatVector s = FloatVector.zero(F);
        for (int l = 0; l < whole; l += FV) {
            s = FloatVector.fromArray(F, ui, l).fma(FloatVector.fromArray(F, vj, l), s);
        }
        if (hasTail) {
            s = FloatVector.fromArray(F, ui, whole, tail).fma(FloatVector.fromArray(F, vj, whole, tail), s);
        }
        sums[i * cols + j] += sum(s, t);
    }

    /** Lanes per strip of {@link #outerF32Transposed}: its transposed strip (32 x columns) stays in L1. */
    static final int OUTER_STRIP = 32;

    /**
     * {@code sums[i * cp + j] += sum over l < lanes of u[i][l] v[j][l]} for {@code j < cp} (a
     * multiple of the vector length; {@code v} has {@code cp} rows, zeros past the real columns),
     * without reductions across lanes: each strip of {@link #OUTER_STRIP} lanes of {@code v} is
     * transposed into {@code vt} ({@link LaneTranspose}), then tiles of 4 rows x 4 vectors of
     * columns accumulate {@code broadcast(u[i][l]) * vt[l][j..]} over the strip's lanes in
     * registers and add into {@code sums} once per strip. Three times the per-tile-reduction
     * kernel's speed on 64 x 64 at 512 lanes (94 against 30 GFLOP/s on one AVX-512 thread).
     */
    static void outerF32Transposed(float[][] u, float[][] v, float[] sums, float[] vt, int rows, int cp, int lanes) {
        // a driver over small tile methods, which C2 compiles early (see outerF32)
        int fullRows = rows & ~3;
        int wide = cp - cp % (4 * FV);
        for (int l0 = 0; l0 < lanes; l0 += OUTER_STRIP) {
            int n = Math.min(OUTER_STRIP, lanes - l0);
            for (int j = 0; j < cp; j += FV) {
                for (int c = 0; c < n; c += FV) {
                    LaneTranspose.block(v, j, l0 + c, vt, cp, c);
                }
            }
            for (int i = 0; i < fullRows; i += 4) {
                for (int j = 0; j < wide; j += 4 * FV) {
                    stripTile4x4(u[i], u[i + 1], u[i + 2], u[i + 3], vt, sums, i, j, cp, l0, n);
                }
                for (int j = wide; j < cp; j += FV) {
                    stripTile4x1(u[i], u[i + 1], u[i + 2], u[i + 3], vt, sums, i, j, cp, l0, n);
                }
            }
            for (int i = fullRows; i < rows; i++) {
                float[] ui = u[i];
                for (int j = 0; j < cp; j += FV) {
                    stripTile1x1(ui, vt, sums, i, j, cp, l0, n);
                }
            }
        }
    }

    /** Rows i..i+3 by columns j..j+4 vectors, over the strip's {@code n} lanes from {@code l0}. */
    private static void stripTile4x4(float[] u0, float[] u1, float[] u2, float[] u3, float[] vt, float[] sums, int i,
                                     int j, int cp, int l0, int n) {
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int l = 0; l < n; l++) {
            int o = l * cp + j;
            FloatVector y0 = FloatVector.fromArray(F, vt, o);
            FloatVector y1 = FloatVector.fromArray(F, vt, o + FV);
            FloatVector y2 = FloatVector.fromArray(F, vt, o + 2 * FV);
            FloatVector y3 = FloatVector.fromArray(F, vt, o + 3 * FV);
            FloatVector b0 = FloatVector.broadcast(F, u0[l0 + l]);
            FloatVector b1 = FloatVector.broadcast(F, u1[l0 + l]);
            FloatVector b2 = FloatVector.broadcast(F, u2[l0 + l]);
            FloatVector b3 = FloatVector.broadcast(F, u3[l0 + l]);
            s00 = y0.fma(b0, s00);
            s01 = y1.fma(b0, s01);
            s02 = y2.fma(b0, s02);
            s03 = y3.fma(b0, s03);
            s10 = y0.fma(b1, s10);
            s11 = y1.fma(b1, s11);
            s12 = y2.fma(b1, s12);
            s13 = y3.fma(b1, s13);
            s20 = y0.fma(b2, s20);
            s21 = y1.fma(b2, s21);
            s22 = y2.fma(b2, s22);
            s23 = y3.fma(b2, s23);
            s30 = y0.fma(b3, s30);
            s31 = y1.fma(b3, s31);
            s32 = y2.fma(b3, s32);
            s33 = y3.fma(b3, s33);
        }
        // the adds written out: as 16 calls of a helper, C2 left some not inlined (its node-count
        // cutoff) and each boxed its FloatVector (about 46 MB per step of young garbage)
        int k0 = i * cp + j;
        int k1 = (i + 1) * cp + j;
        int k2 = (i + 2) * cp + j;
        int k3 = (i + 3) * cp + j;
        FloatVector.fromArray(F, sums, k0).add(s00).intoArray(sums, k0);
        FloatVector.fromArray(F, sums, k0 + FV).add(s01).intoArray(sums, k0 + FV);
        FloatVector.fromArray(F, sums, k0 + 2 * FV).add(s02).intoArray(sums, k0 + 2 * FV);
        FloatVector.fromArray(F, sums, k0 + 3 * FV).add(s03).intoArray(sums, k0 + 3 * FV);
        FloatVector.fromArray(F, sums, k1).add(s10).intoArray(sums, k1);
        FloatVector.fromArray(F, sums, k1 + FV).add(s11).intoArray(sums, k1 + FV);
        FloatVector.fromArray(F, sums, k1 + 2 * FV).add(s12).intoArray(sums, k1 + 2 * FV);
        FloatVector.fromArray(F, sums, k1 + 3 * FV).add(s13).intoArray(sums, k1 + 3 * FV);
        FloatVector.fromArray(F, sums, k2).add(s20).intoArray(sums, k2);
        FloatVector.fromArray(F, sums, k2 + FV).add(s21).intoArray(sums, k2 + FV);
        FloatVector.fromArray(F, sums, k2 + 2 * FV).add(s22).intoArray(sums, k2 + 2 * FV);
        FloatVector.fromArray(F, sums, k2 + 3 * FV).add(s23).intoArray(sums, k2 + 3 * FV);
        FloatVector.fromArray(F, sums, k3).add(s30).intoArray(sums, k3);
        FloatVector.fromArray(F, sums, k3 + FV).add(s31).intoArray(sums, k3 + FV);
        FloatVector.fromArray(F, sums, k3 + 2 * FV).add(s32).intoArray(sums, k3 + 2 * FV);
        FloatVector.fromArray(F, sums, k3 + 3 * FV).add(s33).intoArray(sums, k3 + 3 * FV);
    }

    /** Rows i..i+3 by the vector of columns at j. */
    private static void stripTile4x1(float[] u0, float[] u1, float[] u2, float[] u3, float[] vt, float[] sums, int i,
                                     int j, int cp, int l0, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int l = 0; l < n; l++) {
            FloatVector y = FloatVector.fromArray(F, vt, l * cp + j);
            s0 = y.fma(FloatVector.broadcast(F, u0[l0 + l]), s0);
            s1 = y.fma(FloatVector.broadcast(F, u1[l0 + l]), s1);
            s2 = y.fma(FloatVector.broadcast(F, u2[l0 + l]), s2);
            s3 = y.fma(FloatVector.broadcast(F, u3[l0 + l]), s3);
        }
        addInto(sums, i * cp + j, s0);
        addInto(sums, (i + 1) * cp + j, s1);
        addInto(sums, (i + 2) * cp + j, s2);
        addInto(sums, (i + 3) * cp + j, s3);
    }

    /** Row i by the vector of columns at j. */
    private static void stripTile1x1(float[] ui, float[] vt, float[] sums, int i, int j, int cp, int l0, int n) {
        FloatVector s = FloatVector.zero(F);
        for (int l = 0; l < n; l++) {
            s = FloatVector.fromArray(F, vt, l * cp + j).fma(FloatVector.broadcast(F, ui[l0 + l]), s);
        }
        addInto(sums, i * cp + j, s);
    }

    private static void addInto(float[] sums, int at, FloatVector s) {
        FloatVector.fromArray(F, sums, at).add(s).intoArray(sums, at);
    }

    /** The F64 outer-product sums, one (i, j) pair at a time. */
    static void outerF64(double[][] u, double[][] v, double[] sums, int rows, int cols, int lanes) {
        double[] t = DOUBLE_LANES.get();
        int whole = lanes & -DV;
        VectorMask<Double> tail = D.indexInRange(whole, lanes);
        for (int i = 0; i < rows; i++) {
            double[] ui = u[i];
            for (int j = 0; j < cols; j++) {
                double[] vj = v[j];
                DoubleVector s = DoubleVector.zero(D);
                for (int l = 0; l < whole; l += DV) {
                    s = DoubleVector.fromArray(D, ui, l).fma(DoubleVector.fromArray(D, vj, l), s);
                }
                if (whole < lanes) {
                    s = DoubleVector.fromArray(D, ui, whole, tail).fma(DoubleVector.fromArray(D, vj, whole, tail), s);
                }
                sums[i * cols + j] += sum(s, t);
            }
        }
    }
}
