package dev.weft.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes square blocks of F32 lanes in registers: {@code out[(row0 + c) * stride + j0 + r] =
 * rows[j0 + r][l0 + c]} for {@code r, c < F.length()}, as log2(F.length()) stages of two-vector
 * selects ({@code selectFrom}: at stage s, rows r and r + b with b = F.length() >> (s + 1) swap
 * their off-diagonal b x b blocks). It turns component-major lanes into lane-major rows so that
 * {@link CoopVecKernels#outerF32Transposed} can broadcast instead of reducing across lanes.
 *
 * <p>Every vector is a local variable (an array of vectors runs several times slower), so there
 * is one unrolled method per vector length: 16 (AVX-512) and 8 (AVX2); {@link #SUPPORTED} is
 * false for other lengths, where callers keep their per-lane reductions.
 */
final class LaneTranspose {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FV = F.length();
    private static final int STAGES = Integer.numberOfTrailingZeros(FV);

    /** Whether this vector length has a transpose. */
    static final boolean SUPPORTED = FV == 16 || FV == 8;

    /** Stage s: lane i of the first output takes lane i of the first row, or lane i - b of the second. */
    private static final FloatVector[] LOW = new FloatVector[STAGES];
    /** Stage s: lane i of the second output takes lane i + b of the first row, or lane i of the second. */
    private static final FloatVector[] HIGH = new FloatVector[STAGES];

    static {
        for (int s = 0; s < STAGES; s++) {
            int b = FV >> (s + 1);
            float[] low = new float[FV];
            float[] high = new float[FV];
            for (int i = 0; i < FV; i++) {
                low[i] = (i & b) == 0 ? i : FV + i - b;
                high[i] = (i & b) == 0 ? i + b : FV + i;
            }
            LOW[s] = FloatVector.fromArray(F, low, 0);
            HIGH[s] = FloatVector.fromArray(F, high, 0);
        }
    }

    private LaneTranspose() {}

    /** One block: rows j0.. of {@code rows} from lane l0 to rows row0.. of {@code out}, at column j0. */
    static void block(float[][] rows, int j0, int l0, float[] out, int stride, int row0) {
        if (FV == 16) {
            block16(rows, j0, l0, out, stride, row0);
        } else {
            block8(rows, j0, l0, out, stride, row0);
        }
    }

    /** 16 x 16: 4 stages of two-vector selects. */
    private static void block16(float[][] rows, int j0, int l0, float[] out, int stride, int row0) {
        FloatVector x0 = FloatVector.fromArray(F, rows[j0 + 0], l0);
        FloatVector x1 = FloatVector.fromArray(F, rows[j0 + 1], l0);
        FloatVector x2 = FloatVector.fromArray(F, rows[j0 + 2], l0);
        FloatVector x3 = FloatVector.fromArray(F, rows[j0 + 3], l0);
        FloatVector x4 = FloatVector.fromArray(F, rows[j0 + 4], l0);
        FloatVector x5 = FloatVector.fromArray(F, rows[j0 + 5], l0);
        FloatVector x6 = FloatVector.fromArray(F, rows[j0 + 6], l0);
        FloatVector x7 = FloatVector.fromArray(F, rows[j0 + 7], l0);
        FloatVector x8 = FloatVector.fromArray(F, rows[j0 + 8], l0);
        FloatVector x9 = FloatVector.fromArray(F, rows[j0 + 9], l0);
        FloatVector x10 = FloatVector.fromArray(F, rows[j0 + 10], l0);
        FloatVector x11 = FloatVector.fromArray(F, rows[j0 + 11], l0);
        FloatVector x12 = FloatVector.fromArray(F, rows[j0 + 12], l0);
        FloatVector x13 = FloatVector.fromArray(F, rows[j0 + 13], l0);
        FloatVector x14 = FloatVector.fromArray(F, rows[j0 + 14], l0);
        FloatVector x15 = FloatVector.fromArray(F, rows[j0 + 15], l0);
        FloatVector s0r0 = LOW[0].selectFrom(x0, x8);
        FloatVector s0r8 = HIGH[0].selectFrom(x0, x8);
        FloatVector s0r1 = LOW[0].selectFrom(x1, x9);
        FloatVector s0r9 = HIGH[0].selectFrom(x1, x9);
        FloatVector s0r2 = LOW[0].selectFrom(x2, x10);
        FloatVector s0r10 = HIGH[0].selectFrom(x2, x10);
        FloatVector s0r3 = LOW[0].selectFrom(x3, x11);
        FloatVector s0r11 = HIGH[0].selectFrom(x3, x11);
        FloatVector s0r4 = LOW[0].selectFrom(x4, x12);
        FloatVector s0r12 = HIGH[0].selectFrom(x4, x12);
        FloatVector s0r5 = LOW[0].selectFrom(x5, x13);
        FloatVector s0r13 = HIGH[0].selectFrom(x5, x13);
        FloatVector s0r6 = LOW[0].selectFrom(x6, x14);
        FloatVector s0r14 = HIGH[0].selectFrom(x6, x14);
        FloatVector s0r7 = LOW[0].selectFrom(x7, x15);
        FloatVector s0r15 = HIGH[0].selectFrom(x7, x15);
        FloatVector s1r0 = LOW[1].selectFrom(s0r0, s0r4);
        FloatVector s1r4 = HIGH[1].selectFrom(s0r0, s0r4);
        FloatVector s1r1 = LOW[1].selectFrom(s0r1, s0r5);
        FloatVector s1r5 = HIGH[1].selectFrom(s0r1, s0r5);
        FloatVector s1r2 = LOW[1].selectFrom(s0r2, s0r6);
        FloatVector s1r6 = HIGH[1].selectFrom(s0r2, s0r6);
        FloatVector s1r3 = LOW[1].selectFrom(s0r3, s0r7);
        FloatVector s1r7 = HIGH[1].selectFrom(s0r3, s0r7);
        FloatVector s1r8 = LOW[1].selectFrom(s0r8, s0r12);
        FloatVector s1r12 = HIGH[1].selectFrom(s0r8, s0r12);
        FloatVector s1r9 = LOW[1].selectFrom(s0r9, s0r13);
        FloatVector s1r13 = HIGH[1].selectFrom(s0r9, s0r13);
        FloatVector s1r10 = LOW[1].selectFrom(s0r10, s0r14);
        FloatVector s1r14 = HIGH[1].selectFrom(s0r10, s0r14);
        FloatVector s1r11 = LOW[1].selectFrom(s0r11, s0r15);
        FloatVector s1r15 = HIGH[1].selectFrom(s0r11, s0r15);
        FloatVector s2r0 = LOW[2].selectFrom(s1r0, s1r2);
        FloatVector s2r2 = HIGH[2].selectFrom(s1r0, s1r2);
        FloatVector s2r1 = LOW[2].selectFrom(s1r1, s1r3);
        FloatVector s2r3 = HIGH[2].selectFrom(s1r1, s1r3);
        FloatVector s2r4 = LOW[2].selectFrom(s1r4, s1r6);
        FloatVector s2r6 = HIGH[2].selectFrom(s1r4, s1r6);
        FloatVector s2r5 = LOW[2].selectFrom(s1r5, s1r7);
        FloatVector s2r7 = HIGH[2].selectFrom(s1r5, s1r7);
        FloatVector s2r8 = LOW[2].selectFrom(s1r8, s1r10);
        FloatVector s2r10 = HIGH[2].selectFrom(s1r8, s1r10);
        FloatVector s2r9 = LOW[2].selectFrom(s1r9, s1r11);
        FloatVector s2r11 = HIGH[2].selectFrom(s1r9, s1r11);
        FloatVector s2r12 = LOW[2].selectFrom(s1r12, s1r14);
        FloatVector s2r14 = HIGH[2].selectFrom(s1r12, s1r14);
        FloatVector s2r13 = LOW[2].selectFrom(s1r13, s1r15);
        FloatVector s2r15 = HIGH[2].selectFrom(s1r13, s1r15);
        FloatVector s3r0 = LOW[3].selectFrom(s2r0, s2r1);
        FloatVector s3r1 = HIGH[3].selectFrom(s2r0, s2r1);
        FloatVector s3r2 = LOW[3].selectFrom(s2r2, s2r3);
        FloatVector s3r3 = HIGH[3].selectFrom(s2r2, s2r3);
        FloatVector s3r4 = LOW[3].selectFrom(s2r4, s2r5);
        FloatVector s3r5 = HIGH[3].selectFrom(s2r4, s2r5);
        FloatVector s3r6 = LOW[3].selectFrom(s2r6, s2r7);
        FloatVector s3r7 = HIGH[3].selectFrom(s2r6, s2r7);
        FloatVector s3r8 = LOW[3].selectFrom(s2r8, s2r9);
        FloatVector s3r9 = HIGH[3].selectFrom(s2r8, s2r9);
        FloatVector s3r10 = LOW[3].selectFrom(s2r10, s2r11);
        FloatVector s3r11 = HIGH[3].selectFrom(s2r10, s2r11);
        FloatVector s3r12 = LOW[3].selectFrom(s2r12, s2r13);
        FloatVector s3r13 = HIGH[3].selectFrom(s2r12, s2r13);
        FloatVector s3r14 = LOW[3].selectFrom(s2r14, s2r15);
        FloatVector s3r15 = HIGH[3].selectFrom(s2r14, s2r15);
        s3r0.intoArray(out, (row0 + 0) * stride + j0);
        s3r1.intoArray(out, (row0 + 1) * stride + j0);
        s3r2.intoArray(out, (row0 + 2) * stride + j0);
        s3r3.intoArray(out, (row0 + 3) * stride + j0);
        s3r4.intoArray(out, (row0 + 4) * stride + j0);
        s3r5.intoArray(out, (row0 + 5) * stride + j0);
        s3r6.intoArray(out, (row0 + 6) * stride + j0);
        s3r7.intoArray(out, (row0 + 7) * stride + j0);
        s3r8.intoArray(out, (row0 + 8) * stride + j0);
        s3r9.intoArray(out, (row0 + 9) * stride + j0);
        s3r10.intoArray(out, (row0 + 10) * stride + j0);
        s3r11.intoArray(out, (row0 + 11) * stride + j0);
        s3r12.intoArray(out, (row0 + 12) * stride + j0);
        s3r13.intoArray(out, (row0 + 13) * stride + j0);
        s3r14.intoArray(out, (row0 + 14) * stride + j0);
        s3r15.intoArray(out, (row0 + 15) * stride + j0);
    }

    /** 8 x 8: 3 stages of two-vector selects. */
    private static void block8(float[][] rows, int j0, int l0, float[] out, int stride, int row0) {
        FloatVector x0 = FloatVector.fromArray(F, rows[j0 + 0], l0);
        FloatVector x1 = FloatVector.fromArray(F, rows[j0 + 1], l0);
        FloatVector x2 = FloatVector.fromArray(F, rows[j0 + 2], l0);
        FloatVector x3 = FloatVector.fromArray(F, rows[j0 + 3], l0);
        FloatVector x4 = FloatVector.fromArray(F, rows[j0 + 4], l0);
        FloatVector x5 = FloatVector.fromArray(F, rows[j0 + 5], l0);
        FloatVector x6 = FloatVector.fromArray(F, rows[j0 + 6], l0);
        FloatVector x7 = FloatVector.fromArray(F, rows[j0 + 7], l0);
        FloatVector s0r0 = LOW[0].selectFrom(x0, x4);
        FloatVector s0r4 = HIGH[0].selectFrom(x0, x4);
        FloatVector s0r1 = LOW[0].selectFrom(x1, x5);
        FloatVector s0r5 = HIGH[0].selectFrom(x1, x5);
        FloatVector s0r2 = LOW[0].selectFrom(x2, x6);
        FloatVector s0r6 = HIGH[0].selectFrom(x2, x6);
        FloatVector s0r3 = LOW[0].selectFrom(x3, x7);
        FloatVector s0r7 = HIGH[0].selectFrom(x3, x7);
        FloatVector s1r0 = LOW[1].selectFrom(s0r0, s0r2);
        FloatVector s1r2 = HIGH[1].selectFrom(s0r0, s0r2);
        FloatVector s1r1 = LOW[1].selectFrom(s0r1, s0r3);
        FloatVector s1r3 = HIGH[1].selectFrom(s0r1, s0r3);
        FloatVector s1r4 = LOW[1].selectFrom(s0r4, s0r6);
        FloatVector s1r6 = HIGH[1].selectFrom(s0r4, s0r6);
        FloatVector s1r5 = LOW[1].selectFrom(s0r5, s0r7);
        FloatVector s1r7 = HIGH[1].selectFrom(s0r5, s0r7);
        FloatVector s2r0 = LOW[2].selectFrom(s1r0, s1r1);
        FloatVector s2r1 = HIGH[2].selectFrom(s1r0, s1r1);
        FloatVector s2r2 = LOW[2].selectFrom(s1r2, s1r3);
        FloatVector s2r3 = HIGH[2].selectFrom(s1r2, s1r3);
        FloatVector s2r4 = LOW[2].selectFrom(s1r4, s1r5);
        FloatVector s2r5 = HIGH[2].selectFrom(s1r4, s1r5);
        FloatVector s2r6 = LOW[2].selectFrom(s1r6, s1r7);
        FloatVector s2r7 = HIGH[2].selectFrom(s1r6, s1r7);
        s2r0.intoArray(out, (row0 + 0) * stride + j0);
        s2r1.intoArray(out, (row0 + 1) * stride + j0);
        s2r2.intoArray(out, (row0 + 2) * stride + j0);
        s2r3.intoArray(out, (row0 + 3) * stride + j0);
        s2r4.intoArray(out, (row0 + 4) * stride + j0);
        s2r5.intoArray(out, (row0 + 5) * stride + j0);
        s2r6.intoArray(out, (row0 + 6) * stride + j0);
        s2r7.intoArray(out, (row0 + 7) * stride + j0);
    }
}
