package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Transcendental tensor ops run the core's polynomials (DESIGN.md "Numbers"): accurate against
 * StrictMath in double, and a constant folded on the host equals the same value computed in a
 * kernel, bit for bit.
 */
class TranscendentalTest {
    private static final int N = 4099;

    private static float[] inputs(double lo, double hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return x;
    }

    private static double maxUlpError(UnaryOperator<Tensor> op, DoubleUnaryOperator exact, float[] x) {
        float[] got = op.apply(Tensor.of(x)).toFloatArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = exact.applyAsDouble(x[i]);
            float ref = (float) e;
            double ulp = Math.ulp(ref == 0 ? Float.MIN_NORMAL : ref);
            worst = Math.max(worst, Math.abs(got[i] - e) / ulp);
        }
        return worst;
    }

    @Test
    void expIsWithinTwoUlp() {
        assertTrue(maxUlpError(Tensor::exp, StrictMath::exp, inputs(-80, 80, 1)) <= 2);
    }

    @Test
    void exp2IsWithinTwoUlp() {
        assertTrue(maxUlpError(Tensor::exp2, x -> StrictMath.pow(2, x), inputs(-120, 120, 2)) <= 2);
    }

    @Test
    void logIsWithinTwoUlp() {
        assertTrue(maxUlpError(Tensor::log, StrictMath::log, inputs(1e-30, 1e30, 3)) <= 2);
        assertTrue(maxUlpError(Tensor::log, StrictMath::log, inputs(0.5, 2, 4)) <= 2);
    }

    @Test
    void log2IsWithinTwoUlp() {
        assertTrue(maxUlpError(Tensor::log2, x -> StrictMath.log(x) / StrictMath.log(2), inputs(1e-20, 1e20, 5)) <= 2);
    }

    @Test
    void sinAndCosAreWithinTwoUlpOverSeveralPeriods() {
        float[] x = inputs(-100, 100, 6);
        assertTrue(maxUlpError(Tensor::sin, StrictMath::sin, x) <= 2);
        assertTrue(maxUlpError(Tensor::cos, StrictMath::cos, x) <= 2);
    }

    @Test
    void tanhIsWithinTwoUlp() {
        assertTrue(maxUlpError(Tensor::tanh, StrictMath::tanh, inputs(-10, 10, 7)) <= 2);
        assertTrue(maxUlpError(Tensor::tanh, StrictMath::tanh, inputs(-1e-3, 1e-3, 8)) <= 2);
    }

    @Test
    void sigmoidMatchesItsDefinition() {
        float[] x = inputs(-20, 20, 9);
        assertTrue(maxUlpError(Tensor::sigmoid, v -> 1 / (1 + StrictMath.exp(-v)), x) <= 4);
    }

    @Test
    void powMatchesStrictMathForPositiveBases() {
        float[] x = inputs(0.01, 10, 10);
        assertTrue(maxUlpError(t -> t.pow(2.5), v -> StrictMath.pow(v, 2.5), x) <= 8);
    }

    @Test
    void powOfNegativeBaseFollowsTheExponentsParity() {
        float[] got = Tensor.of(new float[] {-2, -2, -2, 0, 0, 5}).pow(Tensor.of(new float[] {3, 2, 0.5f, 2, -1, 0}))
                .toFloatArray();
        assertEquals(-8f, got[0], 1e-5f);
        assertEquals(4f, got[1], 1e-5f);
        assertTrue(Float.isNaN(got[2]));
        assertEquals(0f, got[3]);
        assertEquals(Float.POSITIVE_INFINITY, got[4]);
        assertEquals(1f, got[5]);
    }

    @Test
    void specialValuesFollowIeee() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[] e = Tensor.of(new float[] {nan, inf, -inf, 0}).exp().toFloatArray();
        assertTrue(Float.isNaN(e[0]));
        assertEquals(inf, e[1]);
        assertEquals(0f, e[2]);
        assertEquals(1f, e[3]);
        float[] l = Tensor.of(new float[] {-1, 0, inf, 1}).log().toFloatArray();
        assertTrue(Float.isNaN(l[0]));
        assertEquals(-inf, l[1]);
        assertEquals(inf, l[2]);
        assertEquals(0f, l[3]);
    }

    @Test
    void foldedConstantEqualsKernelResultBitForBit() {
        double[] samples = {0.7, -3.25, 12.5, 1e-3, 88.0};
        for (double v : samples) {
            float folded = (float) Tensor.full(DType.F32, v).exp().sin().tanh().item();
            float kernel = Tensor.of(new float[] {(float) v}).exp().sin().tanh().toFloatArray()[0];
            assertEquals(Float.floatToRawIntBits(folded), Float.floatToRawIntBits(kernel), "at " + v);
        }
    }

    @Test
    void f16CompositeOpsRoundTheF32ResultOnce() {
        float[] x = {0.1f, 1.5f, 2.75f, 7f};
        Tensor half = Tensor.of(x).to(DType.F16);
        Tensor single = half.to(DType.F32);
        float[][] got = {half.rsqrt().toFloatArray(), half.sigmoid().toFloatArray(), half.pow(1.5).toFloatArray()};
        float[][] wide = {single.rsqrt().toFloatArray(), single.sigmoid().toFloatArray(),
                          single.pow(1.5).toFloatArray()};
        for (int k = 0; k < got.length; k++) {
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(wide[k][i])), got[k][i], "op " + k + " at " + x[i]);
            }
        }
    }

    @Test
    void integerBaseToAFractionalPowerComputesInF32() {
        float[] got = Tensor.of(new int[] {4, 9}).pow(0.5).toFloatArray();
        assertEquals(2f, got[0], 2e-7f);
        assertEquals(3f, got[1], 4e-7f);
    }

    @Test
    void f16TranscendentalRoundsTheF32ResultOnce() {
        float[] x = {0.1f, 1.5f, -2.75f, 7f};
        float[] half = Tensor.of(x).to(DType.F16).exp().toFloatArray();
        float[] single = Tensor.of(x).to(DType.F16).to(DType.F32).exp().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(single[i])), half[i], "at " + x[i]);
        }
    }
}
