package dev.weft.conformance;

import static dev.weft.conformance.GradientPrograms.doubles;
import static dev.weft.conformance.GradientPrograms.eps;
import static dev.weft.conformance.GradientPrograms.gradientCase;
import static dev.weft.conformance.GradientPrograms.round;
import static dev.weft.conformance.GradientPrograms.tags;
import static dev.weft.conformance.GradientPrograms.uniform;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The autodiff contract around the rules (DESIGN.md "Parameters and autodiff"): gradients
 * accumulate over uses, over backward passes and onto a pre-set gradient; {@code retainGrad}
 * keeps an intermediate's gradient; {@code detach} and {@code Weft.noGrad()} cut the graph; a
 * released graph and a tensor without gradients refuse {@code backward()}. Composite programs
 * are checked against central finite differences (Richardson-extrapolated) of the same program
 * written on the host in double, and a forward and backward pass over the same lanes is one
 * kernel.
 */
public final class AutodiffCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "autodiff";
    private static final int N = 29;

    @Override
    @SuppressWarnings("try") // the no-grad scope is held for its effect
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        out.add(twoUses());
        out.add(presetGradient());
        out.add(twoBackwardPasses());
        out.add(retainedIntermediate());
        out.add(detachCutsOnePath());
        out.add(composite(DType.F32));
        out.add(composite(DType.F64));
        out.add(tensorMlp());
        out.add(oneKernel());
        out.add(Checks.throwing(GROUP + "/backward-without-gradients", GROUP,
                "Tensor.of(1, 2).backward(): IllegalStateException", () -> Tensor.of(new float[] {1, 2}).backward(),
                IllegalStateException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/backward-twice", GROUP,
                "y = x * x; y.backward(); y.backward(): the graph was released", () -> {
                    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
                    Tensor y = x.mul(x);
                    y.backward();
                    y.backward();
                }, IllegalStateException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/backward-of-no-grad-result", GROUP,
                "inside Weft.noGrad(): (x * x).backward() has nothing to differentiate", () -> {
                    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
                    Tensor y;
                    try (var s = Weft.noGrad()) {
                        y = x.mul(x);
                    }
                    y.backward();
                }, IllegalStateException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/set-grad-of-wrong-shape", GROUP,
                "x [2].setGrad(a [3]): IllegalArgumentException", () -> Tensor.of(new float[] {1, 2}).requiresGrad(true)
                        .setGrad(Tensor.of(new float[] {1, 2, 3})), IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/integer-requires-grad", GROUP,
                "Tensor.of(int[]).requiresGrad(true): IllegalArgumentException",
                () -> Tensor.of(new int[] {1, 2}).requiresGrad(true), IllegalArgumentException.class, Tag.I32));
        return out;
    }

    /** x * x: the rule adds w x once per operand, so dx = 2 round(w x), exactly. */
    private static ConformanceCase twoUses() {
        return timesItself("two-uses", "x.mul(x) weighted by w: dx = 2 round(w x)", x -> x.mul(x), 2);
    }

    /** x.detach() * x: only the second operand carries gradient, so dx = round(w x), not twice that. */
    private static ConformanceCase detachCutsOnePath() {
        return timesItself("detach", "x.detach().mul(x) weighted by w: dx = round(w x)", x -> x.detach().mul(x), 1);
    }

    /** A product of x with itself (or its detached value): dx = {@code uses} round(w x), exactly. */
    private static ConformanceCase timesItself(String name, String text, UnaryOperator<Tensor> program, int uses) {
        DType t = DType.F32;
        String id = GROUP + "/" + name;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, text,
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -3, 3, N), uniform(t, r, -2, 2, N)};
                },
                x -> program.apply(x[0]),
                in -> {
                    double[] x = doubles(in[0]);
                    double[] w = doubles(in[1]);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < N; i++) {
                        g.exact(uses * round(t, w[i] * x[i]));
                    }
                    return g;
                }, tags(t));
    }

    /** A gradient set before backward() is added to: g + round(3 w). */
    private static ConformanceCase presetGradient() {
        DType t = DType.F32;
        String id = GROUP + "/preset-gradient";
        float[][] v = values(id, 3);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "x.setGrad(g); (x * 3 * w).sum().backward(): g + round(3 w)",
                () -> {
                    Tensor x = Tensor.of(v[0]).requiresGrad(true);
                    x.setGrad(Tensor.of(v[1]));
                    x.mul(3).mul(Tensor.of(v[2])).sum().backward();
                    return x.grad();
                },
                () -> {
                    float[] e = new float[N];
                    for (int i = 0; i < N; i++) {
                        e[i] = v[1][i] + 3 * v[2][i]; // float arithmetic: the same two roundings
                    }
                    return new Expected.Exact(Values.ofFloats(e, N));
                }, Tag.F32);
    }

    /** Two backward passes through different graphs accumulate into the same leaf: w1 + w2. */
    private static ConformanceCase twoBackwardPasses() {
        String id = GROUP + "/two-backward-passes";
        float[][] v = values(id, 3);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "(x * w1).sum().backward(); (x * w2).sum().backward()",
                () -> {
                    Tensor x = Tensor.of(v[0]).requiresGrad(true);
                    x.mul(Tensor.of(v[1])).sum().backward();
                    x.mul(Tensor.of(v[2])).sum().backward();
                    return x.grad();
                },
                () -> {
                    float[] e = new float[N];
                    for (int i = 0; i < N; i++) {
                        e[i] = v[1][i] + v[2][i];
                    }
                    return new Expected.Exact(Values.ofFloats(e, N));
                }, Tag.F32);
    }

    /** y = 2x retained, z = y * y * w: y.grad = 2 round(w y), x.grad = 2 y.grad (both exact). */
    private static ConformanceCase retainedIntermediate() {
        String id = GROUP + "/retain-grad";
        float[][] v = values(id, 2);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT,
                "y = x * 2; y.retainGrad(); (y * y * w).sum().backward(): concat(y.grad, x.grad)",
                () -> {
                    Tensor x = Tensor.of(v[0]).requiresGrad(true);
                    Tensor y = x.mul(2);
                    y.retainGrad();
                    y.mul(y).mul(Tensor.of(v[1])).sum().backward();
                    return Tensor.concat(0, y.grad(), x.grad());
                },
                () -> {
                    float[] e = new float[2 * N];
                    for (int i = 0; i < N; i++) {
                        float y = v[0][i] * 2;
                        e[i] = 2 * (v[1][i] * y);
                        e[N + i] = 2 * e[i];
                    }
                    return new Expected.Exact(Values.ofFloats(e, 2 * N));
                }, Tag.F32);
    }

    private static float[][] values(String id, int count) {
        SplittableRandom r = new SplittableRandom(id.hashCode());
        float[][] v = new float[count][N];
        for (float[] a : v) {
            for (int i = 0; i < N; i++) {
                a[i] = (float) (r.nextDouble() * 4 - 2);
            }
        }
        return v;
    }

    /**
     * z = tanh(x y + sin x) * exp(y) weighted by w; dx and dy against finite differences of the
     * same formula on the host. Bound: 32 eps times the magnitude of the chain's terms,
     * {@code |w| e^y (1 + t^2)(|y| + |cos x| + |x| + 1)}, plus the finite difference's own error.
     */
    private static ConformanceCase composite(DType t) {
        String id = GROUP + "/composite/" + t;
        return gradientCase(id, GROUP, ResultClass.POLYNOMIAL,
                "x.mul(y).add(x.sin()).tanh().mul(y.exp()) weighted by w, x and y in [-1, 1]: finite differences",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -1, 1, N), uniform(t, r, -1, 1, N), uniform(t, r, -2, 2, N)};
                },
                x -> x[0].mul(x[1]).add(x[0].sin()).tanh().mul(x[1].exp()),
                in -> {
                    double[] x = doubles(in[0]);
                    double[] y = doubles(in[1]);
                    double[] w = doubles(in[2]);
                    Gradients g = new Gradients(t);
                    for (int pass = 0; pass < 2; pass++) {
                        for (int i = 0; i < N; i++) {
                            double xi = x[i];
                            double yi = y[i];
                            double wi = w[i];
                            ToDoubleFunction<double[]> f = p -> wi * StrictMath.tanh(p[0] * p[1] + StrictMath.sin(p[0]))
                                    * StrictMath.exp(p[1]);
                            double d = FiniteDifferences.partial(f, new double[] {xi, yi}, pass);
                            double th = StrictMath.tanh(xi * yi + StrictMath.sin(xi));
                            double mag = Math.abs(wi) * StrictMath.exp(yi) * (1 + th * th)
                                    * (Math.abs(yi) + Math.abs(StrictMath.cos(xi)) + Math.abs(xi) + 1);
                            g.add(d, 32 * eps(t) * mag + FiniteDifferences.ERROR * (1 + Math.abs(d)));
                        }
                    }
                    return g;
                }, tags(t));
    }

    /**
     * A tensor-mode MLP in F64, mean((tanh(x W1) W2 - target)^2), differentiated in x, W1 and W2
     * at once, against finite differences of the host forward pass.
     */
    private static ConformanceCase tensorMlp() {
        DType t = DType.F64;
        String id = GROUP + "/tensor-mlp/F64";
        int b = 6;
        int in = 3;
        int h = 5;
        int o = 2;
        Values target = uniform(t, new SplittableRandom(~id.hashCode()), -1, 1, b, o);
        double[] targetValues = doubles(target);
        return gradientCase(id, GROUP, ResultClass.ORDERED_SUM,
                "((x [6,3] @ W1 [3,5]).tanh() @ W2 [5,2] - target).squared().mean(): dx, dW1, dW2 by finite differences",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -1, 1, b, in), uniform(t, r, -1, 1, in, h), uniform(t, r, -1, 1, h, o),
                        uniform(t, r, 0.5, 2)};
                },
                x -> {
                    Tensor d = x[0].matmul(x[1]).tanh().matmul(x[2]).sub(DeviceIo.upload(target));
                    return d.mul(d).mean();
                },
                v -> {
                    double[][] p = {doubles(v[0]), doubles(v[1]), doubles(v[2])};
                    double w = v[3].value(0);
                    Gradients g = new Gradients(t);
                    for (int k = 0; k < 3; k++) {
                        for (int e = 0; e < p[k].length; e++) {
                            int which = k;
                            int at = e;
                            ToDoubleFunction<double[]> f = q -> {
                                double[][] c = {p[0].clone(), p[1].clone(), p[2].clone()};
                                c[which][at] = q[0];
                                return w * mlpLoss(c[0], c[1], c[2], targetValues, b, in, h, o);
                            };
                            double d = FiniteDifferences.partial(f, new double[] {p[k][e]}, 0);
                            g.add(d, FiniteDifferences.ERROR * (1 + Math.abs(d)));
                        }
                    }
                    return g;
                }, tags(t));
    }

    private static double[] mlpOutput(double[] x, double[] w1, double[] w2, int b, int in, int h, int o) {
        double[] y = new double[b * o];
        for (int r = 0; r < b; r++) {
            double[] hidden = new double[h];
            for (int j = 0; j < h; j++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w1[i * h + j];
                }
                hidden[j] = StrictMath.tanh(s);
            }
            for (int k = 0; k < o; k++) {
                double s = 0;
                for (int j = 0; j < h; j++) {
                    s += hidden[j] * w2[j * o + k];
                }
                y[r * o + k] = s;
            }
        }
        return y;
    }

    private static double mlpLoss(double[] x, double[] w1, double[] w2, double[] target, int b, int in, int h, int o) {
        double[] y = mlpOutput(x, w1, w2, b, in, h, o);
        double s = 0;
        for (int e = 0; e < y.length; e++) {
            s += (y[e] - target[e]) * (y[e] - target[e]);
        }
        return s / y.length;
    }

    /** Forward, loss and backward over the same lanes: one kernel, values as in the host formula. */
    private static ConformanceCase oneKernel() {
        String id = GROUP + "/forward-and-backward-in-one-kernel";
        float[][] v = values(id, 1);
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.F32, Tag.STATS), ResultClass.POLYNOMIAL,
                "l = (p.sin() * p)^2 summed; l.backward(); Weft.eval(l, p.grad()): one kernel launched", device -> {
                    Tensor p = Tensor.of(v[0]).requiresGrad(true);
                    p.eval();
                    Tensor loss = p.sin().mul(p).squaredNorm(0);
                    long before = Weft.stats().kernelsLaunched();
                    loss.backward();
                    Weft.eval(loss, p.grad());
                    long launched = Weft.stats().kernelsLaunched() - before;
                    if (launched != 1) {
                        return Outcome.failed("forward, loss and gradient took " + launched + " kernels, expected 1");
                    }
                    Gradients g = new Gradients(DType.F32);
                    for (float x : v[0]) {
                        double f = StrictMath.sin(x) * x;
                        double df = StrictMath.cos(x) * x + StrictMath.sin(x);
                        g.add(2 * f * df, 16 * eps(DType.F32) * 2 * Math.abs(f) * (Math.abs(x) + 1));
                    }
                    return g.expected().compare(DeviceIo.read(p.grad()));
                });
    }
}
