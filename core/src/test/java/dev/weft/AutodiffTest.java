package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Reverse mode against central finite differences computed in double precision on F64 inputs
 * (an independent computation: the function is evaluated again, without autodiff, at {@code x ±
 * h e_i}), plus hand-computed gradients where ties and the API contract matter.
 */
class AutodiffTest {
    private static final double H = 1e-6;

    private static double[] random(int n, long seed, double lo, double hi) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** Checks d(sum f(x))/dx for each input against central differences. */
    private static void checkGradient(Function<Tensor[], Tensor> f, double[][] values, long[][] shapes) {
        Tensor[] x = new Tensor[values.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = Tensor.of(values[k], shapes[k]).requiresGrad(true);
        }
        f.apply(x).backward();
        for (int k = 0; k < x.length; k++) {
            double[] analytic = x[k].grad().toDoubleArray();
            for (int i = 0; i < values[k].length; i++) {
                double fd = (value(f, values, shapes, k, i, H) - value(f, values, shapes, k, i, -H)) / (2 * H);
                assertEquals(fd, analytic[i], 1e-6 * Math.max(1, Math.abs(fd)),
                        "d/dx" + k + "[" + i + "]");
            }
        }
    }

    private static double value(Function<Tensor[], Tensor> f, double[][] values, long[][] shapes, int k, int i,
                                double h) {
        Tensor[] x = new Tensor[values.length];
        for (int j = 0; j < x.length; j++) {
            double[] v = values[j].clone();
            if (j == k) {
                v[i] += h;
            }
            x[j] = Tensor.of(v, shapes[j]);
        }
        return f.apply(x).sum().item();
    }

    private static void checkUnary(Function<Tensor, Tensor> f, double lo, double hi) {
        checkGradient(x -> f.apply(x[0]), new double[][] {random(7, 1, lo, hi)}, new long[][] {{7}});
    }

    @Test
    void unaryOps() {
        checkUnary(Tensor::neg, -2, 2);
        checkUnary(Tensor::abs, 0.1, 2);
        checkUnary(x -> x.abs(), -2, -0.1);
        checkUnary(Tensor::sqrt, 0.5, 3);
        checkUnary(Tensor::rsqrt, 0.5, 3);
        checkUnary(Tensor::exp, -2, 2);
        checkUnary(Tensor::exp2, -2, 2);
        checkUnary(Tensor::log, 0.5, 3);
        checkUnary(Tensor::log2, 0.5, 3);
        checkUnary(Tensor::sin, -3, 3);
        checkUnary(Tensor::cos, -3, 3);
        checkUnary(Tensor::tanh, -2, 2);
        checkUnary(Tensor::sigmoid, -3, 3);
        checkUnary(x -> x.pow(3.0), 0.5, 2);
        checkUnary(x -> x.clip(-0.5, 0.5), -1, 1);
        checkUnary(x -> x.mul(x).sum(), -1, 1);
        checkUnary(x -> x.mean(), -1, 1);
        checkUnary(x -> x.max(), -1, 1);
    }

    @Test
    void binaryOpsWithBroadcasting() {
        double[][] v = {random(15, 2, 0.5, 2), random(5, 3, 0.5, 2)};
        long[][] s = {{3, 5}, {5}};
        checkGradient(x -> x[0].add(x[1]), v, s);
        checkGradient(x -> x[0].sub(x[1]), v, s);
        checkGradient(x -> x[0].mul(x[1]), v, s);
        checkGradient(x -> x[0].div(x[1]), v, s);
        checkGradient(x -> x[0].pow(x[1]), v, s);
        checkGradient(x -> x[0].min(x[1]), v, s);
        checkGradient(x -> x[0].max(x[1]), v, s);
        checkGradient(x -> x[0].rem(x[1]), v, s);
        checkGradient(x -> Tensor.where(x[0].gt(x[1]), x[0].mul(x[1]), x[1].exp()), v, s);
        // a lane-broadcast operand ([1]) collects a lane sum
        checkGradient(x -> x[0].mul(x[1]).sin(), new double[][] {random(9, 4, -1, 1), {0.7}},
                new long[][] {{9}, {1}});
        checkGradient(x -> x[0].fma(x[1], x[2]), new double[][] {random(6, 5, -1, 1), random(6, 6, -1, 1), {0.3}},
                new long[][] {{2, 3}, {2, 3}, {1}});
    }

    @Test
    void reductionsAndViews() {
        double[][] v = {random(24, 7, -1, 1)};
        long[][] s = {{2, 3, 4}};
        checkGradient(x -> x[0].sum(1).mul(x[0].sum(1)), v, s);
        checkGradient(x -> x[0].sum(2).exp(), v, s);
        checkGradient(x -> x[0].mean(0).sin(), v, s);
        checkGradient(x -> x[0].slice(2, 1, 3).exp(), v, s);
        checkGradient(x -> x[0].get(1).mul(2), v, s);
        checkGradient(x -> x[0].reshape(4, 6).get(3).exp(), v, s);
        checkGradient(x -> x[0].reshape(6, 4).transpose().get(1).exp(), v, s);
        checkGradient(x -> Tensor.concat(1, x[0], x[0].mul(x[0])).sin(), v, s);
        checkGradient(x -> Tensor.stack(x[0].get(0), x[0].get(1).exp()).cos(), v, s);
        checkGradient(x -> x[0].squaredNorm(0), v, s);
        checkGradient(x -> Tensor.meshgrid(x[0], x[1]).exp().get(1).mul(Tensor.meshgrid(x[0], x[1]).get(0)),
                new double[][] {random(3, 8, -1, 1), random(4, 9, -1, 1)}, new long[][] {{3}, {4}});
    }

    @Test
    void flatTensorsAndIndexing() {
        // 1100 x 2: more than 1024 components, so the tensor is one flat node
        double[][] v = {random(2200, 10, -1, 1)};
        long[][] s = {{1100, 2}};
        Tensor idx = Tensor.of(new int[] {0, 5, 5, 2199, -1, 2200, 17});
        Function<Tensor[], Tensor> f = x -> x[0].mul(x[0]).gather(idx).mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7}));
        Tensor x = Tensor.of(v[0], s[0]).requiresGrad(true);
        f.apply(new Tensor[] {x}).backward();
        double[] g = x.grad().toDoubleArray();
        double[] expected = new double[2200];
        expected[0] = 2 * v[0][0];
        expected[5] = 2 * v[0][5] * (2 + 3); // a repeated index accumulates
        expected[2199] = 2 * v[0][2199] * 4;
        expected[17] = 2 * v[0][17] * 7; // out-of-range positions receive nothing
        assertArrayEquals(expected, g, 1e-12);
        // scatterAdd: d/dtarget is the identity, d/dvalues gathers
        checkGradient(y -> y[0].scatterAdd(Tensor.of(new int[] {1, 1, 3}), y[1].exp()).mul(y[0]),
                new double[][] {random(5, 11, -1, 1), random(3, 12, -1, 1)}, new long[][] {{5}, {3}});
    }

    @Test
    void matmulAndCasts() {
        double[][] v = {random(6, 13, -1, 1), random(12, 14, -1, 1)};
        checkGradient(x -> x[0].matmul(x[1]).sin(), v, new long[][] {{2, 3}, {3, 4}});
        checkGradient(x -> x[0].reshape(2, 1, 3).matmul(x[1].reshape(2, 3, 2)).exp(), v,
                new long[][] {{6}, {12}});
        // through F32 and back: the cotangent is cast at each step
        Tensor x = Tensor.of(new double[] {0.5, 1.5}).requiresGrad(true);
        x.to(DType.F32).mul(3).to(DType.F64).mul(x).backward();
        assertArrayEquals(new double[] {3, 9}, x.grad().toDoubleArray(), 1e-12);
        assertEquals(DType.F64, x.grad().dtype());
    }

    @Test
    void matmulWithTransposedOperandsInEveryCombination() {
        double[][] v = {random(12, 15, -1, 1), random(24, 16, -1, 1)};
        // 2 matrices of 2x3 (read as 3x2 when transposed) and 2 of 3x4 (4x3): op(a) is 3 x 2 or 2 x 3
        checkGradient(x -> x[0].reshape(2, 3, 2).matmul(x[1].reshape(2, 3, 4), true, false).sin(), v,
                new long[][] {{12}, {24}});
        checkGradient(x -> x[0].reshape(2, 2, 3).matmul(x[1].reshape(2, 4, 3), false, true).sin(), v,
                new long[][] {{12}, {24}});
        checkGradient(x -> x[0].reshape(2, 3, 2).matmul(x[1].reshape(2, 4, 3), true, true).exp(), v,
                new long[][] {{12}, {24}});
        checkGradient(x -> x[0].reshape(6, 2).matmul(x[0].reshape(6, 2), true, false).sin(),
                new double[][] {v[0]}, new long[][] {{12}});
    }

    @Test
    void tieRulesOfTensorMode() {
        // min gives ties to the first operand, max to the second (reference-semantics.md §4.5)
        Tensor a = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {2, 2, 2}).requiresGrad(true);
        a.min(b).backward();
        assertArrayEquals(new double[] {1, 1, 0}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1}, b.grad().toDoubleArray());
        Tensor c = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        Tensor d = Tensor.of(new double[] {2, 2, 2}).requiresGrad(true);
        c.max(d).backward();
        assertArrayEquals(new double[] {0, 0, 1}, c.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0}, d.grad().toDoubleArray());
        // ReLU as max(x, 0) has derivative 0 at 0 in tensor mode
        Tensor r = Tensor.of(new double[] {-1, 0, 1}).requiresGrad(true);
        r.max(0).backward();
        assertArrayEquals(new double[] {0, 0, 1}, r.grad().toDoubleArray());
    }

    @Test
    void gradientsAccumulateAndCanBePreset() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        x.mul(x).backward();
        x.mul(3).backward();
        assertArrayEquals(new double[] {2 + 3, 4 + 3}, x.grad().toDoubleArray());
        x.setGrad(Tensor.of(new double[] {10, 20}));
        x.mul(x).backward();
        assertArrayEquals(new double[] {12, 24}, x.grad().toDoubleArray());
        x.setGrad(null);
        assertNull(x.grad());
        // a pre-set gradient under a scatter-type adjoint (gather) is the starting value
        Tensor t = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        t.setGrad(Tensor.full(DType.F64, 0.5, 3));
        t.gather(Tensor.of(new int[] {2, 2})).sum().backward();
        assertArrayEquals(new double[] {0.5, 0.5, 2.5}, t.grad().toDoubleArray());
    }

    /** A cotangent of lower rank than its input (a [] sum of a [1, 1] value) fits by its trailing axes. */
    @Test
    void cotangentsOfLowerRankFitTheirInput() {
        Tensor x = Tensor.of(new double[] {3}, 1, 1).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new long[] {1, 1}, x.grad().shape());
        assertArrayEquals(new double[] {6}, x.grad().toDoubleArray());
        Tensor y = Tensor.of(new double[] {1, 2, 3}, 1, 3).requiresGrad(true);
        y.mul(Tensor.of(new double[] {1, 10, 100, 1000, 10000, 100000}, 2, 3)).sum().backward();
        assertArrayEquals(new double[] {1001, 10010, 100100}, y.grad().toDoubleArray());
    }

    /**
     * DESIGN.md "Numbers": gradients of F16 values are summed in F32 and rounded to F16 once. 50
     * uses of x, each contributing 1 + 2^-10, sum to 50.048828125, whose F16 rounding is 50.0625;
     * adding in F16 would round at every step (from 5 on) and drift. The same through a gather,
     * whose adjoint scatter-adds.
     */
    @Test
    void f16GradientsAccumulateInF32AndRoundOnce() {
        float c = 1 + 0x1p-10f;
        double exact = 50 * (double) c;
        float expected = Float.float16ToFloat(Float.floatToFloat16((float) exact));
        assertEquals(50.0625f, expected);
        Tensor x = Tensor.of(new float[] {2}).to(DType.F16).requiresGrad(true);
        Tensor loss = null;
        for (int k = 0; k < 50; k++) {
            Tensor term = x.mul(c);
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        assertEquals(DType.F16, x.grad().dtype());
        assertEquals(expected, x.grad().to(DType.F32).item());

        Tensor t = Tensor.of(new float[] {1, 2}).to(DType.F16).requiresGrad(true);
        int[] zeros = new int[50];
        t.gather(Tensor.of(zeros)).mul(c).sum().backward();
        assertArrayEquals(new float[] {expected, 0}, t.grad().to(DType.F32).toFloatArray());
    }

    @Test
    void retainGradDetachAndNoGrad() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor y = x.mul(x).retainGrad();
        Tensor z = y.mul(3);
        z.backward();
        assertArrayEquals(new double[] {3, 3}, y.grad().toDoubleArray());
        assertNull(z.grad());
        assertArrayEquals(new double[] {6, 12}, x.grad().toDoubleArray());

        Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor d = w.mul(2).detach();
        assertFalse(d.isRequiresGrad());
        assertArrayEquals(new double[] {2, 4}, d.toDoubleArray());
        try (var s = Weft.noGrad()) {
            assertFalse(w.mul(w).isRequiresGrad());
        }
        assertTrue(w.mul(w).isRequiresGrad());
        // integer results carry no gradient
        assertFalse(w.gt(1).isRequiresGrad());
        assertFalse(w.floor().isRequiresGrad());
    }

    @Test
    void badInputLeavesStateIntact() {
        Tensor plain = Tensor.of(new double[] {1, 2});
        IllegalStateException e = assertThrows(IllegalStateException.class, plain::backward);
        assertTrue(e.getMessage().contains("requiresGrad(true)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[] {1}).requiresGrad(true));
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.of(new double[] {1, 2, 3})));
        assertNull(x.grad());
        Tensor y = x.mul(x);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        y.backward();
        IllegalStateException again = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(again.getMessage().contains("released"), again.getMessage());
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray());
    }

    @Test
    void forwardAndBackwardFuseIntoOneKernel() {
        Tensor p = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3).requiresGrad(true);
        p.eval();
        Tensor loss = p.sin().mul(p).squaredNorm(0);
        Weft.stats().reset();
        loss.backward();
        Weft.eval(loss, p.grad());
        assertEquals(1, Weft.stats().kernelsLaunched(), "forward, loss and gradient over the same lanes");
        float[] g = p.grad().toFloatArray();
        float[] v = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        for (int i = 0; i < 6; i++) {
            double f = Math.sin(v[i]) * v[i];
            double df = Math.cos(v[i]) * v[i] + Math.sin(v[i]);
            assertEquals(2 * f * df, g[i], 1e-6);
        }
    }
}
