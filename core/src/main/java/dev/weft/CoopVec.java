package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A cooperative vector: a short vector of values per lane (the input, hidden state or output
 * of a small network evaluated per sample). It is one value of the IR: every operation on it,
 * {@link #matvec} included, is one IR node and one autodiff vertex whatever its length, so a
 * whole network, its loss and its backward pass fuse into one small kernel (DESIGN.md "The one
 * picture"). Components appear only where they are asked for ({@link #component}, {@link
 * #toTensor}, {@link #dot}). A CoopVec is never stored.
 *
 * {@snippet :
 * CoopVec x = CoopVec.of(p);                          // p: [2, N]
 * CoopVec h = x.matvec(w0, false).max(0);             // ReLU
 * Tensor y = h.matvec(w1, b1, false).toTensor();      // [out, N]
 * }
 *
 * <p>Arithmetic is element-wise per component, with a {@code CoopVec} of the same length, a
 * tensor {@code [N]} or {@code [1]} (the same for every component) or a Java scalar (in the
 * vector's dtype). Derivatives follow the reference's CoopVec mode (reference-semantics.md
 * §4.5): {@code min}/{@code max} ties give the gradient to both operands; unlike the reference,
 * {@code log2} is differentiable and {@code min}/{@code max} propagate NaN.
 */
public final class CoopVec {
    /** The reference's limit on the number of components. */
    public static final int MAX_LENGTH = 65535;

    /** The vector as a {@code [length, width]} tensor, in vector form (one node). */
    private final Tensor t;

    CoopVec(Tensor t) {
        this.t = t;
    }

    // ---- construction and conversion -------------------------------------------------------

    /** The rows of a {@code [C, N]} tensor (or the single row of a {@code [N]} tensor) as components. */
    public static CoopVec of(Tensor t) {
        Objects.requireNonNull(t, "CoopVec.of(): tensor");
        t.value.checkUsable("CoopVec.of()");
        long[] s = t.value.shape;
        checkArgument(s.length == 1 || s.length == 2, "CoopVec.of(): the tensor has shape %s; a CoopVec is made "
                + "from a [C, N] or [N] tensor (its rows become the components)", Shapes.str(s));
        checkArgument(s.length == 1 || s[0] > 0 && s[0] <= MAX_LENGTH, "CoopVec.of(): %s components; a CoopVec "
                + "has 1 to %s", s[0], MAX_LENGTH);
        checkArgument(s[s.length - 1] >= 1, "CoopVec.of(): the tensor has shape %s; a CoopVec has at least one lane",
                Shapes.str(s));
        checkArgument(t.dtype().isFloat(), "CoopVec.of(): a %s tensor; CoopVec components are F16, F32 or F64 "
                + "(convert with to(DType.F32))", t.dtype());
        Tensor rows = s.length == 1 ? t.reshape(1, s[0]) : t;
        return new CoopVec(Autodiff.op("CoopVec.of()", () -> TensorValue.vectorOf(rows),
                (g, y, out) -> out.add(0, TensorValue.componentsOf(g)), rows));
    }

    /**
     * A CoopVec of the given components, each {@code [N]} or {@code [1]} (one value for every
     * lane), of one float dtype and device.
     */
    public static CoopVec ofComponents(Tensor... components) {
        Objects.requireNonNull(components, "CoopVec.ofComponents(): components");
        checkArgument(components.length > 0, "CoopVec.ofComponents(): a CoopVec cannot be empty");
        checkArgument(components.length <= MAX_LENGTH, "CoopVec.ofComponents(): %s components; at most %s",
                components.length, MAX_LENGTH);
        Tensor first = components[0];
        long width = 1;
        for (int i = 0; i < components.length; i++) {
            Tensor c = components[i];
            Objects.requireNonNull(c, "CoopVec.ofComponents(): component " + i);
            TensorValue.checkOperands("CoopVec.ofComponents()", first, c);
            checkArgument(c.value.shape.length == 1, "CoopVec.ofComponents(): component %s has shape %s; "
                    + "components are [N] or [1] tensors", i, Shapes.str(c.value.shape));
            checkArgument(c.dtype().isFloat(), "CoopVec.ofComponents(): component %s is %s; CoopVec components are "
                    + "F16, F32 or F64 (convert with to(DType.F32))", i, c.dtype());
            checkArgument(c.dtype() == first.dtype(), "CoopVec.ofComponents(): component %s is %s but component 0 "
                    + "is %s; convert them to one dtype", i, c.dtype(), first.dtype());
            long n = c.value.shape[0];
            checkArgument(n >= 1, "CoopVec.ofComponents(): component %s is empty", i);
            if (n != 1) {
                checkArgument(width == 1 || width == n, "CoopVec.ofComponents(): component %s has %s lanes but "
                        + "another has %s; components are [N] or [1]", i, n, width);
                width = n;
            }
        }
        Tensor[] rows = new Tensor[components.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = components[i].value.shape[0] == width ? components[i] : broadcastTo(components[i], width);
        }
        return of(Tensor.stack(rows));
    }

    /** Number of components. */
    public int length() {
        return (int) t.value.shape[0];
    }

    /** Number of lanes N (1 if every component is one value for all lanes). */
    public long width() {
        return t.value.shape[1];
    }

    public DType dtype() {
        return t.dtype();
    }

    public Device device() {
        return t.device();
    }

    /** Component {@code i} as a tensor {@code [N]} ({@code [1]} for a vector of width 1). */
    public Tensor component(int i) {
        checkArgument(i >= 0 && i < length(), "component(): index %s of a CoopVec of length %s", i, length());
        return t.get(i);
    }

    /** The components as rows of a {@code [length, N]} tensor (nothing is stored until it is read). */
    public Tensor toTensor() {
        return Autodiff.op("toTensor()", () -> TensorValue.componentsOf(t),
                (g, y, out) -> out.add(0, TensorValue.vectorOf(g)), t);
    }

    private static Tensor broadcastTo(Tensor c, long n) {
        return Autodiff.op("ofComponents()", () -> TensorValue.make(new long[] {n}, c.dtype(), c.device(),
                c.value.nodes()), (g, y, out) -> out.add(0, g), c);
    }

    // ---- autodiff ---------------------------------------------------------------------------

    /** True if any component requires gradients. */
    public boolean isRequiresGrad() {
        return t.isRequiresGrad();
    }

    /**
     * Checks that this vector is differentiable (with {@code true}) or returns a detached copy
     * (with {@code false}).
     *
     * @throws IllegalStateException if {@code on} and no component requires gradients: a
     *     differentiable CoopVec is built from grad-enabled components
     */
    public CoopVec requiresGrad(boolean on) {
        if (!on) {
            return detach();
        }
        if (!isRequiresGrad()) {
            throw new IllegalStateException("CoopVec.requiresGrad(): to create a differentiable cooperative vector, "
                    + "construct it from grad-enabled components (call requiresGrad(true) on the tensors first)");
        }
        return this;
    }

    /** The same values without gradient tracking. */
    public CoopVec detach() {
        return new CoopVec(t.detach());
    }

    // ---- element-wise arithmetic --------------------------------------------------------------

    public CoopVec add(CoopVec o) {
        return zip("add()", o, Tensor::add);
    }

    public CoopVec add(Tensor o) {
        return broadcast("add()", o, Tensor::add);
    }

    public CoopVec add(double o) {
        return map(c -> c.add(o));
    }

    public CoopVec sub(CoopVec o) {
        return zip("sub()", o, Tensor::sub);
    }

    public CoopVec sub(Tensor o) {
        return broadcast("sub()", o, Tensor::sub);
    }

    public CoopVec sub(double o) {
        return map(c -> c.sub(o));
    }

    public CoopVec mul(CoopVec o) {
        return zip("mul()", o, Tensor::mul);
    }

    public CoopVec mul(Tensor o) {
        return broadcast("mul()", o, Tensor::mul);
    }

    public CoopVec mul(double o) {
        return map(c -> c.mul(o));
    }

    /** Element-wise minimum (NaN if either is NaN); a tie gives the gradient to both operands. */
    public CoopVec min(CoopVec o) {
        return zip("min()", o, (a, b) -> extremum("min()", a, b, false));
    }

    public CoopVec min(Tensor o) {
        return broadcast("min()", o, (a, b) -> extremum("min()", a, b, false));
    }

    public CoopVec min(double o) {
        return map(c -> extremum("min()", c, c.value.scalarLike("min()", o), false));
    }

    /** Element-wise maximum (NaN if either is NaN); a tie gives the gradient to both operands. */
    public CoopVec max(CoopVec o) {
        return zip("max()", o, (a, b) -> extremum("max()", a, b, true));
    }

    public CoopVec max(Tensor o) {
        return broadcast("max()", o, (a, b) -> extremum("max()", a, b, true));
    }

    public CoopVec max(double o) {
        return map(c -> extremum("max()", c, c.value.scalarLike("max()", o), true));
    }

    /** 0 where this {@code < o}, else 1 (the reference's {@code step}); no gradient. */
    public CoopVec step(CoopVec o) {
        return zip("step()", o, CoopVec::stepOf);
    }

    public CoopVec step(Tensor o) {
        return broadcast("step()", o, CoopVec::stepOf);
    }

    public CoopVec step(double o) {
        return map(c -> stepOf(c, c.value.scalarLike("step()", o)));
    }

    /** {@code this * b + c} with one rounding. */
    public CoopVec fma(CoopVec b, CoopVec c) {
        checkSameLength("fma()", b);
        checkSameLength("fma()", c);
        return new CoopVec(t.fma(b.t, c.t));
    }

    public CoopVec exp2() {
        return map(Tensor::exp2);
    }

    public CoopVec log2() {
        return map(Tensor::log2);
    }

    public CoopVec tanh() {
        return map(Tensor::tanh);
    }

    public CoopVec abs() {
        return map(Tensor::abs);
    }

    /** The components converted to another float dtype (the same vector if it is already). */
    public CoopVec cast(DType dtype) {
        Objects.requireNonNull(dtype, "cast(): dtype");
        checkArgument(dtype.isFloat(), "cast(): %s; a CoopVec holds F16, F32 or F64 values", dtype);
        return dtype == dtype() ? this : map(c -> c.to(dtype));
    }

    /**
     * {@code sum_i this_i * o_i} per lane, as a tensor {@code [N]}: {@code fma(this_i, o_i, acc)}
     * from {@code this_0 * o_0} in component order.
     */
    public Tensor dot(CoopVec o) {
        checkSameLength("dot()", o);
        long lanes = Math.max(width(), o.width());
        return Autodiff.op("dot()", () -> {
            Node[] x = t.value.nodes();
            Node[] y = o.t.value.nodes();
            Node acc = Tracer.binary(Op.MUL, x[0], y[0]);
            for (int i = 1; i < x.length; i++) {
                acc = Tracer.fma(x[i], y[i], acc);
            }
            return TensorValue.make(new long[] {lanes}, dtype(), device(), new Node[] {acc});
        }, (g, y, out) -> {
            if (out.input(0) != null) {
                out.add(0, o.t.mul(g));
            }
            if (out.input(1) != null) {
                out.add(1, t.mul(g));
            }
        }, t, o.t);
    }

    // ---- matrix-vector products ---------------------------------------------------------------

    /**
     * {@code op(a) * this}, where {@code op} transposes when {@code transpose} differs from the
     * view's own flag; accumulated in F32 (F64 for F64 vectors) and rounded once per output.
     *
     * @throws IllegalArgumentException if this vector's length differs from the columns of
     *     {@code op(a)} or the dtypes differ
     */
    public CoopVec matvec(MatrixView a, boolean transpose) {
        return CoopMatvec.apply(this, a, null, transpose);
    }

    /** {@code op(a) * this + bias}; {@code bias} is a vector view ({@code rows x 1}) of the output length. */
    public CoopVec matvec(MatrixView a, MatrixView bias, boolean transpose) {
        Objects.requireNonNull(bias, "matvec(): bias (use matvec(a, transpose) for none)");
        return CoopMatvec.apply(this, a, bias, transpose);
    }

    @Override
    public String toString() {
        return "CoopVec[" + dtype() + ", shape=(" + length() + ", " + width() + ")]";
    }

    // ---- internals ----------------------------------------------------------------------------

    /** The vector as a {@code [length, width]} tensor in vector form. */
    Tensor tensor() {
        return t;
    }

    private CoopVec map(UnaryOperator<Tensor> f) {
        return new CoopVec(f.apply(t));
    }

    private CoopVec zip(String op, CoopVec o, BinaryOperator<Tensor> f) {
        checkSameLength(op, o);
        return new CoopVec(f.apply(t, o.t));
    }

    private CoopVec broadcast(String op, Tensor o, BinaryOperator<Tensor> f) {
        Objects.requireNonNull(o, op + ": operand");
        long width = width();
        checkArgument(o.value.shape.length == 1 && (o.value.shape[0] == 1 || width == 1 || o.value.shape[0] == width),
                "%s: a tensor of shape %s with a CoopVec of %s lanes; use a [%s] or [1] tensor", op,
                Shapes.str(o.value.shape), width, width);
        return new CoopVec(f.apply(t, o.dtype() == dtype() ? o : o.to(dtype())));
    }

    private void checkSameLength(String op, CoopVec o) {
        Objects.requireNonNull(o, op + ": operand");
        checkArgument(o.length() == length(), "%s: CoopVecs of lengths %s and %s; the lengths must be equal", op,
                length(), o.length());
        checkArgument(o.dtype() == dtype(), "%s: CoopVecs of %s and %s; convert one with cast(%s)", op, dtype(),
                o.dtype(), dtype());
    }

    private static Tensor stepOf(Tensor x, Tensor y) {
        Tensor lt = x.detach().lt(y.detach());
        Tensor zero = x.value.scalarLike("step()", 0);
        return Tensor.where(lt, zero, x.value.scalarLike("step()", 1));
    }

    /** min or max whose derivative gives ties to both operands (the reference's CoopVec mode). */
    private static Tensor extremum(String op, Tensor a, Tensor b, boolean max) {
        return Autodiff.op(op, () -> max ? a.max(b) : a.min(b), (g, y, out) -> {
            Tensor zero = g.value.scalarLike("backward()", 0);
            if (out.input(0) != null) {
                out.add(0, Tensor.where(max ? a.ge(b) : a.le(b), g, zero));
            }
            if (out.input(1) != null) {
                out.add(1, Tensor.where(max ? b.ge(a) : b.le(a), g, zero));
            }
        }, a, b);
    }
}
