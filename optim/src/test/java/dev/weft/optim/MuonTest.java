package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Parameterized;
import dev.weft.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Muon against the values the reference pins for a 2x2 problem (Dr.Jit's {@code test11b_muon},
 * tolerance 1e-4 as there) and against a double-precision model of §5.7 written here.
 */
class MuonTest {
    private static final float[] X0 = {1, 2, 3, 4};
    private static final float[] TARGET = {0.5f, 1, 1.5f, 2};

    /** The quintic Newton-Schulz iteration on one row-major M x N matrix, in double. */
    static double[] newtonSchulz(double[] u, int rows, int cols, int steps) {
        double norm = 0;
        for (double x : u) {
            norm += x * x;
        }
        double inv = 1 / (Math.sqrt(norm) + 1e-7);
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[i][j] = u[i * cols + j] * inv;
            }
        }
        boolean tall = rows > cols;
        for (int s = 0; s < steps; s++) {
            double[][] a = tall ? product(transpose(x), x) : product(x, transpose(x));
            double[][] aa = product(a, a);
            double[][] b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    b[i][j] = -4.7750 * a[i][j] + 2.0315 * aa[i][j];
                }
            }
            double[][] bx = tall ? product(x, b) : product(b, x);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[i][j] = 3.4445 * x[i][j] + bx[i][j];
                }
            }
        }
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x[i], 0, out, i * cols, cols);
        }
        return out;
    }

    private static double[][] product(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Muon (momentum 0.95, Nesterov, 5 iterations) on sum((x - target)^2), in double. */
    static double[][] hostTrajectory(double lr, double[] x, double[] target, int rows, int cols, int steps) {
        double[] m = new double[x.length];
        double[][] out = new double[steps][];
        double scale = Math.sqrt(Math.max(1, (double) rows / cols));
        for (int s = 0; s < steps; s++) {
            double[] u = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double g = 2 * (x[i] - target[i]);
                m[i] = 0.95 * m[i] + g;
                u[i] = 0.95 * m[i] + g;
            }
            double[] o = newtonSchulz(u, rows, cols, 5);
            for (int i = 0; i < x.length; i++) {
                x[i] -= lr * scale * o[i];
            }
            out[s] = x.clone();
        }
        return out;
    }

    private static float[][] run(Muon opt, float[] x0, float[] target, long rows, long cols, int steps) {
        opt.put("x", Tensor.of(x0, rows, cols));
        Tensor t = Tensor.of(target, rows, cols);
        float[][] out = new float[steps][];
        for (int s = 0; s < steps; s++) {
            Tensor d = opt.get("x").sub(t);
            d.mul(d).sum().backward();
            opt.step();
            out[s] = opt.get("x").toFloatArray();
        }
        return out;
    }

    @Test
    void fiveStepsOnA2x2ProblemMatchTheReference() {
        double[][] pinned = {
            {1.068066120147705, 1.9174460172653198, 2.925870418548584, 3.9740560054779053},
            {1.1246968507766724, 1.843029260635376, 2.8568994998931885, 3.9446542263031006},
            {1.168973445892334, 1.7773514986038208, 2.7934353351593018, 3.9114456176757812},
            {1.082324504852295, 1.803946614265442, 2.787897825241089, 3.8374311923980713},
            {1.1550300121307373, 1.7182414531707764, 2.7118663787841797, 3.8130948543548584}};
        double[][] host = hostTrajectory(0.1, new double[] {1, 2, 3, 4}, new double[] {0.5, 1, 1.5, 2}, 2, 2, 5);
        float[][] actual = run(new Muon(0.1), X0, TARGET, 2, 2, 5);
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(pinned[s][i], actual[s][i], 1e-4, "step " + (s + 1) + " element " + i + " (reference)");
                assertEquals(host[s][i], actual[s][i], 1e-4, "step " + (s + 1) + " element " + i + " (double model)");
            }
        }
    }

    @Test
    void tallAndWideMatricesFollowTheDoubleModel() {
        float[] x0 = new float[12];
        float[] target = new float[12];
        for (int i = 0; i < 12; i++) {
            x0[i] = (float) Math.sin(i + 1);
            target[i] = (float) Math.cos(2 * i) / 2;
        }
        double[] x0d = new double[12];
        double[] targetd = new double[12];
        for (int i = 0; i < 12; i++) {
            x0d[i] = x0[i];
            targetd[i] = target[i];
        }
        for (int[] shape : new int[][] {{4, 3}, {3, 4}, {6, 2}}) {
            double[][] host = hostTrajectory(0.05, x0d.clone(), targetd, shape[0], shape[1], 4);
            float[][] actual = run(new Muon(0.05), x0, target, shape[0], shape[1], 4);
            for (int s = 0; s < 4; s++) {
                for (int i = 0; i < 12; i++) {
                    assertEquals(host[s][i], actual[s][i], 2e-5, shape[0] + "x" + shape[1] + " step " + (s + 1));
                }
            }
        }
    }

    @Test
    void parametersOfOneShapeAreOrthogonalizedTogetherAsIfApart() {
        Muon both = new Muon(0.05);
        Muon alone = new Muon(0.05);
        float[] a = {0.3f, -1, 2, 0.5f, 1.5f, -0.25f};
        float[] b = {1, 2, -0.5f, 0.75f, -2, 1};
        both.put("a", Tensor.of(a, 2, 3));
        both.put("b", Tensor.of(b, 2, 3));
        alone.put("a", Tensor.of(a, 2, 3));
        for (Muon opt : new Muon[] {both, alone}) {
            for (String k : opt.keySet()) {
                Tensor x = opt.get(k);
                x.mul(x).mul(x).sum().backward();
            }
            opt.step();
        }
        float[] together = both.get("a").toFloatArray();
        float[] apart = alone.get("a").toFloatArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(apart[i], together[i], 1e-6, "element " + i);
        }
    }

    @Test
    void updateTakesOnly2dParametersAndPutRefusesOthers() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        params.put("b", Tensor.of(new float[] {1, 2}));
        Parameterized net = () -> params;
        Muon opt = new Muon(0.01);
        opt.update(net);
        assertEquals(java.util.Set.of("w"), opt.keySet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.put("b", Tensor.of(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("Muon requires 2-D parameters; got shape [2] for 'b'"), e.getMessage());
        assertEquals(1, opt.size());
    }
}
