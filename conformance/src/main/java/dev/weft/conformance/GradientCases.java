package dev.weft.conformance;

import static dev.weft.conformance.GradientPrograms.doubles;
import static dev.weft.conformance.GradientPrograms.eps;
import static dev.weft.conformance.GradientPrograms.gradientCase;
import static dev.weft.conformance.GradientPrograms.pairs;
import static dev.weft.conformance.GradientPrograms.round;
import static dev.weft.conformance.GradientPrograms.tags;
import static dev.weft.conformance.GradientPrograms.uniform;

import dev.weft.DType;
import dev.weft.conformance.GradientPrograms.PairRule;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The vector-Jacobian rule of every differentiable op, one case per op and dtype: the program's
 * result weighted by random weights {@code w} and summed, {@code backward()}, the leaves'
 * gradients against {@code w * derivative} computed on the host in double from the derivative's
 * formula ({@link GradientPrograms}).
 *
 * <p>Where the device's rounded operations can be reproduced (sign flips, products of two
 * values, selections, sums of small integers), the expected gradient is exact. Elsewhere it is
 * within {@code 8 * eps * |w| * m(x)} of the double value, {@code m} being the magnitude of the
 * terms the rule computes (for {@code tanh' = -(y*y - 1)}: {@code 1 + y^2}); transcendental rules
 * are {@link ResultClass#POLYNOMIAL}, identical on every backend. Gradients that sum over lanes
 * (broadcast operands, gathers with repeated indices, matmul) are {@link ResultClass#ORDERED_SUM}
 * with the bound of {@link SumBounds}.
 */
public final class GradientCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "gradients";
    private static final int N = 37;
    private static final double K = 8;

    /** A differentiable unary op: the device program, an input range, the derivative and its magnitude. */
    private record Unary(String name, UnaryOperator<Tensor> op, double lo, double hi, DoubleUnaryOperator derivative,
                         DoubleUnaryOperator magnitude) {}

    private static final double LN2 = StrictMath.log(2);

    private static final List<Unary> UNARY = List.of(
            new Unary("neg", Tensor::neg, -4, 4, x -> -1, x -> 0),
            new Unary("abs", Tensor::abs, -4, 4, Math::signum, x -> 0),
            new Unary("sqrt", Tensor::sqrt, 0.25, 4, x -> 0.5 / StrictMath.sqrt(x), x -> 0.5 / StrictMath.sqrt(x)),
            new Unary("rsqrt", Tensor::rsqrt, 0.25, 4, x -> -0.5 * StrictMath.pow(x, -1.5), x -> 0.5 * StrictMath.pow(x, -1.5)),
            new Unary("exp", Tensor::exp, -4, 4, StrictMath::exp, StrictMath::exp),
            new Unary("exp2", Tensor::exp2, -4, 4, x -> LN2 * StrictMath.pow(2, x), x -> LN2 * StrictMath.pow(2, x)),
            new Unary("log", Tensor::log, 0.25, 4, x -> 1 / x, x -> 1 / x),
            new Unary("log2", Tensor::log2, 0.25, 4, x -> 1 / (x * LN2), x -> 1 / (x * LN2)),
            new Unary("sin", Tensor::sin, -4, 4, StrictMath::cos, x -> 1),
            new Unary("cos", Tensor::cos, -4, 4, x -> -StrictMath.sin(x), x -> 1),
            new Unary("tanh", Tensor::tanh, -3, 3, x -> 1 - sq(StrictMath.tanh(x)), x -> 1 + sq(StrictMath.tanh(x))),
            new Unary("sigmoid", Tensor::sigmoid, -4, 4, x -> sigmoid(x) * (1 - sigmoid(x)), GradientCases::sigmoid));

    private static double sq(double x) {
        return x * x;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (DType t : List.of(DType.F32, DType.F64)) {
            for (Unary u : UNARY) {
                out.add(unary(u, t));
            }
            out.add(sameShape("add", t, (x, y) -> x.add(y), (x, y, w, g) -> g.exact(w).exact(w)));
            out.add(sameShape("sub", t, (x, y) -> x.sub(y), (x, y, w, g) -> g.exact(w).exact(-w)));
            out.add(sameShape("mul", t, (x, y) -> x.mul(y), (x, y, w, g) -> g.exact(round(t, w * y)).exact(round(t, w * x))));
            out.add(sameShape("div", t, (x, y) -> x.div(y), (x, y, w, g) -> g
                    .add(w / y, K * eps(t) * Math.abs(w / y))
                    .add(-w * x / (y * y), K * eps(t) * Math.abs(w * x / (y * y)))));
            out.add(sameShape("rem", t, (x, y) -> x.rem(y), (x, y, w, g) -> g
                    .exact(w).exact(-round(t, w * trunc(round(t, x / y))))));
            out.add(pow(t));
            out.add(minMax(t, true));
            out.add(minMax(t, false));
            out.add(fma(t));
            out.add(where(t));
        }
        for (String op : List.of("add", "mul", "div")) {
            for (long[] ys : List.of(new long[] {6}, new long[] {4, 1}, new long[] {1})) {
                out.add(broadcast(op, ys));
            }
        }
        out.addAll(reductions());
        out.addAll(views());
        out.addAll(casts());
        out.add(matmul(false));
        out.add(matmul(true));
        return out;
    }

    private static double trunc(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    private static ConformanceCase unary(Unary u, DType t) {
        String id = GROUP + "/" + u.name() + "/" + t;
        return gradientCase(id, GROUP, u.magnitude().applyAsDouble(1) == 0 ? ResultClass.BIT_EXACT : ResultClass.POLYNOMIAL,
                "x." + u.name() + "() weighted by w, x in [" + u.lo() + ", " + u.hi() + "]: dx = w * " + u.name() + "'(x)",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, u.lo(), u.hi(), N), uniform(t, r, -2, 2, N)};
                },
                x -> u.op().apply(x[0]),
                in -> {
                    double[] x = doubles(in[0]);
                    double[] w = doubles(in[1]);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < N; i++) {
                        double d = w[i] * u.derivative().applyAsDouble(x[i]);
                        g.add(d, K * eps(t) * Math.abs(w[i]) * u.magnitude().applyAsDouble(x[i]));
                    }
                    return g;
                }, tags(t));
    }

    @FunctionalInterface
    private interface BinaryOp {
        Tensor apply(Tensor x, Tensor y);
    }

    /** x and y of the same shape [N]; the device's result is dx then dy. */
    private static ConformanceCase sameShape(String op, DType t, BinaryOp f, PairRule rule) {
        return binary(GROUP + "/" + op + "/" + t, t, "x." + op + "(y) weighted by w", 0.5, 3, f, rule);
    }

    private static ConformanceCase binary(String id, DType t, String text, double lo, double hi, BinaryOp f,
                                          PairRule rule) {
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, text + "; x, y in [+-" + lo + ", +-" + hi + "]",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    Values x = signed(uniform(t, r, lo, hi, N), r);
                    return new Values[] {x, signed(uniform(t, r, lo, hi, N), r), uniform(t, r, -2, 2, N)};
                },
                x -> f.apply(x[0], x[1]),
                in -> pairs(t, in, rule), tags(t));
    }

    /** {@code v} with random signs. */
    private static Values signed(Values v, SplittableRandom r) {
        long[] bits = v.bits().clone();
        int shift = v.dtype() == DType.F64 ? 63 : v.dtype() == DType.F32 ? 31 : 15;
        for (int i = 0; i < bits.length; i++) {
            if (r.nextBoolean()) {
                bits[i] ^= 1L << shift;
            }
        }
        return new Values(v.dtype(), v.shape(), bits);
    }

    /** pow(x, y), x in [0.5, 2], y in [-2, 2]; pow's own error grows with |y log2 x|, so the bound does. */
    private static ConformanceCase pow(DType t) {
        String id = GROUP + "/pow/" + t;
        return gradientCase(id, GROUP, ResultClass.POLYNOMIAL,
                "x.pow(y) weighted by w: dx = w y x^(y-1), dy = w x^y ln x; x in [0.5, 2], y in [-2, 2]",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, 0.5, 2, N), uniform(t, r, -2, 2, N), uniform(t, r, -2, 2, N)};
                },
                x -> x[0].pow(x[1]),
                in -> pairs(t, in, (x, y, w, g) -> {
                    double lx = StrictMath.log(x) / LN2;
                    double dx = w * y * StrictMath.pow(x, y - 1);
                    double dy = w * StrictMath.pow(x, y) * StrictMath.log(x);
                    g.add(dx, K * eps(t) * Math.abs(dx) * (2 + Math.abs((y - 1) * lx)));
                    g.add(dy, K * eps(t) * Math.abs(dy) * (2 + Math.abs(y * lx)));
                }), tags(t));
    }

    /**
     * Tensor-mode min and max with ties at every third element (reference-semantics.md §4.5):
     * {@code minimum} gives x the gradient where x <= y, {@code maximum} where x > y; a tie
     * sends it to y.
     */
    private static ConformanceCase minMax(DType t, boolean min) {
        String op = min ? "min" : "max";
        String id = GROUP + "/" + op + "-ties/" + t;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, "x." + op + "(y) weighted by w, y = x at every third element",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    Values x = uniform(t, r, -2, 2, N);
                    long[] y = uniform(t, r, -2, 2, N).bits();
                    for (int i = 0; i < N; i += 3) {
                        y[i] = x.bits()[i];
                    }
                    return new Values[] {x, new Values(t, new long[] {N}, y), uniform(t, r, -2, 2, N)};
                },
                x -> min ? x[0].min(x[1]) : x[0].max(x[1]),
                in -> pairs(t, in, (x, y, w, g) -> {
                    boolean toX = min ? x <= y : x > y;
                    g.exact(toX ? w : 0).exact(toX ? 0 : w);
                }), tags(t));
    }

    private static ConformanceCase fma(DType t) {
        String id = GROUP + "/fma/" + t;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, "a.fma(b, c) weighted by w: da = w b, db = w a, dc = w",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -3, 3, N), uniform(t, r, -3, 3, N), uniform(t, r, -3, 3, N),
                        uniform(t, r, -2, 2, N)};
                },
                x -> x[0].fma(x[1], x[2]),
                in -> {
                    double[] a = doubles(in[0]);
                    double[] b = doubles(in[1]);
                    double[] w = doubles(in[3]);
                    Gradients g = new Gradients(t);
                    Arrays.stream(range()).forEach(i -> g.exact(round(t, w[i] * b[i])));
                    Arrays.stream(range()).forEach(i -> g.exact(round(t, w[i] * a[i])));
                    Arrays.stream(range()).forEach(i -> g.exact(w[i]));
                    return g;
                }, tags(t));
    }

    private static int[] range() {
        return java.util.stream.IntStream.range(0, N).toArray();
    }

    /** where(x > 0, a, b): the mask takes no gradient; a gets w where it was chosen, b elsewhere. */
    private static ConformanceCase where(DType t) {
        String id = GROUP + "/where/" + t;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, "where(m, a, b) weighted by w (m BOOL)",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    long[] m = new long[N];
                    for (int i = 0; i < N; i++) {
                        m[i] = r.nextBoolean() ? 1 : 0;
                    }
                    return new Values[] {new Values(DType.BOOL, new long[] {N}, m), uniform(t, r, -3, 3, N),
                        uniform(t, r, -3, 3, N), uniform(t, r, -2, 2, N)};
                },
                x -> Tensor.where(x[0], x[1], x[2]),
                in -> {
                    long[] m = in[0].bits();
                    double[] w = doubles(in[3]);
                    Gradients g = new Gradients(t);
                    Arrays.stream(range()).forEach(i -> g.exact(m[i] != 0 ? w[i] : 0));
                    Arrays.stream(range()).forEach(i -> g.exact(m[i] != 0 ? 0 : w[i]));
                    return g;
                }, tags(t, Tag.BOOL));
    }

    /**
     * x [4, 6] op y of shape {@code ys} (broadcast): dx elementwise, dy the sum of the per-element
     * terms over the broadcast axes, in a backend-chosen order.
     */
    private static ConformanceCase broadcast(String op, long[] ys) {
        DType t = DType.F32;
        String id = GROUP + "/broadcast-" + op + "/" + Arrays.toString(ys);
        long[] xs = {4, 6};
        return gradientCase(id, GROUP, ResultClass.ORDERED_SUM,
                "x [4, 6]." + op + "(y " + Arrays.toString(ys) + ") weighted by w [4, 6]",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, 0.5, 3, xs), uniform(t, r, 0.5, 3, ys), uniform(t, r, -2, 2, xs)};
                },
                x -> switch (op) {
                    case "add" -> x[0].add(x[1]);
                    case "mul" -> x[0].mul(x[1]);
                    default -> x[0].div(x[1]);
                },
                in -> {
                    double[] x = doubles(in[0]);
                    double[] y = doubles(in[1]);
                    double[] w = doubles(in[2]);
                    Gradients g = new Gradients(t);
                    int ny = y.length;
                    List<List<Double>> terms = new ArrayList<>();
                    for (int k = 0; k < ny; k++) {
                        terms.add(new ArrayList<>());
                    }
                    double[] termError = new double[ny];
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 6; j++) {
                            int e = i * 6 + j;
                            int k = ys.length == 1 ? (ys[0] == 1 ? 0 : j) : i;
                            double yv = y[k];
                            switch (op) {
                                case "add" -> {
                                    g.exact(w[e]);
                                    terms.get(k).add(w[e]);
                                }
                                case "mul" -> {
                                    g.exact(round(t, w[e] * yv));
                                    terms.get(k).add(w[e] * x[e]);
                                }
                                default -> {
                                    g.add(w[e] / yv, K * eps(t) * Math.abs(w[e] / yv));
                                    double d = -w[e] * x[e] / (yv * yv);
                                    terms.get(k).add(d);
                                    termError[k] += K * eps(t) * Math.abs(d);
                                }
                            }
                        }
                    }
                    for (int k = 0; k < ny; k++) {
                        g.sum(terms.get(k).stream().mapToDouble(Double::doubleValue).toArray(), termError[k]);
                    }
                    return g;
                }, tags(t));
    }

    /** Reductions of x [5, 8] (with a tie for max): their gradients spread w back, exactly. */
    private static List<ConformanceCase> reductions() {
        DType t = DType.F32;
        long[] xs = {5, 8};
        List<ConformanceCase> out = new ArrayList<>();
        out.add(spread("sum", xs, new long[] {}, x -> x.sum(), (i, j, w) -> w[0]));
        out.add(spread("sum-axis0", xs, new long[] {8}, x -> x.sum(0), (i, j, w) -> w[j]));
        out.add(spread("sum-axis1", xs, new long[] {5}, x -> x.sum(1), (i, j, w) -> w[i]));
        out.add(spread("mean", xs, new long[] {}, x -> x.mean(), (i, j, w) -> round(t, w[0] / 40)));
        out.add(spread("mean-axis0", xs, new long[] {8}, x -> x.mean(0), (i, j, w) -> round(t, w[j] / 5)));
        out.add(spread("mean-axis1", xs, new long[] {5}, x -> x.mean(1), (i, j, w) -> round(t, w[i] / 8)));
        String id = GROUP + "/max-with-tie";
        out.add(gradientCase(id, GROUP, ResultClass.BIT_EXACT,
                "x.max() weighted by w, the maximum taken by x[0][3] and x[2][1]: both get w",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    long[] x = uniform(t, r, -2, 2, xs).bits();
                    x[3] = Float.floatToRawIntBits(2.5f);
                    x[17] = Float.floatToRawIntBits(2.5f);
                    return new Values[] {new Values(t, xs, x), uniform(t, r, -2, 2)};
                },
                x -> x[0].max(),
                in -> {
                    Gradients g = new Gradients(t);
                    for (int e = 0; e < 40; e++) {
                        g.exact(e == 3 || e == 17 ? in[1].value(0) : 0);
                    }
                    return g;
                }, tags(t)));
        return out;
    }

    /** The expected gradient at (i, j) of a [rows, cols] input, from the weights. */
    @FunctionalInterface
    private interface Spread {
        double at(int i, int j, double[] w);
    }

    private static ConformanceCase spread(String name, long[] xs, long[] ws, UnaryOperator<Tensor> f, Spread rule) {
        DType t = DType.F32;
        String id = GROUP + "/" + name;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, "x " + Arrays.toString(xs) + "." + name
                        + " weighted by w " + Arrays.toString(ws),
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, xs), uniform(t, r, -2, 2, ws)};
                },
                x -> f.apply(x[0]),
                in -> {
                    double[] w = doubles(in[1]);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < xs[0]; i++) {
                        for (int j = 0; j < xs[1]; j++) {
                            g.exact(rule.at(i, j, w));
                        }
                    }
                    return g;
                }, tags(t));
    }

    /** Views and indexing: gradients are the weights moved back to where the values came from. */
    private static List<ConformanceCase> views() {
        DType t = DType.F32;
        List<ConformanceCase> out = new ArrayList<>();
        long[] xs = {4, 6};
        out.add(moved("slice", xs, new long[] {4, 3}, x -> x.slice(1, 2, 5), (i, j) -> j >= 2 && j < 5 ? i * 3 + j - 2 : -1));
        out.add(moved("get", xs, new long[] {6}, x -> x.get(2), (i, j) -> i == 2 ? j : -1));
        out.add(moved("reshape", xs, new long[] {3, 8}, x -> x.reshape(3, 8), (i, j) -> i * 6 + j));
        out.add(moved("transpose", xs, new long[] {6, 4}, Tensor::transpose, (i, j) -> j * 4 + i));
        out.add(moved("concat-axis0", xs, new long[] {6, 6}, x -> Tensor.concat(0, x.slice(0, 2, 4), x),
                (i, j) -> i >= 2 ? (i - 2) * 6 + j : -1, (i, j) -> (i + 2) * 6 + j));
        out.add(moved("concat-axis1", xs, new long[] {4, 9}, x -> Tensor.concat(1, x, x.slice(1, 0, 3)),
                (i, j) -> i * 9 + j, (i, j) -> j < 3 ? i * 9 + 6 + j : -1));
        String id = GROUP + "/gather-repeated";
        int[] index = {0, 3, 3, 6, 1, 3, 0, 5, 5, 5, 2};
        out.add(gradientCase(id, GROUP, ResultClass.ORDERED_SUM,
                "x [7].gather(" + Arrays.toString(index) + ") weighted by w: dx[i] sums w over the positions reading i",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, 7), Values.ofInts(index, index.length),
                        uniform(t, r, -2, 2, index.length)};
                },
                x -> x[0].gather(x[1]),
                in -> {
                    double[] w = doubles(in[2]);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < 7; i++) {
                        List<Double> terms = new ArrayList<>();
                        for (int k = 0; k < index.length; k++) {
                            if (index[k] == i) {
                                terms.add(w[k]);
                            }
                        }
                        g.sum(terms.stream().mapToDouble(Double::doubleValue).toArray(), 0);
                    }
                    return g;
                }, tags(t, Tag.I32)));
        String sid = GROUP + "/scatter-add";
        out.add(gradientCase(sid, GROUP, ResultClass.BIT_EXACT,
                "x [7].scatterAdd(" + Arrays.toString(index) + ", v) weighted by w: dx = w, dv[k] = w[index[k]]",
                () -> {
                    SplittableRandom r = new SplittableRandom(sid.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, 7), Values.ofInts(index, index.length),
                        uniform(t, r, -2, 2, index.length), uniform(t, r, -2, 2, 7)};
                },
                x -> x[0].scatterAdd(x[1], x[2]),
                in -> {
                    double[] w = doubles(in[3]);
                    Gradients g = new Gradients(t);
                    Arrays.stream(w).forEach(g::exact);
                    Arrays.stream(index).forEach(i -> g.exact(w[i]));
                    return g;
                }, tags(t, Tag.I32)));
        String mid = GROUP + "/meshgrid";
        out.add(gradientCase(mid, GROUP, ResultClass.ORDERED_SUM,
                "meshgrid(x [5], y [3]) weighted by w [2, 15]: dx[c] = sum_r w[0][r][c], dy[r] = sum_c w[1][r][c]",
                () -> {
                    SplittableRandom r = new SplittableRandom(mid.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, 5), uniform(t, r, -2, 2, 3), uniform(t, r, -2, 2, 2, 15)};
                },
                x -> Tensor.meshgrid(x[0], x[1]),
                in -> {
                    double[] w = doubles(in[2]);
                    Gradients g = new Gradients(t);
                    for (int c = 0; c < 5; c++) {
                        double[] terms = new double[3];
                        for (int r = 0; r < 3; r++) {
                            terms[r] = w[r * 5 + c];
                        }
                        g.sum(terms, 0);
                    }
                    for (int r = 0; r < 3; r++) {
                        g.sum(Arrays.copyOfRange(w, 15 + r * 5, 15 + r * 5 + 5), 0);
                    }
                    return g;
                }, tags(t)));
        return out;
    }

    /** Where element (i, j) of the input went in the output (flat index), or a negative number. */
    @FunctionalInterface
    private interface Destination {
        int of(int i, int j);
    }

    /** A view of x: dx[i][j] is the sum of w over every destination of (i, j) (exact: at most two terms). */
    private static ConformanceCase moved(String name, long[] xs, long[] ys, UnaryOperator<Tensor> f,
                                         Destination... destinations) {
        DType t = DType.F32;
        String id = GROUP + "/" + name;
        return gradientCase(id, GROUP, ResultClass.BIT_EXACT, "x " + Arrays.toString(xs) + " -> " + name + " "
                        + Arrays.toString(ys) + " weighted by w",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, xs), uniform(t, r, -2, 2, ys)};
                },
                x -> f.apply(x[0]),
                in -> {
                    double[] w = doubles(in[1]);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < xs[0]; i++) {
                        for (int j = 0; j < xs[1]; j++) {
                            double s = 0;
                            for (Destination d : destinations) {
                                int k = d.of(i, j);
                                s += k >= 0 ? w[k] : 0;
                            }
                            g.exact(round(t, s));
                        }
                    }
                    return g;
                }, tags(t));
    }

    /** Casts send the gradient back converted to the leaf's dtype. */
    private static List<ConformanceCase> casts() {
        List<ConformanceCase> out = new ArrayList<>();
        DType[][] pairs = {{DType.F32, DType.F64}, {DType.F64, DType.F32}, {DType.F32, DType.F16}, {DType.F16, DType.F32}};
        for (DType[] p : pairs) {
            DType from = p[0];
            DType to = p[1];
            String id = GROUP + "/cast/" + from + "-to-" + to;
            out.add(gradientCase(id, GROUP, ResultClass.BIT_EXACT,
                    "x " + from + ".to(" + to + ") weighted by w " + to + ": dx = w converted to " + from,
                    () -> {
                        SplittableRandom r = new SplittableRandom(id.hashCode());
                        return new Values[] {uniform(from, r, -2, 2, N), uniform(to, r, -2, 2, N)};
                    },
                    x -> x[0].to(to),
                    in -> {
                        Gradients g = new Gradients(from);
                        Arrays.stream(doubles(in[1])).forEach(w -> g.exact(round(from, w)));
                        return g;
                    }, tags(from, Tag.of(to))));
        }
        return out;
    }

    /**
     * a [5, 7] matmul b [7, 3] weighted by w [5, 3]: da = w b^T, db = a^T w, each element a sum of
     * exact double products checked with the ordered-sum bound. With {@code transposed}, a is the
     * transpose of a [7, 5] leaf, whose gradient is (w b^T)^T.
     */
    private static ConformanceCase matmul(boolean transposed) {
        DType t = DType.F32;
        String id = GROUP + "/matmul" + (transposed ? "-left-transposed" : "");
        return gradientCase(id, GROUP, ResultClass.ORDERED_SUM,
                (transposed ? "aT [7, 5].transpose()" : "a [5, 7]") + ".matmul(b [7, 3]) weighted by w [5, 3]",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -2, 2, transposed ? new long[] {7, 5} : new long[] {5, 7}),
                        uniform(t, r, -2, 2, 7, 3), uniform(t, r, -2, 2, 5, 3)};
                },
                x -> (transposed ? x[0].transpose() : x[0]).matmul(x[1]),
                in -> {
                    double[] a = doubles(in[0]);
                    double[] b = doubles(in[1]);
                    double[] w = doubles(in[2]);
                    Function<int[], Double> av = ik -> transposed ? a[ik[1] * 5 + ik[0]] : a[ik[0] * 7 + ik[1]];
                    Gradients g = new Gradients(t);
                    int rows = transposed ? 7 : 5;
                    int cols = transposed ? 5 : 7;
                    for (int p = 0; p < rows; p++) {
                        for (int q = 0; q < cols; q++) {
                            int i = transposed ? q : p; // da[i][k] = sum_j w[i][j] b[k][j]
                            int k = transposed ? p : q;
                            double[] terms = new double[3];
                            for (int j = 0; j < 3; j++) {
                                terms[j] = w[i * 3 + j] * b[k * 3 + j];
                            }
                            g.sum(terms, 0);
                        }
                    }
                    for (int k = 0; k < 7; k++) {
                        for (int j = 0; j < 3; j++) { // db[k][j] = sum_i a[i][k] w[i][j]
                            double[] terms = new double[5];
                            for (int i = 0; i < 5; i++) {
                                terms[i] = av.apply(new int[] {i, k}) * w[i * 3 + j];
                            }
                            g.sum(terms, 0);
                        }
                    }
                    return g;
                }, tags(t));
    }
}
