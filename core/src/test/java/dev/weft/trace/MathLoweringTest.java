package dev.weft.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import org.junit.jupiter.api.Test;

/**
 * Accuracy and special values of {@link MathLowering}, evaluated through {@link ScalarOps} (which
 * runs the lowering through {@link ScalarMath}).
 *
 * <p>Errors are in ulps of the reference value. F32 is measured against the double-precision
 * StrictMath value (its own error is far below an F32 ulp); F64 against StrictMath, whose error
 * is up to about 1.5 ulp itself (tanh and log2 are assembled from StrictMath parts in
 * double-double, see {@link #reference}), so the F64 bound is 3. Each accuracy test prints its
 * maximum to System.out ("MathLowering accuracy: ...").
 */
class MathLoweringTest {
    /** Max ulp error allowed at F32 (measured below 0.8 for every function). */
    private static final double F32_BOUND = 1.0;
    /**
     * Max ulp error allowed at F64 against StrictMath. Ours alone is below 0.8 ulp (checked against
     * high-precision values outside this test); both are doubles, so the measured difference is a
     * whole number of ulps, and the reference's own error (up to about 1.5 ulp) adds to it.
     */
    private static final double F64_BOUND = 3.0;

    /** Accurate ranges of the sin/cos argument reduction (see MathLowering). */
    private static final double SIN_RANGE_F32 = 0x1p21;
    private static final double SIN_RANGE_F64 = 0x1p49;

    /** Floats closest to a multiple of pi/2, searched exhaustively over 1 <= x < 2^21. */
    private static final float[] HARD_TRIG_F32 = {
        0x1.f9cbe2p7f, 0x1.f9cbe2p8f, 0x1.2d97c8p2f, 0x1.9a48dep15f, 0x1.f9cbe2p9f, 0x1.2d97c8p3f,
        0x1.9a48dep16f, 0x1.f9cbe2p10f, 0x1.c463acp3f, 0x1.921fb6p0f, 0x1.2d97c8p4f, 0x1.17cc5p11f,
        0x1.78fdbap4f, 0x1.9a48dep17f, 0x1.f9cbe2p11f, 0x1.c463acp4f, 0x1.921fb4p0f, 0x1.921fb6p1f,
        0x1.ae65fp7f, 0x1.2d97c8p5f, 0x1.bd4268p15f, 0x1.2298eap8f, 0x1.8e3266p9f, 0x1.17cc5p12f,
    };

    /** Doubles very close to a multiple of pi/2 (continued fractions of pi/2, |x| < 2^49). */
    private static final double[] HARD_TRIG_F64 = {
        0x1.6c6cbc45dc8dep+5, 0x1.6c6cbc45dc8dep+6, 0x1.b951f1572eba5p+23, 0x1.6c6cbc45dc8dep+7,
        0x1.b951f1572eba5p+24, 0x1.6c6cbc45dc8dep+8, 0x1.b951f1572eba5p+25, 0x1.6c6cbc45dc8dep+9,
        0x1.b951f1572eba5p+26, 0x1.065c829d68730p+39, 0x1.7512069b7430dp+47, 0x1.6c6cbc45dc8dep+10,
        0x1.b951f1572eba5p+27, 0x1.065c829d68730p+40, 0x1.7512069b7430dp+48, 0x1.6c6cbc45dc8dep+11,
        0x1.39c6fd67805a7p+18, 0x1.9eb7148f354d6p+20, 0x1.b951f1572eba5p+28, 0x1.065c829d68730p+41,
    };

    private static final Op[] TRANSCENDENTALS = {Op.EXP2, Op.LOG2, Op.EXP, Op.LOG, Op.SIN, Op.COS, Op.TANH};

    // ---- accuracy: exp2 ----------------------------------------------------------------------------

    @Test
    void exp2F32IsWithinOneUlpIncludingSubnormalAndOverflowEdges() {
        Meter m = new Meter(Op.EXP2, DType.F32);
        SplittableRandom rnd = new SplittableRandom(1);
        uniform(rnd, -152, 130, 300_000, m::f32);
        logUniform(rnd, -40, 0, 20_000, m::f32);
        sweep(-150, -125, 20_000, m::f32);      // subnormal results
        sweep(126, 128.5, 5_000, m::f32);        // up to overflow
        m.assertWithin(F32_BOUND);
    }

    @Test
    void exp2F64IsWithinBoundIncludingSubnormalAndOverflowEdges() {
        Meter m = new Meter(Op.EXP2, DType.F64);
        SplittableRandom rnd = new SplittableRandom(2);
        uniform(rnd, -1080, 1030, 300_000, m::f64);
        logUniform(rnd, -60, 0, 20_000, m::f64);
        sweep(-1076, -1021, 20_000, m::f64);
        sweep(1022, 1024.5, 5_000, m::f64);
        m.assertWithin(F64_BOUND);
    }

    // ---- accuracy: exp -------------------------------------------------------------------------------

    @Test
    void expF32IsWithinOneUlpIncludingSubnormalAndOverflowEdges() {
        Meter m = new Meter(Op.EXP, DType.F32);
        SplittableRandom rnd = new SplittableRandom(3);
        uniform(rnd, -105, 90, 300_000, m::f32);
        logUniform(rnd, -40, 0, 20_000, m::f32);
        sweep(-104, -87, 20_000, m::f32);
        sweep(87, 89, 5_000, m::f32);
        m.assertWithin(F32_BOUND);
    }

    @Test
    void expF64IsWithinBoundIncludingSubnormalAndOverflowEdges() {
        Meter m = new Meter(Op.EXP, DType.F64);
        SplittableRandom rnd = new SplittableRandom(4);
        uniform(rnd, -746, 711, 300_000, m::f64);
        logUniform(rnd, -60, 0, 20_000, m::f64);
        sweep(-746, -707, 20_000, m::f64);
        sweep(707, 710, 5_000, m::f64);
        m.assertWithin(F64_BOUND);
    }

    // ---- accuracy: log2, log -----------------------------------------------------------------------

    @Test
    void log2F32IsWithinOneUlpOverAllExponentsIncludingSubnormals() {
        logF32(Op.LOG2, 5);
    }

    @Test
    void logF32IsWithinOneUlpOverAllExponentsIncludingSubnormals() {
        logF32(Op.LOG, 6);
    }

    @Test
    void log2F64IsWithinBoundOverAllExponentsIncludingSubnormals() {
        logF64(Op.LOG2, 7);
    }

    @Test
    void logF64IsWithinBoundOverAllExponentsIncludingSubnormals() {
        logF64(Op.LOG, 8);
    }

    private static void logF32(Op op, long seed) {
        Meter m = new Meter(op, DType.F32);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {          // every positive finite float, by its bits
            m.f32(Float.intBitsToFloat(rnd.nextInt(1, 0x7f80_0000)));
        }
        uniform(rnd, 0.5, 2, 200_000, m::f32);
        for (int d = -2_000; d <= 2_000; d++) {       // the floats next to 1
            m.f32(Float.intBitsToFloat(Float.floatToRawIntBits(1f) + d));
        }
        sweep(0x1p-149, 0x1p-126, 5_000, m::f32);     // subnormals
        m.assertWithin(F32_BOUND);
    }

    private static void logF64(Op op, long seed) {
        Meter m = new Meter(op, DType.F64);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            m.f64(Double.longBitsToDouble(rnd.nextLong(1, 0x7ff0_0000_0000_0000L)));
        }
        uniform(rnd, 0.5, 2, 200_000, m::f64);
        for (int d = -2_000; d <= 2_000; d++) {
            m.f64(Double.longBitsToDouble(Double.doubleToRawLongBits(1.0) + d));
        }
        sweep(0x1p-1074, 0x1p-1022, 5_000, m::f64);
        m.assertWithin(F64_BOUND);
    }

    // ---- accuracy: sin, cos ------------------------------------------------------------------------

    @Test
    void sinF32IsWithinOneUlpUpToTwoToThe21() {
        trigF32(Op.SIN, 9);
    }

    @Test
    void cosF32IsWithinOneUlpUpToTwoToThe21() {
        trigF32(Op.COS, 10);
    }

    @Test
    void sinF64IsWithinBoundUpToTwoToThe49() {
        trigF64(Op.SIN, 11);
    }

    @Test
    void cosF64IsWithinBoundUpToTwoToThe49() {
        trigF64(Op.COS, 12);
    }

    private static void trigF32(Op op, long seed) {
        Meter m = new Meter(op, DType.F32);
        SplittableRandom rnd = new SplittableRandom(seed);
        sweep(-10, 10, 100_000, m::f32);
        uniform(rnd, -1e5, 1e5, 50_000, m::f32);
        uniform(rnd, -SIN_RANGE_F32, SIN_RANGE_F32, 30_000, m::f32);
        logUniform(rnd, -30, Math.getExponent(SIN_RANGE_F32), 50_000, m::f32);
        for (int k = 1; k <= 4_000; k++) {             // next to multiples of pi/2
            float near = (float) (k * (Math.PI / 2));
            for (int d = -2; d <= 2; d++) {
                m.f32(Float.intBitsToFloat(Float.floatToRawIntBits(near) + d));
            }
        }
        for (float hard : HARD_TRIG_F32) {
            for (int d = -2; d <= 2; d++) {
                float x = Float.intBitsToFloat(Float.floatToRawIntBits(hard) + d);
                m.f32(x);
                m.f32(-x);
            }
        }
        m.assertWithin(F32_BOUND);
    }

    private static void trigF64(Op op, long seed) {
        Meter m = new Meter(op, DType.F64);
        SplittableRandom rnd = new SplittableRandom(seed);
        sweep(-10, 10, 100_000, m::f64);
        uniform(rnd, -1e9, 1e9, 50_000, m::f64);
        uniform(rnd, -SIN_RANGE_F64, SIN_RANGE_F64, 30_000, m::f64);
        logUniform(rnd, -40, Math.getExponent(SIN_RANGE_F64), 50_000, m::f64);
        for (int i = 0; i < 4_000; i++) {              // next to multiples of pi/2, k up to 6e8
            double k = i < 2_000 ? i + 1 : rnd.nextLong(1, 600_000_000);
            double near = Math.fma(k, 0x1.921fb54442d18p+0, k * 0x1.1a62633145c07p-54);
            for (int d = -2; d <= 2; d++) {
                m.f64(Double.longBitsToDouble(Double.doubleToRawLongBits(near) + d));
            }
        }
        for (double hard : HARD_TRIG_F64) {
            for (int d = -2; d <= 2; d++) {
                double x = Double.longBitsToDouble(Double.doubleToRawLongBits(hard) + d);
                m.f64(x);
                m.f64(-x);
            }
        }
        m.assertWithin(F64_BOUND);
    }

    // ---- accuracy: tanh ----------------------------------------------------------------------------

    @Test
    void tanhF32IsWithinOneUlpFromSubnormalsToSaturation() {
        Meter m = new Meter(Op.TANH, DType.F32);
        SplittableRandom rnd = new SplittableRandom(13);
        uniform(rnd, -12, 12, 300_000, m::f32);
        logUniform(rnd, -149, 4, 50_000, m::f32);
        sweep(0.25, 0.35, 10_000, m::f32);     // the switch from polynomial to exp
        sweep(8.5, 10.5, 5_000, m::f32);        // saturation to 1
        m.assertWithin(F32_BOUND);
    }

    @Test
    void tanhF64IsWithinBoundFromSubnormalsToSaturation() {
        Meter m = new Meter(Op.TANH, DType.F64);
        SplittableRandom rnd = new SplittableRandom(14);
        uniform(rnd, -25, 25, 300_000, m::f64);
        logUniform(rnd, -1074, 5, 50_000, m::f64);
        sweep(0.25, 0.35, 10_000, m::f64);
        sweep(18, 21, 5_000, m::f64);
        m.assertWithin(F64_BOUND);
    }

    // ---- special values: exp2, exp ------------------------------------------------------------

    @Test
    void exp2SpecialValues() {
        assertBits(Float.NaN, f32(Op.EXP2, Float.NaN));
        assertBits(Float.POSITIVE_INFINITY, f32(Op.EXP2, Float.POSITIVE_INFINITY));
        assertBits(0f, f32(Op.EXP2, Float.NEGATIVE_INFINITY));
        assertBits(Double.NaN, f64(Op.EXP2, Double.NaN));
        assertBits(Double.POSITIVE_INFINITY, f64(Op.EXP2, Double.POSITIVE_INFINITY));
        assertBits(0.0, f64(Op.EXP2, Double.NEGATIVE_INFINITY));
        assertBits(1f, f32(Op.EXP2, 0f));
        assertBits(1f, f32(Op.EXP2, -0f));
        assertBits(1.0, f64(Op.EXP2, -0.0));
    }

    @Test
    void exp2OfAnIntegerIsExactDownToTheSmallestSubnormal() {
        for (int n = -149; n <= 127; n++) {
            assertBits(Math.scalb(1f, n), f32(Op.EXP2, n));
        }
        for (int n = -1074; n <= 1023; n++) {
            assertBits(Math.scalb(1.0, n), f64(Op.EXP2, n));
        }
    }

    @Test
    void exp2OverflowsToInfinityAndUnderflowsToZeroAtTheThresholds() {
        assertBits(Float.POSITIVE_INFINITY, f32(Op.EXP2, 128f));
        assertTrue(Float.isFinite(f32(Op.EXP2, Math.nextDown(128f))));
        assertBits(0f, f32(Op.EXP2, -150f));                        // 2^-150: a tie, to even (0)
        assertBits(Float.MIN_VALUE, f32(Op.EXP2, Math.nextUp(-150f)));
        assertBits(0f, f32(Op.EXP2, -1e30f));
        assertBits(Double.POSITIVE_INFINITY, f64(Op.EXP2, 1024.0));
        assertTrue(Double.isFinite(f64(Op.EXP2, Math.nextDown(1024.0))));
        assertBits(0.0, f64(Op.EXP2, -1075.0));
        assertBits(Double.MIN_VALUE, f64(Op.EXP2, Math.nextUp(-1075.0)));
        assertBits(0.0, f64(Op.EXP2, -1e300));
    }

    @Test
    void expSpecialValues() {
        assertBits(Float.NaN, f32(Op.EXP, Float.NaN));
        assertBits(Float.POSITIVE_INFINITY, f32(Op.EXP, Float.POSITIVE_INFINITY));
        assertBits(0f, f32(Op.EXP, Float.NEGATIVE_INFINITY));
        assertBits(Double.NaN, f64(Op.EXP, Double.NaN));
        assertBits(Double.POSITIVE_INFINITY, f64(Op.EXP, Double.POSITIVE_INFINITY));
        assertBits(0.0, f64(Op.EXP, Double.NEGATIVE_INFINITY));
        assertBits(1f, f32(Op.EXP, 0f));
        assertBits(1.0, f64(Op.EXP, -0.0));
    }

    @Test
    void expOverflowsAndUnderflowsExactlyWhereTheRoundedResultDoes() {
        float maxF32 = 0x1.62e42ep6f;         // largest float whose exp rounds to a finite float
        assertTrue(Float.isFinite(f32(Op.EXP, maxF32)));
        assertBits(Float.POSITIVE_INFINITY, f32(Op.EXP, Math.nextUp(maxF32)));
        float minF32 = -0x1.9fe368p6f;        // smallest float whose exp rounds to a nonzero float
        assertBits(Float.MIN_VALUE, f32(Op.EXP, minF32));
        assertBits(0f, f32(Op.EXP, Math.nextDown(minF32)));
        double maxF64 = 0x1.62e42fefa39efp9;  // log(Double.MAX_VALUE)
        assertTrue(Double.isFinite(f64(Op.EXP, maxF64)));
        assertBits(Double.POSITIVE_INFINITY, f64(Op.EXP, Math.nextUp(maxF64)));
        double minF64 = -0x1.74910d52d3051p9; // exp rounds to Double.MIN_VALUE
        assertBits(Double.MIN_VALUE, f64(Op.EXP, minF64));
        assertBits(0.0, f64(Op.EXP, Math.nextDown(minF64)));
    }

    // ---- special values: log2, log ------------------------------------------------------------

    @Test
    void logAndLog2SpecialValues() {
        for (Op op : new Op[] {Op.LOG, Op.LOG2}) {
            for (float x : new float[] {Float.NaN, -1f, Float.NEGATIVE_INFINITY, -Float.MIN_VALUE, -Float.MAX_VALUE}) {
                assertBits(Float.NaN, f32(op, x));
            }
            for (double x : new double[] {Double.NaN, -1.0, Double.NEGATIVE_INFINITY, -Double.MIN_VALUE}) {
                assertBits(Double.NaN, f64(op, x));
            }
            assertBits(Float.NEGATIVE_INFINITY, f32(op, 0f));
            assertBits(Float.NEGATIVE_INFINITY, f32(op, -0f));
            assertBits(Double.NEGATIVE_INFINITY, f64(op, 0.0));
            assertBits(Double.NEGATIVE_INFINITY, f64(op, -0.0));
            assertBits(Float.POSITIVE_INFINITY, f32(op, Float.POSITIVE_INFINITY));
            assertBits(Double.POSITIVE_INFINITY, f64(op, Double.POSITIVE_INFINITY));
            assertBits(0f, f32(op, 1f));                               // +0 exactly
            assertBits(0.0, f64(op, 1.0));
        }
    }

    @Test
    void log2OfAPowerOfTwoIsExactIncludingSubnormals() {
        for (int n = -149; n <= 127; n++) {
            assertBits((float) n, f32(Op.LOG2, Math.scalb(1f, n)));
        }
        for (int n = -1074; n <= 1023; n++) {
            assertBits((double) n, f64(Op.LOG2, Math.scalb(1.0, n)));
        }
    }

    // ---- special values: sin, cos -------------------------------------------------------------

    @Test
    void sinAndCosOfNanAndInfinityAreNan() {
        for (Op op : new Op[] {Op.SIN, Op.COS}) {
            for (float x : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                assertBits(Float.NaN, f32(op, x));
            }
            for (double x : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertBits(Double.NaN, f64(op, x));
            }
        }
    }

    @Test
    void sinKeepsTheSignOfZeroAndTinyArgumentsAndCosOfZeroIsOne() {
        assertBits(0f, f32(Op.SIN, 0f));
        assertBits(-0f, f32(Op.SIN, -0f));
        assertBits(0.0, f64(Op.SIN, 0.0));
        assertBits(-0.0, f64(Op.SIN, -0.0));
        for (float x : new float[] {Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p-126f, -0x1p-20f}) {
            assertBits(x, f32(Op.SIN, x));
        }
        for (double x : new double[] {Double.MIN_VALUE, -Double.MIN_VALUE, 0x1p-1022, -0x1p-40}) {
            assertBits(x, f64(Op.SIN, x));
        }
        assertBits(1f, f32(Op.COS, 0f));
        assertBits(1f, f32(Op.COS, -0f));
        assertBits(1.0, f64(Op.COS, -0.0));
    }

    @Test
    void sinAndCosOfHugeArgumentsStayFiniteAndWithinUnitInterval() {
        SplittableRandom rnd = new SplittableRandom(15);
        for (Op op : new Op[] {Op.SIN, Op.COS}) {
            for (int i = 0; i < 5_000; i++) {
                float x = (float) Math.scalb(rnd.nextDouble(-1, 1), rnd.nextInt(21, 129));
                float y = f32(op, x);
                assertTrue(Float.isFinite(y) && Math.abs(y) <= 1, op + " F32 of " + x + " gave " + y);
                double xd = Math.scalb(rnd.nextDouble(-1, 1), rnd.nextInt(49, 1025));
                double yd = f64(op, xd);
                assertTrue(Double.isFinite(yd) && Math.abs(yd) <= 1, op + " F64 of " + xd + " gave " + yd);
            }
            for (float x : new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, 0x1p24f, 0x1p21f * 3}) {
                float y = f32(op, x);
                assertTrue(Float.isFinite(y) && Math.abs(y) <= 1, op + " F32 of " + x + " gave " + y);
            }
            for (double x : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, 0x1p53, 0x1p50 * 3}) {
                double y = f64(op, x);
                assertTrue(Double.isFinite(y) && Math.abs(y) <= 1, op + " F64 of " + x + " gave " + y);
            }
        }
    }

    // ---- special values: tanh -----------------------------------------------------------------

    @Test
    void tanhSpecialValues() {
        assertBits(Float.NaN, f32(Op.TANH, Float.NaN));
        assertBits(Double.NaN, f64(Op.TANH, Double.NaN));
        assertBits(1f, f32(Op.TANH, Float.POSITIVE_INFINITY));
        assertBits(-1f, f32(Op.TANH, Float.NEGATIVE_INFINITY));
        assertBits(1.0, f64(Op.TANH, Double.POSITIVE_INFINITY));
        assertBits(-1.0, f64(Op.TANH, Double.NEGATIVE_INFINITY));
        assertBits(0f, f32(Op.TANH, 0f));
        assertBits(-0f, f32(Op.TANH, -0f));
        assertBits(0.0, f64(Op.TANH, 0.0));
        assertBits(-0.0, f64(Op.TANH, -0.0));
        assertBits(Float.MIN_VALUE, f32(Op.TANH, Float.MIN_VALUE));
        assertBits(-Double.MIN_VALUE, f64(Op.TANH, -Double.MIN_VALUE));
    }

    @Test
    void tanhSaturatesToPlusMinusOne() {
        for (float x : new float[] {9.1f, 10f, 20f, 1e6f, Float.MAX_VALUE}) {
            assertBits(1f, f32(Op.TANH, x));
            assertBits(-1f, f32(Op.TANH, -x));
        }
        assertBits(Math.nextDown(1f), f32(Op.TANH, 9f));              // not yet saturated
        for (double x : new double[] {19.1, 20, 50, 1e300, Double.MAX_VALUE}) {
            assertBits(1.0, f64(Op.TANH, x));
            assertBits(-1.0, f64(Op.TANH, -x));
        }
        assertBits(Math.nextDown(1.0), f64(Op.TANH, 19.0));
    }

    @Test
    void tanhIsOddBitForBit() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int i = 0; i < 20_000; i++) {
            float x = (float) rnd.nextDouble(0, 12);
            assertBits(-f32(Op.TANH, x), f32(Op.TANH, -x));
            double xd = rnd.nextDouble(0, 25);
            assertBits(-f64(Op.TANH, xd), f64(Op.TANH, -xd));
        }
    }

    // ---- F16 and arguments ---------------------------------------------------------------------

    @Test
    void f16TranscendentalIsTheF32ResultRoundedOnceToHalf() {
        for (int h = 0; h < 0x1_0000; h++) {
            float x = ScalarOps.halfToFloat(h);
            for (Op op : TRANSCENDENTALS) {
                long expected = ScalarOps.floatToHalf(f32(op, x));
                assertEquals(expected, ScalarOps.unary(op, DType.F16, h), op + " of half 0x" + Integer.toHexString(h));
            }
            // and so exp of a half is within a half-ulp (plus the F32 error) of the true value
            float got = ScalarOps.halfToFloat(ScalarOps.unary(Op.EXP, DType.F16, h));
            double ref = StrictMath.exp(x);
            if (Float.isFinite(got) && ref <= 65504) {
                double halfUlp = Math.max(Math.scalb(1.0, Math.getExponent(ref) - 10), 0x1p-24);
                assertTrue(Math.abs(got - ref) <= 0.5 * halfUlp * (1 + 0x1p-10), "exp F16 of " + x + " gave " + got);
            }
        }
    }

    @Test
    void lowerRejectsNonFloatTypesAndNonTranscendentalOps() {
        Node i32 = Tracer.literal(DType.I32, 1);
        assertThrows(IllegalArgumentException.class, () -> MathLowering.lower(NodeMath.INSTANCE, Op.EXP, i32));
        Node f32 = Tracer.literal(DType.F32, 1);
        assertThrows(IllegalArgumentException.class, () -> MathLowering.lower(NodeMath.INSTANCE, Op.SQRT, f32));
    }

    // ---- evaluation, references, measurement ---------------------------------------------------

    private static float f32(Op op, float x) {
        return ScalarOps.asFloat(ScalarOps.unary(op, DType.F32, ScalarOps.ofFloat(x)));
    }

    private static double f64(Op op, double x) {
        return ScalarOps.asDouble(ScalarOps.unary(op, DType.F64, ScalarOps.ofDouble(x)));
    }

    private static final double INV_LN2_HI = 0x1.71547652b82fep+0;
    private static final double INV_LN2_LO = 0x1.777d0ffda0d24p-56;

    /**
     * The StrictMath value of op at x. log2 is StrictMath.log times 1/ln2 in double-double; tanh
     * is E / (E + 2) with E = StrictMath.expm1(2|x|), sum and quotient in double-double (both
     * within about 1.5 ulp, where a plain quotient or StrictMath.tanh reach 2).
     */
    static double reference(Op op, double x) {
        return switch (op) {
            case EXP2 -> StrictMath.pow(2, x);
            case EXP -> StrictMath.exp(x);
            case LOG -> StrictMath.log(x);
            case LOG2 -> {
                double l = StrictMath.log(x);
                if (!Double.isFinite(l) || l == 0) {
                    yield l;
                }
                double hi = l * INV_LN2_HI;
                yield hi + (Math.fma(l, INV_LN2_HI, -hi) + l * INV_LN2_LO);
            }
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case TANH -> {
                double a = Math.abs(x);
                if (!(a <= 22) || a == 0) {
                    yield StrictMath.tanh(x);
                }
                double e = StrictMath.expm1(2 * a);
                double dh = e + 2;
                double dl = e > 2 ? (e - dh) + 2 : (2 - dh) + e;      // Fast2Sum
                double q = e / dh;
                double rem = Math.fma(-q, dh, e) - q * dl;
                yield Math.copySign(q + rem / dh, x);
            }
            default -> throw new AssertionError(op);
        };
    }

    /** Max ulp error of one function at one type, over the samples fed to it. */
    private static final class Meter {
        private final Op op;
        private final DType type;
        private double max;
        private double worst = Double.NaN;
        private long samples;

        Meter(Op op, DType type) {
            this.op = op;
            this.type = type;
        }

        void f32(double xd) {
            float x = (float) xd;
            float got = MathLoweringTest.f32(op, x);
            double ref = reference(op, x);
            double err;
            if (Double.isNaN(ref) || Float.isNaN(got)) {
                err = Double.isNaN(ref) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
            } else if (Float.isInfinite(got) || Float.isInfinite((float) ref)) {
                err = got == (float) ref ? 0 : Double.POSITIVE_INFINITY;
            } else {
                double ulp = Math.max(Math.scalb(1.0, Math.getExponent(ref) - 23), 0x1p-149);
                err = Math.abs(got - ref) / ulp;
            }
            record(x, err);
        }

        void f64(double x) {
            double got = MathLoweringTest.f64(op, x);
            double ref = reference(op, x);
            double err;
            if (Double.isNaN(ref) || Double.isNaN(got)) {
                err = Double.isNaN(ref) && Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
            } else if (Double.isInfinite(got) || Double.isInfinite(ref)) {
                err = got == ref ? 0 : Double.POSITIVE_INFINITY;
            } else {
                double ulp = Math.max(Math.scalb(1.0, Math.getExponent(ref) - 52), Double.MIN_VALUE);
                err = Math.abs(got - ref) / ulp;
            }
            record(x, err);
        }

        private void record(double x, double err) {
            samples++;
            if (err > max || Double.isNaN(worst)) {
                max = Math.max(max, err);
                worst = x;
            }
        }

        void assertWithin(double bound) {
            String report = String.format("MathLowering accuracy: %-4s %s max %.3f ulp over %,d samples (worst at x = %s)",
                    op, type, max, samples, type == DType.F32 ? Float.toHexString((float) worst) : Double.toHexString(worst));
            System.out.println(report);
            assertTrue(max <= bound, report + " exceeds " + bound + " ulp");
        }
    }

    private static void uniform(SplittableRandom rnd, double lo, double hi, int n, DoubleConsumer sink) {
        for (int i = 0; i < n; i++) {
            sink.accept(rnd.nextDouble(lo, hi));
        }
    }

    /** +-2^u with u uniform in [minExp, maxExp). */
    private static void logUniform(SplittableRandom rnd, double minExp, double maxExp, int n, DoubleConsumer sink) {
        for (int i = 0; i < n; i++) {
            double magnitude = Math.pow(2, rnd.nextDouble(minExp, maxExp));
            sink.accept(rnd.nextBoolean() ? magnitude : -magnitude);
        }
    }

    /** n evenly spaced points from lo to hi. */
    private static void sweep(double lo, double hi, int n, DoubleConsumer sink) {
        for (int i = 0; i < n; i++) {
            sink.accept(lo + (hi - lo) * i / (n - 1));
        }
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                () -> "expected " + expected + " but was " + actual);
    }

    private static void assertBits(double expected, double actual) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                () -> "expected " + expected + " but was " + actual);
    }
}
