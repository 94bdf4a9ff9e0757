package dev.weft.conformance;

import static dev.weft.conformance.GradientPrograms.doubles;
import static dev.weft.conformance.GradientPrograms.eps;
import static dev.weft.conformance.GradientPrograms.gradientCase;
import static dev.weft.conformance.GradientPrograms.pairs;
import static dev.weft.conformance.GradientPrograms.round;
import static dev.weft.conformance.GradientPrograms.tags;
import static dev.weft.conformance.GradientPrograms.uniform;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.conformance.GradientPrograms.PairRule;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Cooperative vectors (DESIGN.md "The IR", reference-semantics.md §4): {@code matvec} with bias,
 * transpose and offset, strided views into one packed buffer, in F32 and F16 (F32 accumulation,
 * one rounding per output); its backward pass (the vector's gradient, the outer products summed
 * over lanes into the buffer's gradient, the bias sums, a pre-set gradient target, an F16 cell
 * swapped in from an F32 master); the element-wise ops with CoopVec-mode tie rules; a two-layer
 * F64 network against finite differences; the kernel counts of a training step.
 *
 * <p>Expected values come from double-precision products on the host. A product is a sum in a
 * backend-chosen order ({@link ResultClass#ORDERED_SUM}, {@link SumBounds}); where one product
 * feeds another, its bound is carried through: {@code |M| e_in + bound(terms)}.
 */
public final class CoopVecCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "coopvec";

    /** One matvec: sizes, lanes, bias, transpose, where the matrix sits in its buffer, the dtype. */
    private record Layer(int in, int out, int lanes, boolean bias, boolean transposed, int offset, int stride, DType t) {
        int storedRows() {
            return transposed ? in : out;
        }

        int storedCols() {
            return transposed ? out : in;
        }

        int biasOffset() {
            return offset + (storedRows() - 1) * stride + storedCols() + 1;
        }

        int bufferLength() {
            return biasOffset() + (bias ? out : 0) + 3;
        }

        /** Where M(r, c) of the matrix as used (out x in) lies in the buffer. */
        int index(int r, int c) {
            return transposed ? offset + c * stride + r : offset + r * stride + c;
        }

        String describe() {
            return out + "x" + in + (transposed ? " (stored " + in + "x" + out + ", transposed)" : "") + " at offset "
                    + offset + " stride " + stride + (bias ? " with bias" : "") + ", " + lanes + " lanes, " + t;
        }

        String id() {
            return t + "/" + out + "x" + in + "/lanes" + lanes + (bias ? "/bias" : "") + (transposed ? "/transposed" : "")
                    + (offset > 0 || stride > storedCols() ? "/view" : "");
        }
    }

    private static final List<Layer> LAYERS = List.of(
            new Layer(1, 1, 1, false, false, 0, 1, DType.F32),
            new Layer(4, 3, 37, true, false, 5, 6, DType.F32),
            new Layer(4, 3, 37, true, true, 2, 4, DType.F32),
            new Layer(16, 16, 64, true, false, 0, 16, DType.F32),
            new Layer(32, 64, 33, false, false, 7, 40, DType.F32),
            new Layer(64, 32, 100, true, true, 0, 32, DType.F32),
            new Layer(7, 13, 5, true, false, 1, 9, DType.F32),
            new Layer(13, 7, 5, false, true, 3, 7, DType.F32),
            new Layer(64, 64, 1000, true, false, 0, 64, DType.F32),
            new Layer(20, 13, 77, true, false, 3, 21, DType.F32),
            new Layer(13, 20, 600, true, true, 2, 20, DType.F32),
            new Layer(4, 3, 37, true, false, 5, 6, DType.F16),
            new Layer(32, 16, 70, true, true, 4, 17, DType.F16),
            new Layer(64, 64, 129, true, false, 0, 64, DType.F16),
            new Layer(5, 6, 11, true, false, 2, 7, DType.F64));

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (Layer l : LAYERS) {
            out.add(forward(l));
            out.add(backward(l, false));
        }
        out.add(backward(new Layer(4, 3, 37, true, false, 5, 6, DType.F32), true));
        out.add(repeatedUse());
        out.add(halfCellFromF32Master());
        out.add(twoLayerNetwork());
        out.addAll(elementwise());
        out.add(trainingStepKernels());
        out.addAll(badInput());
        return out;
    }

    /** The layer's buffer (weights and bias, random, the rest too) and input [in, lanes]. */
    private static Values[] inputs(Layer l, String id) {
        SplittableRandom r = new SplittableRandom(id.hashCode());
        return new Values[] {uniform(l.t(), r, -1, 1, l.bufferLength()), uniform(l.t(), r, -1, 1, l.in(), l.lanes()),
            uniform(l.t(), r, -1, 1, l.out(), l.lanes())};
    }

    /** {@code x} as a CoopVec through the layer's views into {@code buffer}. */
    private static CoopVec apply(Layer l, Tensor buffer, Tensor x) {
        Parameter cell = new Parameter(buffer);
        MatrixView a = MatrixView.of(cell, l.storedRows(), l.storedCols(), l.offset(), l.stride(), Layout.TRAINING);
        CoopVec v = CoopVec.of(x);
        if (!l.bias()) {
            return v.matvec(a, l.transposed());
        }
        return v.matvec(a, MatrixView.of(cell, l.out(), 1, l.biasOffset(), 1, Layout.TRAINING), l.transposed());
    }

    /** y[r][l] = b[r] + sum_c M(r, c) x[c][l], in the order the device output is flattened. */
    private static Gradients product(Layer l, double[] buf, double[] x) {
        Gradients g = new Gradients(l.t());
        for (int r = 0; r < l.out(); r++) {
            for (int lane = 0; lane < l.lanes(); lane++) {
                double[] terms = new double[l.in() + (l.bias() ? 1 : 0)];
                for (int c = 0; c < l.in(); c++) {
                    terms[c] = buf[l.index(r, c)] * x[c * l.lanes() + lane];
                }
                if (l.bias()) {
                    terms[l.in()] = buf[l.biasOffset() + r];
                }
                g.sum(terms, 0);
            }
        }
        return g;
    }

    private static ConformanceCase forward(Layer l) {
        String id = GROUP + "/matvec/" + l.id();
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM, "CoopVec.of(x).matvec(" + l.describe() + ")",
                () -> inputs(l, id),
                in -> apply(l, DeviceIo.upload(in[0]), DeviceIo.upload(in[1])).toTensor().reshape(-1),
                in -> product(l, doubles(in[0]), doubles(in[1])).expected(), tags(l.t()));
    }

    /**
     * loss = sum(C * y): dx[c][l] = sum_r M(r, c) C[r][l]; the buffer's gradient is
     * sum_l C[r][l] x[c][l] at M(r, c), sum_l C[r][l] at bias r, and 0 elsewhere. With
     * {@code preset}, the buffer's gradient starts at a literal 0.25 everywhere.
     */
    private static ConformanceCase backward(Layer l, boolean preset) {
        String id = GROUP + "/matvec-backward/" + l.id() + (preset ? "/preset-target" : "");
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM, "sum(C * CoopVec.of(x).matvec(" + l.describe()
                        + ")).backward()" + (preset ? " onto buffer.setGrad(full(0.25))" : "") + ": concat(dx, dbuffer)",
                () -> inputs(l, id),
                in -> {
                    Tensor buffer = DeviceIo.upload(in[0]).requiresGrad(true);
                    if (preset) {
                        buffer.setGrad(Tensor.full(l.t(), 0.25, l.bufferLength()));
                    }
                    Tensor x = DeviceIo.upload(in[1]).requiresGrad(true);
                    apply(l, buffer, x).toTensor().mul(DeviceIo.upload(in[2])).sum().backward();
                    return Tensor.concat(0, x.grad().reshape(-1), buffer.grad());
                },
                in -> {
                    double[] buf = doubles(in[0]);
                    double[] x = doubles(in[1]);
                    double[] c = doubles(in[2]);
                    int lanes = l.lanes();
                    Gradients g = new Gradients(l.t());
                    for (int col = 0; col < l.in(); col++) {
                        for (int lane = 0; lane < lanes; lane++) {
                            double[] terms = new double[l.out()];
                            for (int r = 0; r < l.out(); r++) {
                                terms[r] = buf[l.index(r, col)] * c[r * lanes + lane];
                            }
                            g.sum(terms, 0);
                        }
                    }
                    double[][] terms = new double[buf.length][];
                    for (int r = 0; r < l.out(); r++) {
                        for (int col = 0; col < l.in(); col++) {
                            double[] t = new double[lanes];
                            for (int lane = 0; lane < lanes; lane++) {
                                t[lane] = c[r * lanes + lane] * x[col * lanes + lane];
                            }
                            terms[l.index(r, col)] = t;
                        }
                        if (l.bias()) {
                            terms[l.biasOffset() + r] = java.util.Arrays.copyOfRange(c, r * lanes, (r + 1) * lanes);
                        }
                    }
                    for (double[] t : terms) {
                        double[] withPreset = t == null ? new double[0] : t;
                        if (preset) {
                            withPreset = java.util.Arrays.copyOf(withPreset, withPreset.length + 1);
                            withPreset[withPreset.length - 1] = 0.25;
                        }
                        g.sum(withPreset, 0);
                    }
                    return g.expected();
                }, tags(l.t()));
    }

    /**
     * The same view used twice in one program, as A and as A^T: y = A^T (A x); one kernel; the
     * buffer's gradient sums both uses: dA = sum_l (A x) (C)^T-part + x (A C)^T-part.
     */
    private static ConformanceCase repeatedUse() {
        String id = GROUP + "/same-view-twice";
        int n = 6;
        int lanes = 23;
        DType t = DType.F32;
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM,
                "z = x.matvec(A).matvec(A, transpose) (A 6x6 at offset 3 stride 8), one kernel; sum(C * z).backward(): "
                        + "concat(z, dbuffer)",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -1, 1, 3 + 5 * 8 + 6 + 2), uniform(t, r, -1, 1, n, lanes),
                        uniform(t, r, -1, 1, n, lanes)};
                },
                in -> {
                    Tensor buffer = DeviceIo.upload(in[0]).requiresGrad(true);
                    MatrixView a = MatrixView.of(new Parameter(buffer), n, n, 3, 8, Layout.TRAINING);
                    Tensor z = CoopVec.of(DeviceIo.upload(in[1])).matvec(a, false).matvec(a, true).toTensor();
                    long before = Weft.stats().kernelsLaunched();
                    z.eval();
                    long launched = Weft.stats().kernelsLaunched() - before;
                    if (launched != 1) {
                        throw new AssertionError("A x and A^T (A x) took " + launched + " kernels, expected 1");
                    }
                    z.mul(DeviceIo.upload(in[2])).sum().backward();
                    return Tensor.concat(0, z.reshape(-1), buffer.grad());
                },
                in -> {
                    double[] buf = doubles(in[0]);
                    double[] x = doubles(in[1]);
                    double[] c = doubles(in[2]);
                    double[][] a = new double[n][n];
                    for (int r = 0; r < n; r++) {
                        for (int k = 0; k < n; k++) {
                            a[r][k] = buf[3 + r * 8 + k];
                        }
                    }
                    Gradients g = new Gradients(t);
                    double[][] y = new double[n][lanes];     // A x, exact
                    double[][] yb = new double[n][lanes];    // its bound
                    double[][] ac = new double[n][lanes];    // A C (the gradient reaching y), exact
                    for (int r = 0; r < n; r++) {
                        for (int l = 0; l < lanes; l++) {
                            double[] terms = new double[n];
                            double[] cterms = new double[n];
                            for (int k = 0; k < n; k++) {
                                terms[k] = a[r][k] * x[k * lanes + l];
                                cterms[k] = a[r][k] * c[k * lanes + l];
                            }
                            y[r][l] = SumBounds.exactSum(terms);
                            yb[r][l] = SumBounds.bound(t, terms, y[r][l]);
                            ac[r][l] = SumBounds.exactSum(cterms);
                        }
                    }
                    for (int k = 0; k < n; k++) { // z[k] = sum_r A[r][k] y[r]
                        for (int l = 0; l < lanes; l++) {
                            double[] terms = new double[n];
                            double carried = 0;
                            for (int r = 0; r < n; r++) {
                                terms[r] = a[r][k] * y[r][l];
                                carried += Math.abs(a[r][k]) * yb[r][l];
                            }
                            g.sum(terms, carried);
                        }
                    }
                    for (int i = 0; i < buf.length; i++) {
                        int p = i - 3;
                        int r = p / 8;
                        int k = p % 8;
                        if (p < 0 || r >= n || k >= n) {
                            g.exact(0);
                            continue;
                        }
                        // z = A^T y: dA[r][k] += sum_l y[r] C[k]; y = A x: dA[r][k] += sum_l (A C)[r] x[k]
                        double[] terms = new double[2 * lanes];
                        double carried = 0;
                        for (int l = 0; l < lanes; l++) {
                            terms[l] = y[r][l] * c[k * lanes + l];
                            terms[lanes + l] = ac[r][l] * x[k * lanes + l];
                            carried += yb[r][l] * Math.abs(c[k * lanes + l]) + 8 * eps(t) * Math.abs(terms[lanes + l]);
                        }
                        g.sum(terms, carried);
                    }
                    return g.expected();
                }, Tag.F32, Tag.STATS);
    }

    /**
     * An F16 Parameter cell set from an F32 master (the cast is differentiable): the F16 matvec's
     * weight gradient, summed in F32 and rounded to F16, reaches the master as F32.
     */
    private static ConformanceCase halfCellFromF32Master() {
        String id = GROUP + "/f16-cell-from-f32-master";
        int rows = 3;
        int cols = 5;
        int lanes = 41;
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM,
                "cell = Parameter(zeros(F16)); cell.set(master F32); x F16 .matvec(view 3x5 of cell); "
                        + "sum(C * y).backward(): master.grad (F32)",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(DType.F32, r, -1, 1, rows * cols + 2),
                        uniform(DType.F16, r, -1, 1, cols, lanes), uniform(DType.F16, r, -1, 1, rows, lanes)};
                },
                in -> {
                    Tensor master = DeviceIo.upload(in[0]).requiresGrad(true);
                    Parameter cell = new Parameter(Tensor.zeros(DType.F16, rows * cols + 2));
                    MatrixView a = MatrixView.of(cell, rows, cols, 2, cols, Layout.TRAINING);
                    cell.set(master);
                    CoopVec.of(DeviceIo.upload(in[1])).matvec(a, false).toTensor().mul(DeviceIo.upload(in[2])).sum()
                            .backward();
                    return master.grad();
                },
                in -> {
                    double[] x = doubles(in[1]);
                    double[] c = doubles(in[2]);
                    Gradients g = new Gradients(DType.F32);
                    g.exact(0).exact(0);
                    for (int r = 0; r < rows; r++) {
                        for (int k = 0; k < cols; k++) {
                            double[] terms = new double[lanes];
                            for (int l = 0; l < lanes; l++) {
                                terms[l] = c[r * lanes + l] * x[k * lanes + l];
                            }
                            double s = SumBounds.exactSum(terms);
                            g.add(s, SumBounds.bound(DType.F16, terms, s));
                        }
                    }
                    return g.expected();
                }, Tag.F16, Tag.F32);
    }

    /**
     * Two F64 layers in one packed buffer, x [3] -> tanh(A x + a) [8] -> B h + b [2], weighted by
     * C and summed: the gradients of the whole buffer and of x against finite differences of the
     * host network (tanh has no kinks, so differences are accurate to about 1e-11).
     */
    private static ConformanceCase twoLayerNetwork() {
        String id = GROUP + "/two-layer-network/F64";
        DType t = DType.F64;
        int in = 3;
        int hidden = 8;
        int outs = 2;
        int lanes = 9;
        int aOff = 0;
        int aBias = in * hidden;
        int bOff = aBias + hidden;
        int bBias = bOff + hidden * outs;
        int size = bBias + outs;
        return gradientCase(id, GROUP, ResultClass.ORDERED_SUM,
                "packed buffer: A 8x3, a 8, B 2x8, b 2; x.matvec(A, a).tanh().matvec(B, b) weighted by C: "
                        + "dx and dbuffer by finite differences",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    return new Values[] {uniform(t, r, -1, 1, size), uniform(t, r, -1, 1, in, lanes),
                        uniform(t, r, -1, 1, outs, lanes)};
                },
                x -> {
                    Parameter cell = new Parameter(x[0]);
                    MatrixView a = MatrixView.of(cell, hidden, in, aOff, in, Layout.TRAINING);
                    MatrixView ab = MatrixView.of(cell, hidden, 1, aBias, 1, Layout.TRAINING);
                    MatrixView b = MatrixView.of(cell, outs, hidden, bOff, hidden, Layout.TRAINING);
                    MatrixView bb = MatrixView.of(cell, outs, 1, bBias, 1, Layout.TRAINING);
                    return CoopVec.of(x[1]).matvec(a, ab, false).tanh().matvec(b, bb, false).toTensor();
                },
                v -> {
                    double[] buf = doubles(v[0]);
                    double[] x = doubles(v[1]);
                    double[] c = doubles(v[2]);
                    ToDoubleFunction<double[]> loss = p -> {
                        double s = 0;
                        for (int l = 0; l < lanes; l++) {
                            double[] h = new double[hidden];
                            for (int j = 0; j < hidden; j++) {
                                double u = p[aBias + j];
                                for (int i = 0; i < in; i++) {
                                    u += p[aOff + j * in + i] * p[size + i * lanes + l];
                                }
                                h[j] = StrictMath.tanh(u);
                            }
                            for (int k = 0; k < outs; k++) {
                                double y = p[bBias + k];
                                for (int j = 0; j < hidden; j++) {
                                    y += p[bOff + k * hidden + j] * h[j];
                                }
                                s += c[k * lanes + l] * y;
                            }
                        }
                        return s;
                    };
                    double[] all = new double[size + x.length];
                    System.arraycopy(buf, 0, all, 0, size);
                    System.arraycopy(x, 0, all, size, x.length);
                    Gradients g = new Gradients(t);
                    for (int i = 0; i < all.length; i++) { // the leaves in order: buffer, then x
                        double d = FiniteDifferences.partial(loss, all, i);
                        g.add(d, FiniteDifferences.ERROR * (1 + Math.abs(d)));
                    }
                    return g;
                }, tags(t));
    }

    /** A CoopVec op over components: the device program. */
    @FunctionalInterface
    private interface VecOp {
        CoopVec apply(CoopVec a, CoopVec b);
    }

    /**
     * Element-wise ops on two one-component CoopVecs with ties at every third lane, and their
     * CoopVec-mode derivatives (reference-semantics.md §4.5): min and max give a tie's gradient
     * to both operands, ReLU'(0) = 1, step has none, tanh' = -(y*y - 1).
     */
    private static List<ConformanceCase> elementwise() {
        DType t = DType.F32;
        double k = 8 * eps(t);
        List<ConformanceCase> out = new ArrayList<>();
        out.add(vec("add", (a, b) -> a.add(b), (a, b, w, g) -> g.exact(w).exact(w), ResultClass.BIT_EXACT));
        out.add(vec("sub", (a, b) -> a.sub(b), (a, b, w, g) -> g.exact(w).exact(-w), ResultClass.BIT_EXACT));
        out.add(vec("mul", (a, b) -> a.mul(b), (a, b, w, g) -> g.exact(round(t, w * b)).exact(round(t, w * a)),
                ResultClass.BIT_EXACT));
        out.add(vec("fma", (a, b) -> a.fma(b, a), (a, b, w, g) -> g.exact(round(t, round(t, w * b) + w))
                .exact(round(t, w * a)), ResultClass.BIT_EXACT));
        out.add(vec("max-ties", (a, b) -> a.max(b), (a, b, w, g) -> g.exact(a >= b ? w : 0).exact(b >= a ? w : 0),
                ResultClass.BIT_EXACT));
        out.add(vec("min-ties", (a, b) -> a.min(b), (a, b, w, g) -> g.exact(a <= b ? w : 0).exact(b <= a ? w : 0),
                ResultClass.BIT_EXACT));
        out.add(vec("relu-at-zero", (a, b) -> a.max(0.0).add(b), (a, b, w, g) -> g.exact(a >= 0 ? w : 0).exact(w),
                ResultClass.BIT_EXACT));
        out.add(vec("step-has-no-derivative", (a, b) -> a.mul(a.step(b)).add(b.mul(0.0)),
                (a, b, w, g) -> g.exact(a >= b ? w : 0).exact(0),
                ResultClass.BIT_EXACT));
        out.add(vec("tanh", (a, b) -> a.tanh().add(b), (a, b, w, g) -> {
            double y = StrictMath.tanh(a);
            g.add(w * (1 - y * y), k * Math.abs(w) * (1 + y * y)).exact(w);
        }, ResultClass.POLYNOMIAL));
        out.add(vec("exp2", (a, b) -> a.exp2().add(b), (a, b, w, g) -> {
            double d = w * StrictMath.pow(2, a) * StrictMath.log(2);
            g.add(d, k * Math.abs(d)).exact(w);
        }, ResultClass.POLYNOMIAL));
        out.add(vec("abs", (a, b) -> a.abs().add(b), (a, b, w, g) -> g.exact(w * Math.signum(a)).exact(w),
                ResultClass.BIT_EXACT));
        return out;
    }

    private static ConformanceCase vec(String name, VecOp op, PairRule rule, ResultClass rc) {
        DType t = DType.F32;
        int lanes = 31;
        String id = GROUP + "/elementwise/" + name;
        return gradientCase(id, GROUP, rc, "CoopVec a, b (one component, ties at every third lane): " + name
                        + " weighted by w: da, db",
                () -> {
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    Values a = uniform(t, r, -2, 2, lanes);
                    long[] b = uniform(t, r, -2, 2, lanes).bits();
                    long[] ab = a.bits().clone();
                    for (int i = 0; i < lanes; i += 3) {
                        b[i] = ab[i];
                    }
                    ab[1] = 0; // a ReLU input at exactly 0
                    return new Values[] {new Values(t, new long[] {lanes}, ab), new Values(t, new long[] {lanes}, b),
                        uniform(t, r, -2, 2, lanes)};
                },
                x -> op.apply(CoopVec.ofComponents(x[0]), CoopVec.ofComponents(x[1])).component(0),
                in -> pairs(t, in, rule), tags(t));
    }

    /**
     * A packed 2-16-16-3 ReLU MLP over 4096 lanes (reference-semantics.md §4; the kernel
     * counts): forward, loss and backward are one kernel; with an Adam-style update of the packed
     * buffer, two; from the second step on nothing is compiled.
     */
    @SuppressWarnings("try") // the no-grad scope is held for its effect
    private static ConformanceCase trainingStepKernels() {
        String id = GROUP + "/training-step-kernels";
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.F32, Tag.STATS), ResultClass.ORDERED_SUM,
                "3 steps: loss = |mlp(p) - target|^2; backward; Weft.eval(loss, grad) then m = 0.9 m + 0.1 g, "
                        + "w -= lr m: 1 kernel, 2 with the update, 0 compiled from step 2", device -> {
                    int in = 2;
                    int hidden = 16;
                    int out = 3;
                    int side = 64;
                    int size = hidden * in + hidden * hidden + out * hidden;
                    SplittableRandom r = new SplittableRandom(id.hashCode());
                    Tensor weights = DeviceIo.upload(uniform(DType.F32, r, -0.5, 0.5, size)).eval();
                    Tensor target = DeviceIo.upload(uniform(DType.F32, r, -1, 1, out, side * side)).eval();
                    Tensor m = Tensor.zeros(DType.F32, size).eval();
                    for (int step = 0; step < 3; step++) {
                        Weft.stats().reset();
                        Tensor w = weights.requiresGrad(true);
                        Parameter cell = new Parameter(w);
                        MatrixView w0 = MatrixView.of(cell, hidden, in, 0, in, Layout.TRAINING);
                        MatrixView w1 = MatrixView.of(cell, hidden, hidden, hidden * in, hidden, Layout.TRAINING);
                        MatrixView w2 = MatrixView.of(cell, out, hidden, hidden * in + hidden * hidden, hidden,
                                Layout.TRAINING);
                        Tensor coords = Tensor.arange(DType.F32, side);
                        Tensor p = Tensor.meshgrid(coords, coords).div(side);
                        CoopVec h = CoopVec.of(p).matvec(w0, false).max(0.0).matvec(w1, false).max(0.0);
                        Tensor loss = h.matvec(w2, false).toTensor().sub(target).squaredNorm(0);
                        loss.backward();
                        Weft.eval(loss, w.grad());
                        long launched = Weft.stats().kernelsLaunched();
                        if (launched != 1) {
                            return Outcome.failed("step " + step + ": forward, loss and backward took " + launched
                                    + " kernels, expected 1");
                        }
                        Tensor lr = Tensor.opaque(DType.F32, 1e-3 / (step + 1));
                        try (var s = Weft.noGrad()) {
                            m = m.mul(0.9).add(w.grad().mul(0.1));
                            weights = w.sub(m.mul(lr)).detach();
                        }
                        Weft.eval(m, weights);
                        launched = Weft.stats().kernelsLaunched();
                        if (launched != 2) {
                            return Outcome.failed("step " + step + ": with the update " + launched + " kernels, expected 2");
                        }
                        long compiled = Weft.stats().kernelsCompiled();
                        if (step >= 1 && compiled != 0) {
                            return Outcome.failed("step " + step + " compiled " + compiled + " kernels, expected 0");
                        }
                    }
                    return Outcome.passed();
                });
    }

    private static List<ConformanceCase> badInput() {
        List<ConformanceCase> out = new ArrayList<>();
        out.add(Checks.throwing(GROUP + "/bad/wrong-length", GROUP,
                "CoopVec of length 32 .matvec(32x16 view): IllegalArgumentException",
                () -> CoopVec.of(Tensor.zeros(DType.F32, 32, 4)).matvec(MatrixView.of(Tensor.zeros(DType.F32, 32, 16)),
                        false), IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/bad/requires-grad-of-plain-parts", GROUP,
                "CoopVec.of(zeros).requiresGrad(true): IllegalStateException",
                () -> CoopVec.of(Tensor.zeros(DType.F32, 3, 4)).requiresGrad(true), IllegalStateException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/bad/f16-view-f32-vector", GROUP,
                "F32 CoopVec .matvec(F16 view): IllegalArgumentException",
                () -> CoopVec.of(Tensor.zeros(DType.F32, 4, 2)).matvec(MatrixView.of(Tensor.zeros(DType.F16, 3, 4)),
                        false), IllegalArgumentException.class, Tag.F32, Tag.F16));
        out.add(Checks.throwing(GROUP + "/bad/components-of-different-lengths", GROUP,
                "CoopVec.ofComponents([4], [5]): IllegalArgumentException",
                () -> CoopVec.ofComponents(Tensor.zeros(DType.F32, 4), Tensor.zeros(DType.F32, 5)),
                IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/bad/view-past-the-buffer", GROUP,
                "MatrixView.of(cell of 10, 3x4 at 0 stride 4): IllegalArgumentException",
                () -> MatrixView.of(new Parameter(Tensor.zeros(DType.F32, 10)), 3, 4, 0, 4, Layout.TRAINING),
                IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/bad/bias-of-wrong-size", GROUP,
                "x[4].matvec(3x4 view, bias of 2): IllegalArgumentException",
                () -> CoopVec.of(Tensor.zeros(DType.F32, 4, 2)).matvec(MatrixView.of(Tensor.zeros(DType.F32, 3, 4)),
                        MatrixView.of(Tensor.zeros(DType.F32, 2)), false), IllegalArgumentException.class, Tag.F32));
        return out;
    }
}
