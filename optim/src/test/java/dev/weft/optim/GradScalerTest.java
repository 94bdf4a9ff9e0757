package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Weft;
import org.junit.jupiter.api.Test;

/** {@link GradScaler}: reference-semantics.md §5.8 and the reference's AMP test ({@code test08_amp}). */
class GradScalerTest {

    /** One step of the reference's AMP problem: an F16 forward pass, loss {@code (x16 - 2)^2} in F32. */
    private static void ampStep(Adam opt, GradScaler scaler) {
        Tensor x16 = opt.get("x").to(DType.F16);
        Tensor u = x16.sub(2);
        scaler.scale(u.mul(u).to(DType.F32)).backward();
        scaler.step(opt);
    }

    private static Adam ampProblem() {
        Adam opt = new Adam(1);
        opt.put("x", Tensor.full(DType.F32, 1, 2, 2));
        return opt;
    }

    @Test
    void mixedPrecisionRunEndsWhereTheReferenceEnds() {
        Adam opt = ampProblem();
        GradScaler scaler = new GradScaler();
        for (int i = 0; i < 20; i++) {
            ampStep(opt, scaler);
        }
        for (float x : opt.get("x").toFloatArray()) {
            assertEquals(2.00245, x, 1e-5 * 2.00245 + 1e-8, "the reference's allclose to 2.00245");
        }
    }

    @Test
    void overflowingStepsAreSkippedTheScaleBacksOffThenTrainingProceeds() {
        Adam opt = ampProblem();
        GradScaler scaler = new GradScaler();
        // 65536 overflows F16 in the loss's gradient, 32768 in 2 * u * 32768: both steps skipped
        ampStep(opt, scaler);
        assertArrayEquals(new float[] {1, 1, 1, 1}, opt.get("x").toFloatArray());
        assertEquals(32768, scaler.scaleFactor());
        assertArrayEquals(new float[4], opt.slots().get("x").moment("m").toFloatArray(), "moments unchanged");
        ampStep(opt, scaler);
        assertArrayEquals(new float[] {1, 1, 1, 1}, opt.get("x").toFloatArray());
        assertEquals(16384, scaler.scaleFactor());
        assertEquals(0, scaler.goodSteps());
        ampStep(opt, scaler);
        assertEquals(16384, scaler.scaleFactor());
        assertEquals(1, scaler.goodSteps());
        assertEquals(3, opt.steps("x"), "Adam's t advances on skipped steps, as the reference's");
        // the first real step: g = 2 * (1 - 2) = -2 exactly, bias correction of t = 3
        float m = HostModel.lerp(-2, 0, 0.9f);
        float v = HostModel.lerp(4, 0, 0.999f);
        float f = (float) (-Math.sqrt(1 - Math.pow(0.999, 3)) / (1 - Math.pow(0.9, 3)));
        float expected = Math.fma(m * HostModel.rsqrt(v + (float) 1e-16), 1f * f, 1f);
        for (float x : opt.get("x").toFloatArray()) {
            assertEquals(expected, x);
        }
    }

    @Test
    void theScaleGrowsOnEveryGoodStepOnceTheIntervalHasPassed() {
        SGD opt = new SGD(1e-3);
        opt.put("x", Tensor.of(new float[] {1, 2}));
        GradScaler scaler = new GradScaler(1, 2, 0.5, 2);
        double[] scales = new double[5];
        for (int i = 0; i < 5; i++) {
            scaler.scale(opt.get("x").sum()).backward();
            scaler.step(opt);
            scales[i] = scaler.scaleFactor();
        }
        assertArrayEquals(new double[] {1, 1, 2, 4, 8}, scales, "the reference's rule, not PyTorch's");
    }

    @Test
    void gradientsAreUnscaledBeforeTheStep() {
        SGD opt = new SGD(0.5);
        opt.put("x", Tensor.of(new float[] {1, 2}));
        GradScaler scaler = new GradScaler(1024, 2, 0.5, 2000);
        scaler.scale(opt.get("x").mul(3).sum()).backward();
        scaler.step(opt);
        assertArrayEquals(new float[] {-0.5f, 0.5f}, opt.get("x").toFloatArray(), "x - 0.5 * 3");
    }

    @Test
    void aStepLaunchesNothingItself() {
        Adam opt = ampProblem();
        GradScaler scaler = new GradScaler();
        Tensor u = opt.get("x").sub(2);
        scaler.scale(u.mul(u)).backward();
        Weft.flush();
        Weft.stats().reset();
        scaler.step(opt);
        assertEquals(0, Weft.stats().kernelsLaunched(), "the finite check and the update stay on the device, pending");
    }

    @Test
    void withoutAScalerNanGradientsPropagateAsInTheReference() {
        SGD opt = new SGD(0.1);
        opt.put("x", Tensor.of(new float[] {1, 2}));
        opt.get("x").mul(Float.NaN).sum().backward();
        opt.step();
        for (float x : opt.get("x").toFloatArray()) {
            assertTrue(Float.isNaN(x));
        }
    }

    @Test
    void withAScalerANanGradientSkipsTheStep() {
        SGD opt = new SGD(0.1);
        opt.put("x", Tensor.of(new float[] {1, 2}));
        GradScaler scaler = new GradScaler(8, 2, 0.25, 2000);
        scaler.scale(opt.get("x").mul(Float.NaN).sum()).backward();
        scaler.step(opt);
        assertArrayEquals(new float[] {1, 2}, opt.get("x").toFloatArray());
        assertEquals(2, scaler.scaleFactor());
    }

    @Test
    void badFactorsAreTheReferencesErrors() {
        IllegalArgumentException backoff = assertThrows(IllegalArgumentException.class,
                () -> new GradScaler(65536, 2, 1, 2000));
        assertTrue(backoff.getMessage().contains("'backoff_factor' must be < 1."), backoff.getMessage());
        IllegalArgumentException growth = assertThrows(IllegalArgumentException.class,
                () -> new GradScaler(65536, 0.5, 0.5, 2000));
        assertTrue(growth.getMessage().contains("'growth_factor' must be >= 1."), growth.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(0, 2, 0.5, 2000));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(1, 2, 0.5, -1));
    }

    @Test
    void anOptimizerWithoutParametersIsLeftAlone() {
        GradScaler scaler = new GradScaler();
        scaler.step(new Adam(1e-3));
        assertEquals(65536, scaler.scaleFactor());
    }
}
