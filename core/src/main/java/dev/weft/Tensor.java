package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import java.util.List;

/**
 * An immutable n-dimensional array on a {@link Device}, traced lazily: operations build IR
 * nodes, and nothing runs until a value is read ({@link #toFloatArray}, {@link #item}),
 * {@link #eval() evaluated} or {@link #schedule() scheduled}.
 *
 * <p>The last axis is the lane axis. A tensor with at most 1024 components (the product of the
 * other axes) and at least as many lanes as components is traced as one node per component over
 * the lanes of its last axis; any other is one flat node over all its elements (DESIGN.md
 * "Tensors, lanes and components"). So {@code p} of shape {@code [2, N]} is two nodes over N, and
 * {@code p.squaredNorm(0)} adds them without any reduction kernel, while data written {@code
 * [batch, features]} ({@code [512, 3]}) is one node.
 *
 * {@snippet :
 * Tensor t = Tensor.arange(DType.F32, 4);              // [0, 1, 2, 3]
 * Tensor p = Tensor.meshgrid(t, t).add(0.5).div(4);    // [2, 16], x varies fastest
 * double r = p.squaredNorm(0).sum().item();            // one kernel
 * }
 *
 * <p>Errors: shapes and dtypes are checked while tracing, so bad input throws
 * {@link IllegalArgumentException} at the call that caused it, naming the operation, the values
 * and the fix, and leaves every tensor as it was. Null arguments throw {@link NullPointerException}.
 */
public final class Tensor {
    /** What this tensor is: shape, dtype, device, its nodes or buffer, its scope (internal). */
    final TensorValue value;
    /** The autodiff vertex of this tensor, or null when it does not require gradients. */
    private AdNode ad;

    Tensor(TensorValue value) {
        this.value = value;
        TensorScope scope = value.scope();
        if (scope != null) {
            scope.register(this);
        }
    }

    // ================================================================ creation

    /** An F32 tensor holding {@code data}; shape defaults to {@code [data.length]}. */
    public static Tensor of(float[] data, long... shape) {
        return Creation.of(data, shape);
    }

    /** An F64 tensor holding {@code data}. */
    public static Tensor of(double[] data, long... shape) {
        return Creation.of(data, shape);
    }

    /** An I32 tensor holding {@code data}. */
    public static Tensor of(int[] data, long... shape) {
        return Creation.of(data, shape);
    }

    /** A tensor of the given shape with every element {@code value} (nothing is stored until needed). */
    public static Tensor full(DType dtype, double value, long... shape) {
        return Creation.full(dtype, value, shape);
    }

    public static Tensor zeros(DType dtype, long... shape) {
        return Creation.full(dtype, 0, shape);
    }

    public static Tensor ones(DType dtype, long... shape) {
        return Creation.full(dtype, 1, shape);
    }

    /** {@code [0, 1, ..., n-1]} as a 1-D tensor of {@code dtype}. */
    public static Tensor arange(DType dtype, long n) {
        return Creation.arange(dtype, n);
    }

    /**
     * {@code n} evenly spaced values from {@code from} to {@code to} inclusive, computed in
     * double precision and rounded once to {@code dtype} (as NumPy).
     */
    public static Tensor linspace(DType dtype, double from, double to, long n) {
        return Creation.linspace(dtype, from, to, n);
    }

    /**
     * The grid of all pairs: {@code [2, len(x) * len(y)]}, row 0 the x coordinate (varying
     * fastest), row 1 the y coordinate. Lazy inputs are re-indexed, not materialized.
     */
    public static Tensor meshgrid(Tensor x, Tensor y) {
        return Derivatives.meshgrid(x, y);
    }

    /** Tensors of one shape stacked along a new axis 0. */
    public static Tensor stack(Tensor... tensors) {
        return Creation.stack(tensors);
    }

    /** Tensors joined along an existing axis; the other axes must match. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return Derivatives.concat(axis, tensors);
    }

    /**
     * A scalar whose value is passed to kernels at launch instead of being compiled in: use it
     * for values that change every step (learning rates, counters), so the same program with
     * another value compiles nothing new.
     */
    public static Tensor opaque(DType dtype, double value) {
        return Creation.opaque(dtype, value);
    }

    // ================================================================ inspection

    public long[] shape() {
        return value.shape.clone();
    }

    public DType dtype() {
        return value.dtype;
    }

    public Device device() {
        return value.device;
    }

    public long numel() {
        return value.numel();
    }

    public int rank() {
        return value.shape.length;
    }

    /** Evaluates (if needed) and returns the elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return value.readFloats("toFloatArray()");
    }

    /** Evaluates (if needed) and returns the elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return value.readDoubles("toDoubleArray()");
    }

    /**
     * Evaluates and returns the elements converted to int (as {@link #to(DType) to(I32)}: floats
     * truncate, NaN gives 0, out of range saturates).
     */
    public int[] toIntArray() {
        return value.readInts("toIntArray()");
    }

    /** The single element of a one-element tensor, as a double. */
    public double item() {
        return value.readItem("item()");
    }

    /** Evaluates this tensor now (with every pending side effect); returns it. */
    public Tensor eval() {
        value.checkUsable("eval()");
        TensorValue.evalAll(List.of(this));
        return this;
    }

    /**
     * Marks this tensor to be evaluated with the next evaluation (any read, {@link #eval()} or
     * {@link Weft#eval}), in the same kernels as everything else pending; returns it.
     */
    public Tensor schedule() {
        value.checkUsable("schedule()");
        value.recordStoresOnce();
        return this;
    }

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ================================================================ element-wise

    public Tensor add(Tensor o) {
        return Derivatives.binary("add()", Op.ADD, this, o);
    }

    public Tensor add(double o) {
        return add(value.scalarLike("add()", o));
    }

    public Tensor sub(Tensor o) {
        return Derivatives.binary("sub()", Op.SUB, this, o);
    }

    public Tensor sub(double o) {
        return sub(value.scalarLike("sub()", o));
    }

    public Tensor mul(Tensor o) {
        return Derivatives.binary("mul()", Op.MUL, this, o);
    }

    public Tensor mul(double o) {
        return mul(value.scalarLike("mul()", o));
    }

    /** Division; integer division truncates, and dividing an integer by zero gives 0. */
    public Tensor div(Tensor o) {
        return Derivatives.binary("div()", Op.DIV, this, o);
    }

    public Tensor div(double o) {
        return div(value.scalarLike("div()", o));
    }

    /** Remainder with the sign of the dividend (as Java's %); integer remainder by zero gives 0. */
    public Tensor rem(Tensor o) {
        return Derivatives.binary("rem()", Op.REM, this, o);
    }

    public Tensor rem(double o) {
        return rem(value.scalarLike("rem()", o));
    }

    /** Element-wise minimum; NaN if either operand is NaN. */
    public Tensor min(Tensor o) {
        return Derivatives.binary("min()", Op.MIN, this, o);
    }

    public Tensor min(double o) {
        return min(value.scalarLike("min()", o));
    }

    public Tensor max(Tensor o) {
        return Derivatives.binary("max()", Op.MAX, this, o);
    }

    public Tensor max(double o) {
        return max(value.scalarLike("max()", o));
    }

    /**
     * {@code this ^ o}, computed as {@code exp2(o * log2|this|)} in F32 or F64 (F16 rounds once):
     * a negative base takes the sign from an integral exponent's parity and gives NaN otherwise;
     * {@code x^0 = 1}; a zero base gives 0 for positive and infinity for negative exponents.
     * Integer tensors compute in F32.
     */
    public Tensor pow(Tensor o) {
        return Derivatives.pow(this, o);
    }

    public Tensor pow(double o) {
        Tensor base = value.dtype.isFloat() ? this : to(DType.F32);
        return Derivatives.pow(base, base.value.scalarLike("pow()", o));
    }

    /** {@code this * b + c} with one rounding. */
    public Tensor fma(Tensor b, Tensor c) {
        return Derivatives.fma(this, b, c);
    }

    public Tensor neg() {
        return Derivatives.unary("neg()", Op.NEG, this, () -> Elementwise.unary("neg()", Op.NEG, this));
    }

    public Tensor abs() {
        return Derivatives.unary("abs()", Op.ABS, this, () -> Elementwise.unary("abs()", Op.ABS, this));
    }

    public Tensor sqrt() {
        return Derivatives.unary("sqrt()", Op.SQRT, this, () -> Elementwise.floatUnary("sqrt()", Op.SQRT, this));
    }

    /** {@code 1 / sqrt(x)}; F16 computes in F32 and rounds once. */
    public Tensor rsqrt() {
        return Derivatives.rsqrt(this, () -> Elementwise.rsqrt(this));
    }

    public Tensor exp() {
        return Derivatives.unary("exp()", Op.EXP, this, () -> Elementwise.floatUnary("exp()", Op.EXP, this));
    }

    public Tensor exp2() {
        return Derivatives.unary("exp2()", Op.EXP2, this, () -> Elementwise.floatUnary("exp2()", Op.EXP2, this));
    }

    public Tensor log() {
        return Derivatives.unary("log()", Op.LOG, this, () -> Elementwise.floatUnary("log()", Op.LOG, this));
    }

    public Tensor log2() {
        return Derivatives.unary("log2()", Op.LOG2, this, () -> Elementwise.floatUnary("log2()", Op.LOG2, this));
    }

    public Tensor sin() {
        return Derivatives.unary("sin()", Op.SIN, this, () -> Elementwise.floatUnary("sin()", Op.SIN, this));
    }

    public Tensor cos() {
        return Derivatives.unary("cos()", Op.COS, this, () -> Elementwise.floatUnary("cos()", Op.COS, this));
    }

    public Tensor tanh() {
        return Derivatives.unary("tanh()", Op.TANH, this, () -> Elementwise.floatUnary("tanh()", Op.TANH, this));
    }

    /** {@code 1 / (1 + exp(-x))}; F16 computes in F32 and rounds once. */
    public Tensor sigmoid() {
        return Derivatives.sigmoid(this, () -> Elementwise.sigmoid(this));
    }

    public Tensor floor() {
        return Elementwise.unary("floor()", Op.FLOOR, this);
    }

    public Tensor ceil() {
        return Elementwise.unary("ceil()", Op.CEIL, this);
    }

    /** Rounds half to even. */
    public Tensor round() {
        return Elementwise.unary("round()", Op.ROUND, this);
    }

    public Tensor trunc() {
        return Elementwise.unary("trunc()", Op.TRUNC, this);
    }

    /** {@code min(max(x, lo), hi)}. */
    public Tensor clip(double lo, double hi) {
        checkArgument(!(lo > hi), "clip(): lo %s is greater than hi %s", lo, hi);
        return max(lo).min(hi);
    }

    public Tensor lt(Tensor o) {
        return Elementwise.binary("lt()", Op.LT, this, o);
    }

    public Tensor lt(double o) {
        return Elementwise.binary("lt()", Op.LT, this, o);
    }

    public Tensor le(Tensor o) {
        return Elementwise.binary("le()", Op.LE, this, o);
    }

    public Tensor le(double o) {
        return Elementwise.binary("le()", Op.LE, this, o);
    }

    public Tensor gt(Tensor o) {
        return Elementwise.binary("gt()", Op.GT, this, o);
    }

    public Tensor gt(double o) {
        return Elementwise.binary("gt()", Op.GT, this, o);
    }

    public Tensor ge(Tensor o) {
        return Elementwise.binary("ge()", Op.GE, this, o);
    }

    public Tensor ge(double o) {
        return Elementwise.binary("ge()", Op.GE, this, o);
    }

    public Tensor eq(Tensor o) {
        return Elementwise.binary("eq()", Op.EQ, this, o);
    }

    public Tensor eq(double o) {
        return Elementwise.binary("eq()", Op.EQ, this, o);
    }

    public Tensor ne(Tensor o) {
        return Elementwise.binary("ne()", Op.NE, this, o);
    }

    public Tensor ne(double o) {
        return Elementwise.binary("ne()", Op.NE, this, o);
    }

    /** Bitwise and (logical for BOOL); integer and BOOL tensors only. */
    public Tensor and(Tensor o) {
        return Elementwise.bitwise("and()", Op.AND, this, o);
    }

    public Tensor or(Tensor o) {
        return Elementwise.bitwise("or()", Op.OR, this, o);
    }

    public Tensor xor(Tensor o) {
        return Elementwise.bitwise("xor()", Op.XOR, this, o);
    }

    /** Bitwise not (logical for BOOL). */
    public Tensor not() {
        return Elementwise.not(this);
    }

    /** Shift left; the count is masked to the bit width minus one (as Java). */
    public Tensor shiftLeft(Tensor count) {
        return Elementwise.shift("shiftLeft()", Op.SHL, this, count);
    }

    public Tensor shiftLeft(int count) {
        return Elementwise.shift("shiftLeft()", Op.SHL, this, full(value.dtype, count));
    }

    /** Shift right: arithmetic for signed, logical for unsigned types; count masked. */
    public Tensor shiftRight(Tensor count) {
        return Elementwise.shift("shiftRight()", Op.SHR, this, count);
    }

    public Tensor shiftRight(int count) {
        return Elementwise.shift("shiftRight()", Op.SHR, this, full(value.dtype, count));
    }

    /** {@code mask ? a : b} element-wise, broadcast; {@code mask} must be BOOL. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return Derivatives.where(mask, a, b);
    }

    /**
     * Conversion to another dtype: float to integer truncates, NaN gives 0, out of range
     * saturates; to F16 rounds to nearest even; to BOOL is {@code != 0}.
     */
    public Tensor to(DType target) {
        return Elementwise.cast(this, target);
    }

    /** Reinterprets the bits as a dtype of the same width ({@code F32} as {@code U32}...). */
    public Tensor bitcast(DType target) {
        return Elementwise.bitcast(this, target);
    }

    /** A copy on another device (evaluates this tensor first). */
    public Tensor to(Device target) {
        return Derivatives.toDevice(this, target);
    }

    // ================================================================ indexing and shape

    /** Elements at flat (row-major) positions {@code index}; out-of-range positions give 0. */
    public Tensor gather(Tensor index) {
        return Derivatives.gather(this, index);
    }

    /**
     * A copy of this tensor with {@code values} added at flat positions {@code index}
     * (positions out of range are skipped; repeated positions accumulate).
     */
    public Tensor scatterAdd(Tensor index, Tensor values) {
        return Derivatives.scatterAdd(this, index, values);
    }

    /** Elements {@code from..to-1} along {@code axis}. */
    public Tensor slice(int axis, long from, long to) {
        return Derivatives.slice(this, axis, from, to);
    }

    /** Element {@code i} along axis 0 (the result has one axis less). */
    public Tensor get(long i) {
        return Derivatives.get(this, i);
    }

    /** The same elements in another shape (row-major order); one dimension may be -1. */
    public Tensor reshape(long... newShape) {
        return Derivatives.reshape(this, newShape);
    }

    /** Axes reversed (a matrix transposed). */
    public Tensor transpose() {
        return Derivatives.transpose(this);
    }

    // ================================================================ reductions

    /** Sum of all elements (shape {@code []}). F16 sums in F32 and rounds once. */
    public Tensor sum() {
        return Derivatives.sum(this);
    }

    /** Sum along {@code axis}; over a leading axis this adds component nodes (no kernel of its own). */
    public Tensor sum(int axis) {
        return Derivatives.sum(this, axis);
    }

    public Tensor mean() {
        return Derivatives.mean(this);
    }

    public Tensor mean(int axis) {
        return Derivatives.mean(this, axis);
    }

    /** Largest element (NaN if any is NaN). */
    public Tensor max() {
        return Derivatives.max(this);
    }

    /** {@code sum(x * x, axis)}. */
    public Tensor squaredNorm(int axis) {
        value.checkUsable("squaredNorm()");
        return mul(this).sum(axis);
    }

    /** Matrix product of 2-D tensors, or batched over a leading axis for 3-D tensors. */
    public Tensor matmul(Tensor o) {
        return Derivatives.matmul(this, o, false, false);
    }

    /**
     * {@code op(this) @ op(o)}, where {@code op} swaps the last two axes of an operand whose flag
     * is set: {@code x.matmul(x, false, true)} is {@code x x^T} for a 2-D {@code x}, or for each
     * matrix of a batched 3-D {@code x} (which {@link #transpose()}, reversing every axis, cannot
     * express). Nothing is copied: the product reads the operands transposed.
     */
    public Tensor matmul(Tensor o, boolean transposeThis, boolean transposeOther) {
        return Derivatives.matmul(this, o, transposeThis, transposeOther);
    }

    // ================================================================ autodiff

    /**
     * Turns gradient tracking on (this tensor becomes a leaf whose {@link #grad()} accumulates
     * in {@link #backward()}) or off (only for leaves; use {@link #detach()} otherwise).
     *
     * @return this tensor
     * @throws IllegalArgumentException for a non-float tensor
     */
    public Tensor requiresGrad(boolean on) {
        return Autodiff.requiresGrad(this, on);
    }

    /** True if this tensor is a leaf with gradients on or is computed from one. */
    public boolean isRequiresGrad() {
        return ad != null;
    }

    /**
     * The gradient accumulated by {@link #backward()}: for a leaf, or for a computed tensor after
     * {@link #retainGrad()}; null otherwise or before any backward pass.
     */
    public Tensor grad() {
        return Autodiff.grad(this);
    }

    /** Sets (or with null clears) the gradient that the next {@link #backward()} adds to. */
    public void setGrad(Tensor g) {
        Autodiff.setGrad(this, g);
    }

    /** Keeps the gradient of this computed tensor in the next backward passes; returns this. */
    public Tensor retainGrad() {
        return Autodiff.retainGrad(this);
    }

    /**
     * Reverse-mode differentiation of the sum of this tensor's elements: adds into the {@link
     * #grad()} of every leaf it depends on, releases the traced graph behind it and schedules
     * this tensor, so reading it afterwards comes out of the same kernel as the backward pass.
     *
     * @throws IllegalStateException if this tensor does not require gradients, or its graph was
     *     released by an earlier backward pass
     */
    public void backward() {
        Autodiff.backward(this);
    }

    /** The same value without gradient tracking (nothing is copied). */
    public Tensor detach() {
        return Derivatives.detach(this);
    }

    // ================================================================ internals for the package

    AdNode ad() {
        return ad;
    }

    void setAd(AdNode node) {
        this.ad = node;
    }

    /** A second tensor object with this one's value (nodes or buffer) and no gradient tracking of its own. */
    Tensor alias() {
        return new Tensor(value.alias());
    }

    /** This tensor's value for use inside a backward rule (no tracking). */
    Tensor detachedValue() {
        return ad == null ? this : detach();
    }
}
