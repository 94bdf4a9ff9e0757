package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cooperative vectors and {@code matvec}: values against double-precision products (within the
 * ordered-sum bound of DESIGN.md "Numbers"), gradients against double-precision formulas and
 * central differences, kernel counts of a fused training step.
 */
class CoopVecTest {

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** y[r][l] = b[r] + sum_c M(r, c) x[c][l], M read from buf at offset/stride, optionally transposed. */
    private static double[][] product(double[] buf, int rows, int cols, long off, long stride, boolean t,
                                      double[][] x, double[] bias) {
        int out = t ? cols : rows;
        int in = t ? rows : cols;
        int lanes = x[0].length;
        double[][] y = new double[out][lanes];
        for (int r = 0; r < out; r++) {
            for (int l = 0; l < lanes; l++) {
                double s = bias == null ? 0 : bias[r];
                for (int c = 0; c < in; c++) {
                    long idx = t ? off + c * stride + r : off + r * stride + c;
                    s += buf[(int) idx] * x[c][l];
                }
                y[r][l] = s;
            }
        }
        return y;
    }

    @Test
    void matvecWithBiasTransposeAndOffsetViewsIntoOneBuffer() {
        int lanes = 37;
        double[] buf = random(60, 1);
        Parameter cell = new Parameter(Tensor.of(floats(buf)));
        MatrixView a = MatrixView.of(cell, 3, 4, 5, 6, Layout.TRAINING);   // strided rows
        MatrixView bias = MatrixView.of(cell, 3, 1, 40, 1, Layout.TRAINING);
        MatrixView b = MatrixView.of(cell, 4, 3, 44, 3, Layout.TRAINING);
        double[][] x = new double[4][];
        Tensor[] comps = new Tensor[4];
        for (int c = 0; c < 4; c++) {
            x[c] = random(lanes, 10 + c);
            float[] f = floats(x[c]);
            for (int l = 0; l < lanes; l++) {
                x[c][l] = f[l];
            }
            comps[c] = Tensor.of(f);
        }
        double[] bufF = new double[buf.length];
        float[] bf = floats(buf);
        for (int i = 0; i < buf.length; i++) {
            bufF[i] = bf[i];
        }
        CoopVec v = CoopVec.ofComponents(comps);
        CoopVec y = v.matvec(a, bias, false);                 // 4 -> 3
        CoopVec z = y.matvec(a, true);                        // a again, transposed, in the same kernel: 3 -> 4
        CoopVec w = z.matvec(b.t(), false);                   // b is 4 x 3; its transpose takes 4: 4 -> 3
        double[] biasV = {bufF[40], bufF[41], bufF[42]};
        double[][] ye = product(bufF, 3, 4, 5, 6, false, x, biasV);
        double[][] ze = product(bufF, 3, 4, 5, 6, true, ye, null);
        double[][] we = product(bufF, 4, 3, 44, 3, true, ze, null);
        Weft.stats().reset();
        Tensor out = w.toTensor().eval();
        assertEquals(1, Weft.stats().kernelsLaunched());
        float[] got = out.toFloatArray();
        for (int r = 0; r < 3; r++) {
            for (int l = 0; l < lanes; l++) {
                assertEquals(we[r][l], got[r * lanes + l], 1e-5, "y[" + r + "][" + l + "]");
            }
        }
        // a single product is within the ordered-sum bound of its double value
        float[] y0 = y.toTensor().toFloatArray();
        for (int r = 0; r < 3; r++) {
            for (int l = 0; l < lanes; l++) {
                double mag = Math.abs(biasV[r]);
                for (int c = 0; c < 4; c++) {
                    mag += Math.abs(bufF[5 + r * 6 + c] * x[c][l]);
                }
                assertEquals(ye[r][l], y0[r * lanes + l], 5 * Math.ulp(1f) * mag + Math.ulp((float) ye[r][l]));
            }
        }
    }

    @Test
    void halfPrecisionAccumulatesInF32AndRoundsOnce() {
        int lanes = 64;
        int k = 32;
        double[] wd = random(k, 3);
        short[] wh = new short[k];
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            wh[i] = Float.floatToFloat16((float) wd[i]);
            w[i] = Float.float16ToFloat(wh[i]);
        }
        Tensor wt = Tensor.of(floats(w), 1, k).to(DType.F16);
        double[][] x = new double[k][lanes];
        Tensor[] comps = new Tensor[k];
        for (int c = 0; c < k; c++) {
            double[] xv = random(lanes, 100 + c);
            for (int l = 0; l < lanes; l++) {
                x[c][l] = Float.float16ToFloat(Float.floatToFloat16((float) xv[l]));
            }
            comps[c] = Tensor.of(floats(x[c])).to(DType.F16);
        }
        float[] got = CoopVec.ofComponents(comps).matvec(MatrixView.of(wt), false).toTensor().to(DType.F32)
                .toFloatArray();
        int exact = 0;
        for (int l = 0; l < lanes; l++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += w[c] * x[c][l];
            }
            float once = Float.float16ToFloat(Float.floatToFloat16((float) s));
            // the F32 sum is far more accurate than half, so the result is the rounded exact sum
            // except when the exact sum lies within the F32 error of a half rounding boundary
            assertEquals(once, got[l], Math.ulp(Float.float16ToFloat(Float.floatToFloat16((float) s))) * 1.01,
                    "lane " + l);
            exact += once == got[l] ? 1 : 0;
        }
        assertTrue(exact >= lanes - 2, exact + " of " + lanes + " lanes rounded once from the exact sum");
    }

    /** loss = sum over lanes of |W2 relu(W1 x + b1)|^2 in F64, one packed buffer for all weights. */
    private static Tensor mlpLoss(Tensor packed, Tensor p, int in, int hidden, int out) {
        Parameter cell = new Parameter(packed);
        MatrixView w1 = MatrixView.of(cell, hidden, in, 0, in, Layout.TRAINING);
        MatrixView b1 = MatrixView.of(cell, hidden, 1, (long) hidden * in, 1, Layout.TRAINING);
        MatrixView w2 = MatrixView.of(cell, out, hidden, (long) hidden * in + hidden, hidden, Layout.TRAINING);
        CoopVec h = CoopVec.of(p).matvec(w1, b1, false).max(0.0);
        CoopVec y = h.matvec(w2, false);
        return y.toTensor().squaredNorm(0);
    }

    @Test
    void gradientsOfAPackedNetworkMatchFiniteDifferences() {
        int in = 3;
        int hidden = 5;
        int out = 2;
        int lanes = 11;
        int size = hidden * in + hidden + out * hidden;
        double[] wv = random(size, 21);
        double[] pv = random(in * lanes, 22);
        Tensor w = Tensor.of(wv).requiresGrad(true);
        Tensor p = Tensor.of(pv, in, lanes).requiresGrad(true);
        mlpLoss(w, p, in, hidden, out).backward();
        double[] gw = w.grad().toDoubleArray();
        double[] gp = p.grad().toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < size; i++) {
            double[] plus = wv.clone();
            double[] minus = wv.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (mlpLoss(Tensor.of(plus), Tensor.of(pv, in, lanes), in, hidden, out).sum().item()
                    - mlpLoss(Tensor.of(minus), Tensor.of(pv, in, lanes), in, hidden, out).sum().item()) / (2 * h);
            assertEquals(fd, gw[i], 1e-6 * Math.max(1, Math.abs(fd)), "dW[" + i + "]");
        }
        for (int i = 0; i < pv.length; i++) {
            double[] plus = pv.clone();
            double[] minus = pv.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (mlpLoss(Tensor.of(wv), Tensor.of(plus, in, lanes), in, hidden, out).sum().item()
                    - mlpLoss(Tensor.of(wv), Tensor.of(minus, in, lanes), in, hidden, out).sum().item()) / (2 * h);
            assertEquals(fd, gp[i], 1e-6 * Math.max(1, Math.abs(fd)), "dp[" + i + "]");
        }
    }

    @Test
    void weightGradientIsTheOuterProductSumAndRespectsPresetTargets() {
        int lanes = 9;
        double[][] x = {random(lanes, 31), random(lanes, 32)};
        double[] wv = random(6, 33);
        Tensor w = Tensor.of(wv, 3, 2).requiresGrad(true);
        w.setGrad(Tensor.full(DType.F64, 0.25, 3, 2)); // a pre-set literal target
        CoopVec v = CoopVec.ofComponents(Tensor.of(x[0]), Tensor.of(x[1]));
        CoopVec y = v.matvec(MatrixView.of(w), false);
        // loss = sum_l sum_i c_i y_i: dL/dy_i = c_i, dL/dW[i][j] = c_i * sum_l x_j
        double[] c = {1, -2, 0.5};
        Tensor loss = y.component(0).mul(c[0]).add(y.component(1).mul(c[1])).add(y.component(2).mul(c[2]));
        loss.backward();
        double[] g = w.grad().toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int l = 0; l < lanes; l++) {
                    s += c[i] * x[j][l];
                }
                assertEquals(0.25 + s, g[i * 2 + j], 1e-12);
            }
        }
        // transposed use: W^T is 2x3, takes 3 inputs; dW[i][j] = sum_l x_i g_j
        Tensor w2 = Tensor.of(wv, 3, 2).requiresGrad(true);
        CoopVec u = CoopVec.ofComponents(Tensor.of(x[0]), Tensor.of(x[1]), Tensor.of(x[0]).mul(2));
        CoopVec yt = u.matvec(MatrixView.of(w2).t(), false);
        assertEquals(2, yt.length());
        yt.component(0).add(yt.component(1).mul(3)).backward();
        double[] gt = w2.grad().toDoubleArray();
        double[][] ux = {x[0], x[1], new double[lanes]};
        for (int l = 0; l < lanes; l++) {
            ux[2][l] = 2 * x[0][l];
        }
        double[] gy = {1, 3};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int l = 0; l < lanes; l++) {
                    s += ux[i][l] * gy[j];
                }
                assertEquals(s, gt[i * 2 + j], 1e-12);
            }
        }
    }

    @Test
    void parameterCellSwapKeepsViewsAndGradientsConnected() {
        Tensor master = Tensor.of(new float[] {1, 2, 3, 4}).requiresGrad(true);
        Parameter cell = new Parameter(Tensor.zeros(DType.F16, 4));
        MatrixView a = MatrixView.of(cell, 2, 2, 0, 2, Layout.TRAINING);
        cell.set(master); // cast to F16, still differentiable
        CoopVec x = CoopVec.ofComponents(Tensor.of(new float[] {1, 1, 1}).to(DType.F16),
                Tensor.of(new float[] {2, 0, 1}).to(DType.F16));
        CoopVec y = x.matvec(a, false);
        assertArrayEquals(new float[] {5, 1, 3, 11, 3, 7}, y.toTensor().to(DType.F32).toFloatArray());
        y.toTensor().sum().backward();
        assertEquals(DType.F32, master.grad().dtype());
        // dW[i][j] = sum over lanes of x_j: (3, 3) per row
        assertArrayEquals(new float[] {3, 3, 3, 3}, master.grad().toFloatArray());
    }

    @Test
    void elementwiseOpsAndTheirCoopVecTieRules() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {2, 2, 2}).requiresGrad(true);
        CoopVec va = CoopVec.ofComponents(a);
        CoopVec vb = CoopVec.ofComponents(b);
        va.max(vb).component(0).backward();
        assertArrayEquals(new float[] {0, 1, 1}, a.grad().toFloatArray()); // a tie gives both
        assertArrayEquals(new float[] {1, 1, 0}, b.grad().toFloatArray());
        Tensor r = Tensor.of(new float[] {-1, 0, 1}).requiresGrad(true);
        CoopVec.ofComponents(r).max(0.0).component(0).backward();
        assertArrayEquals(new float[] {0, 1, 1}, r.grad().toFloatArray()); // ReLU'(0) = 1 in CoopVec mode

        Tensor x = Tensor.of(new float[] {0.5f, 2, 4}).requiresGrad(true);
        CoopVec.ofComponents(x).log2().component(0).backward();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(1 / (new float[] {0.5f, 2, 4}[i] * Math.log(2)), g[i], 1e-6);
        }
        CoopVec s = CoopVec.ofComponents(Tensor.of(new float[] {1, 2, 3})).step(2.0);
        assertArrayEquals(new float[] {0, 1, 1}, s.component(0).toFloatArray());
        CoopVec p = CoopVec.ofComponents(Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {3}));
        assertEquals(2, p.width());
        assertArrayEquals(new float[] {1, 2, 3, 3}, p.toTensor().toFloatArray());
        assertArrayEquals(new float[] {1 + 9, 4 + 9}, p.dot(p).toFloatArray());
        CoopVec q = p.fma(p, p.mul(0.5)).sub(1.0).add(Tensor.of(new float[] {10}));
        assertArrayEquals(new float[] {1 + 0.5f - 1 + 10, 4 + 1 - 1 + 10, 9 + 1.5f - 1 + 10, 9 + 1.5f - 1 + 10},
                q.toTensor().toFloatArray());
        assertEquals("CoopVec[F32, shape=(2, 2)]", p.toString());
    }

    @Test
    void aStridedBiasInAnotherCellAddsAndReceivesItsGradientAtItsElements() {
        // y = W x + b with b every third element of another buffer from offset 1; loss = sum_l (y_0 + 2 y_1)
        int lanes = 6;
        double[][] x = {random(lanes, 41), random(lanes, 42)};
        double[] wv = random(4, 43);
        double[] bv = random(8, 44);
        Tensor w = Tensor.of(wv, 2, 2).requiresGrad(true);
        Tensor bt = Tensor.of(bv).requiresGrad(true);
        MatrixView bias = MatrixView.of(new Parameter(bt), 2, 1, 1, 3, Layout.TRAINING); // elements 1 and 4
        CoopVec y = CoopVec.ofComponents(Tensor.of(x[0]), Tensor.of(x[1])).matvec(MatrixView.of(w), bias, false);
        double[] got = y.toTensor().toDoubleArray();
        for (int r = 0; r < 2; r++) {
            for (int l = 0; l < lanes; l++) {
                double e = bv[1 + 3 * r] + wv[r * 2] * x[0][l] + wv[r * 2 + 1] * x[1][l];
                assertEquals(e, got[r * lanes + l], 1e-12, "y[" + r + "][" + l + "]");
            }
        }
        y.component(0).add(y.component(1).mul(2)).sum().backward();
        // dL/db_r = lanes * c_r at the bias's own elements, 0 elsewhere
        double[] expected = new double[8];
        expected[1] = lanes;
        expected[4] = 2.0 * lanes;
        assertArrayEquals(expected, bt.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void tracingAMatvecLaunchesNothingAndReadsItsWeightsOnceTheyAreWritten() {
        // weights computed lazily: the product schedules them, and its kernel runs after theirs
        Tensor w = Tensor.arange(DType.F32, 6).mul(0.5).reshape(3, 2);
        CoopVec v = CoopVec.ofComponents(Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {3, -1}));
        long before = Weft.stats().kernelsLaunched();
        CoopVec y = v.matvec(MatrixView.of(w), false);
        Tensor t = y.toTensor();
        assertEquals(before, Weft.stats().kernelsLaunched(), "tracing launched a kernel");
        // W = [[0, 0.5], [1, 1.5], [2, 2.5]]
        assertArrayEquals(new float[] {1.5f, -0.5f, 5.5f, 0.5f, 9.5f, 1.5f}, t.toFloatArray());
    }

    @Test
    void badInputThrowsAtTheCall() {
        Tensor w = Tensor.zeros(DType.F32, 32, 16);
        CoopVec v = CoopVec.of(Tensor.zeros(DType.F32, 32, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.matvec(MatrixView.of(w), false));
        assertTrue(e.getMessage().contains("CoopVec length 32 does not match the 16 columns"), e.getMessage());
        assertEquals(16, v.matvec(MatrixView.of(w), true).length());
        IllegalStateException nd = assertThrows(IllegalStateException.class, () -> v.requiresGrad(true));
        assertTrue(nd.getMessage().contains("grad-enabled components"), nd.getMessage());
        assertFalse(v.isRequiresGrad());
        assertThrows(IllegalArgumentException.class,
                () -> v.matvec(MatrixView.of(w.to(DType.F16)), true));
        assertThrows(IllegalArgumentException.class, () -> v.add(CoopVec.of(Tensor.zeros(DType.F32, 3, 4))));
        assertThrows(IllegalArgumentException.class,
                () -> CoopVec.ofComponents(Tensor.zeros(DType.F32, 4), Tensor.zeros(DType.F32, 5)));
        assertThrows(IllegalArgumentException.class, () -> CoopVec.ofComponents());
        Parameter cell = new Parameter(Tensor.zeros(DType.F32, 10));
        assertThrows(IllegalArgumentException.class, () -> MatrixView.of(cell, 3, 4, 0, 4, Layout.TRAINING));
        assertThrows(IllegalArgumentException.class,
                () -> v.matvec(MatrixView.of(w), MatrixView.of(Tensor.zeros(DType.F32, 3)), true));
        assertNull(w.grad());
    }

    @Test
    void aTrainingStepIsOneKernelAndTwoWithAnAdamStyleUpdate() {
        int in = 2;
        int hidden = 16;
        int out = 3;
        int lanes = 4096;
        int size = hidden * in + hidden * hidden + out * hidden;
        Tensor weights = Tensor.of(floats(random(size, 41))).mul(0.3f).eval();
        Tensor m = Tensor.zeros(DType.F32, size).eval();
        Tensor target = Tensor.of(floats(random(out * lanes, 42)), out, lanes).eval();
        Tensor firstLoss = null;
        Tensor lastLoss = null;
        for (int step = 0; step < 4; step++) {
            Weft.stats().reset();
            Tensor w = weights.requiresGrad(true);
            Parameter cell = new Parameter(w);
            MatrixView w0 = MatrixView.of(cell, hidden, in, 0, in, Layout.TRAINING);
            MatrixView w1 = MatrixView.of(cell, hidden, hidden, hidden * in, hidden, Layout.TRAINING);
            MatrixView w2 = MatrixView.of(cell, out, hidden, hidden * in + hidden * hidden, hidden, Layout.TRAINING);
            Tensor t = Tensor.arange(DType.F32, 64);
            Tensor p = Tensor.meshgrid(t, t).div(64);
            CoopVec h = CoopVec.of(p).matvec(w0, false).max(0.0);
            h = h.matvec(w1, false).max(0.0);
            Tensor y = h.matvec(w2, false).toTensor();
            Tensor loss = y.sub(target).squaredNorm(0);
            loss.backward();
            Weft.eval(loss, w.grad());
            assertEquals(1, Weft.stats().kernelsLaunched(), "forward, loss and backward of step " + step);
            // Adam-style update of the packed buffer (opaque factors), evaluated with the next step's matvec
            Tensor g = w.grad();
            Tensor lr = Tensor.opaque(DType.F32, 1e-4 / (step + 1));
            try (var s = Weft.noGrad()) {
                m = m.mul(0.9).add(g.mul(0.1));
                weights = w.sub(m.mul(lr)).detach();
            }
            Weft.eval(m, weights);
            assertEquals(2, Weft.stats().kernelsLaunched(), "the update is the step's second kernel");
            if (step >= 1) {
                assertEquals(0, Weft.stats().kernelsCompiled(), "step " + step + " compiles nothing");
            }
            double l = loss.sum().item();
            if (step == 0) {
                firstLoss = loss;
                assertTrue(l > 0);
            }
            lastLoss = loss;
        }
        assertTrue(lastLoss.sum().item() < firstLoss.sum().item(), "the loss decreases");
    }
}
