package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Node;
import dev.weft.ir.Op;
import dev.weft.ir.OpaqueScalar;
import dev.weft.ir.ScalarOps;
import dev.weft.ir.Tracer;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable n-dimensional array on a {@link Device}, traced lazily: operations build IR
 * nodes, and nothing runs until a value is read ({@link #toFloatArray}, {@link #item}),
 * {@link #eval() evaluated} or {@link #schedule() scheduled}.
 *
 * <p>The last axis is the lane axis. A tensor with at most 1024 components (the product of the
 * other axes) is traced as one node per component over the lanes of its last axis; a larger one
 * is one flat node over all its elements (DESIGN.md "Tensors, lanes and components"). So
 * {@code p} of shape {@code [2, N]} is two nodes over N, and {@code p.squaredNorm(0)} adds them
 * without any reduction kernel.
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
    private final long[] shape;
    private final DType dtype;
    private final Device device;
    /** One node per component (each of size lanes() or 1), or one flat node over numel() (or 1). */
    private Node[] nodes;
    /** This tensor's own contiguous copy, once evaluated. */
    private Buffer backing;
    private TensorScope scope;
    private int pins;
    private boolean freed;
    private boolean scheduled;
    /** The autodiff vertex of this tensor, or null when it does not require gradients. */
    private AdNode ad;

    Tensor(long[] shape, DType dtype, Device device, Node[] nodes) {
        this.shape = shape;
        this.dtype = dtype;
        this.device = device;
        this.nodes = nodes;
        this.scope = TensorScope.current();
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

    private static Buffer allocate(Device device, DType dtype, long n, TensorScope owner) {
        device.checkOpen("allocate");
        Buffer b = device.allocator().allocate(dtype, n, owner == null ? null : owner.frame());
        if (owner != null) {
            owner.frame().track(b);
        }
        return b;
    }

    /** A tensor whose elements are {@code buffer[0..numel)}, read lazily through loads. */
    static Tensor fromBuffer(Buffer buffer, long[] shape, Device device) {
        Tensor t = new Tensor(shape, buffer.dtype(), device, loadNodes(buffer, shape));
        t.backing = buffer;
        return t;
    }

    private static Node[] loadNodes(Buffer buffer, long[] shape) {
        if (Shapes.isFlat(shape)) {
            return new Node[] {Tracer.load(buffer, Tracer.lane((int) Shapes.numel(shape)))};
        }
        int c = (int) Shapes.components(shape);
        int n = (int) Shapes.lanes(shape);
        Node lane = Tracer.lane(n);
        Node[] out = new Node[c];
        for (int i = 0; i < c; i++) {
            out[i] = Tracer.load(buffer, i == 0 ? lane : Tracer.binary(Op.ADD, lane, offset((long) i * n)));
        }
        return out;
    }

    /** An element offset, passed at launch so that kernels do not depend on sizes. */
    static Node offset(long value) {
        return Tracer.param(new OpaqueScalar(DType.I32, value));
    }

    // ================================================================ inspection

    public long[] shape() {
        return shape.clone();
    }

    public DType dtype() {
        return dtype;
    }

    public Device device() {
        return device;
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    public int rank() {
        return shape.length;
    }

    /** Evaluates (if needed) and returns the elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        long[] bits = readBits("toFloatArray()");
        float[] out = new float[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ScalarOps.toDouble(dtype, bits[i]);
        }
        return out;
    }

    /** Evaluates (if needed) and returns the elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        long[] bits = readBits("toDoubleArray()");
        double[] out = new double[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ScalarOps.toDouble(dtype, bits[i]);
        }
        return out;
    }

    /**
     * Evaluates and returns the elements converted to int (as {@link #to(DType) to(I32)}: floats
     * truncate, NaN gives 0, out of range saturates).
     */
    public int[] toIntArray() {
        long[] bits = readBits("toIntArray()");
        int[] out = new int[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) ScalarOps.cast(dtype, DType.I32, bits[i]);
        }
        return out;
    }

    /** The single element of a one-element tensor, as a double. */
    public double item() {
        checkUsable("item()");
        checkArgument(numel() == 1, "item(): the tensor has shape %s (%s elements); item() reads exactly one; "
                + "select one with get(i) or reduce with sum()", Shapes.str(shape), numel());
        return toDoubleArray()[0];
    }

    /** Canonical bits of every element, row-major (see {@link ScalarOps}); evaluates first. */
    long[] readBits(String op) {
        checkUsable(op);
        eval();
        return HostTransfer.read(device, backing, dtype, (int) numel());
    }

    /** Evaluates this tensor now (with every pending side effect); returns it. */
    public Tensor eval() {
        checkUsable("eval()");
        evalAll(List.of(this));
        return this;
    }

    /**
     * Marks this tensor to be evaluated with the next evaluation (any read, {@link #eval()} or
     * {@link Weft#eval}), in the same kernels as everything else pending; returns it.
     */
    public Tensor schedule() {
        checkUsable("schedule()");
        if (backing == null && !scheduled) {
            scheduled = true;
            recordStores();
        }
        return this;
    }

    /** Evaluates several tensors together: one kernel per domain size for all of them. */
    static void evalAll(List<Tensor> tensors) {
        for (Tensor t : tensors) {
            if (t.backing == null && !t.scheduled) {
                t.scheduled = true;
                t.recordStores();
            }
        }
        Scheduler.evaluate();
    }

    /** Allocates this tensor's buffer and records the stores that fill it; switches to reading it. */
    private void recordStores() {
        long n = numel();
        Buffer buf = allocate(device, dtype, n, scope);
        if (n > 0) {
            if (Shapes.isFlat(shape)) {
                store(buf, nodes[0], 0, (int) n);
            } else {
                int lanes = (int) Shapes.lanes(shape);
                for (int c = 0; c < nodes.length; c++) {
                    store(buf, nodes[c], (long) c * lanes, lanes);
                }
            }
        }
        backing = buf;
        nodes = loadNodes(buf, shape);
    }

    /** Records the store of {@code value} (over {@code lanes} lanes) to {@code buf[offset + lane]}. */
    static void store(Buffer buf, Node value, long offset, int lanes) {
        Node lane = Tracer.lane(lanes);
        storeAt(buf, value, offset == 0 ? lane : Tracer.binary(Op.ADD, lane, offset(offset)), lanes);
    }

    /** Records the store of {@code value} (over {@code lanes} lanes) to {@code buf[index]}. */
    static void storeAt(Buffer buf, Node value, Node index, int lanes) {
        Node scatter = Tracer.scatter(Op.SCATTER, buf, index, value, Tracer.literal(DType.BOOL, 1),
                offset(buf.length()), lanes);
        Scheduler.record(new Effect.Scatter(scatter));
    }

    @Override
    public String toString() {
        if (freed || device.isClosed()) {
            return "Tensor(" + dtype + " " + Shapes.str(shape) + ", " + (freed ? "freed" : "device closed") + ")";
        }
        return TensorFormat.format(this);
    }

    // ================================================================ element-wise

    public Tensor add(Tensor o) {
        return Derivatives.binary("add()", Op.ADD, this, o);
    }

    public Tensor add(double o) {
        return add(scalarLike("add()", o));
    }

    public Tensor sub(Tensor o) {
        return Derivatives.binary("sub()", Op.SUB, this, o);
    }

    public Tensor sub(double o) {
        return sub(scalarLike("sub()", o));
    }

    public Tensor mul(Tensor o) {
        return Derivatives.binary("mul()", Op.MUL, this, o);
    }

    public Tensor mul(double o) {
        return mul(scalarLike("mul()", o));
    }

    /** Division; integer division truncates, and dividing an integer by zero gives 0. */
    public Tensor div(Tensor o) {
        return Derivatives.binary("div()", Op.DIV, this, o);
    }

    public Tensor div(double o) {
        return div(scalarLike("div()", o));
    }

    /** Remainder with the sign of the dividend (as Java's %); integer remainder by zero gives 0. */
    public Tensor rem(Tensor o) {
        return Derivatives.binary("rem()", Op.REM, this, o);
    }

    public Tensor rem(double o) {
        return rem(scalarLike("rem()", o));
    }

    /** Element-wise minimum; NaN if either operand is NaN. */
    public Tensor min(Tensor o) {
        return Derivatives.binary("min()", Op.MIN, this, o);
    }

    public Tensor min(double o) {
        return min(scalarLike("min()", o));
    }

    public Tensor max(Tensor o) {
        return Derivatives.binary("max()", Op.MAX, this, o);
    }

    public Tensor max(double o) {
        return max(scalarLike("max()", o));
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
        Tensor base = dtype.isFloat() ? this : to(DType.F32);
        return Derivatives.pow(base, base.scalarLike("pow()", o));
    }

    /** {@code this * b + c} with one rounding. */
    public Tensor fma(Tensor b, Tensor c) {
        return Derivatives.fma(this, b, c);
    }

    public Tensor neg() {
        return Derivatives.unary("neg()", Op.NEG, this, () -> unary("neg()", Op.NEG));
    }

    public Tensor abs() {
        return Derivatives.unary("abs()", Op.ABS, this, () -> unary("abs()", Op.ABS));
    }

    public Tensor sqrt() {
        return Derivatives.unary("sqrt()", Op.SQRT, this, () -> floatUnary("sqrt()", Op.SQRT));
    }

    /** {@code 1 / sqrt(x)}; F16 computes in F32 and rounds once. */
    public Tensor rsqrt() {
        return Derivatives.rsqrt(this, this::rsqrtValue);
    }

    private Tensor rsqrtValue() {
        if (dtype == DType.F16) {
            return to(DType.F32).rsqrt().to(DType.F16);
        }
        Tensor s = sqrt();
        return Elementwise.map("rsqrt()", s, n -> Tracer.binary(Op.DIV, Tracer.literal(n.type(), 1), n));
    }

    public Tensor exp() {
        return Derivatives.unary("exp()", Op.EXP, this, () -> floatUnary("exp()", Op.EXP));
    }

    public Tensor exp2() {
        return Derivatives.unary("exp2()", Op.EXP2, this, () -> floatUnary("exp2()", Op.EXP2));
    }

    public Tensor log() {
        return Derivatives.unary("log()", Op.LOG, this, () -> floatUnary("log()", Op.LOG));
    }

    public Tensor log2() {
        return Derivatives.unary("log2()", Op.LOG2, this, () -> floatUnary("log2()", Op.LOG2));
    }

    public Tensor sin() {
        return Derivatives.unary("sin()", Op.SIN, this, () -> floatUnary("sin()", Op.SIN));
    }

    public Tensor cos() {
        return Derivatives.unary("cos()", Op.COS, this, () -> floatUnary("cos()", Op.COS));
    }

    public Tensor tanh() {
        return Derivatives.unary("tanh()", Op.TANH, this, () -> floatUnary("tanh()", Op.TANH));
    }

    /** {@code 1 / (1 + exp(-x))}; F16 computes in F32 and rounds once. */
    public Tensor sigmoid() {
        return Derivatives.sigmoid(this, this::sigmoidValue);
    }

    private Tensor sigmoidValue() {
        if (dtype == DType.F16) {
            return to(DType.F32).sigmoid().to(DType.F16);
        }
        Tensor e = floatUnary("sigmoid()", Op.NEG).exp();
        return Elementwise.map("sigmoid()", e, n -> Tracer.binary(Op.DIV, Tracer.literal(n.type(), 1),
                Tracer.binary(Op.ADD, Tracer.literal(n.type(), 1), n)));
    }

    public Tensor floor() {
        return unary("floor()", Op.FLOOR);
    }

    public Tensor ceil() {
        return unary("ceil()", Op.CEIL);
    }

    /** Rounds half to even. */
    public Tensor round() {
        return unary("round()", Op.ROUND);
    }

    public Tensor trunc() {
        return unary("trunc()", Op.TRUNC);
    }

    /** {@code min(max(x, lo), hi)}. */
    public Tensor clip(double lo, double hi) {
        checkArgument(!(lo > hi), "clip(): lo %s is greater than hi %s", lo, hi);
        return max(lo).min(hi);
    }

    public Tensor lt(Tensor o) {
        return binary("lt()", Op.LT, o);
    }

    public Tensor lt(double o) {
        return binary("lt()", Op.LT, o);
    }

    public Tensor le(Tensor o) {
        return binary("le()", Op.LE, o);
    }

    public Tensor le(double o) {
        return binary("le()", Op.LE, o);
    }

    public Tensor gt(Tensor o) {
        return binary("gt()", Op.GT, o);
    }

    public Tensor gt(double o) {
        return binary("gt()", Op.GT, o);
    }

    public Tensor ge(Tensor o) {
        return binary("ge()", Op.GE, o);
    }

    public Tensor ge(double o) {
        return binary("ge()", Op.GE, o);
    }

    public Tensor eq(Tensor o) {
        return binary("eq()", Op.EQ, o);
    }

    public Tensor eq(double o) {
        return binary("eq()", Op.EQ, o);
    }

    public Tensor ne(Tensor o) {
        return binary("ne()", Op.NE, o);
    }

    public Tensor ne(double o) {
        return binary("ne()", Op.NE, o);
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
        checkArgument(!dtype.isFloat(), "not(): %s is a float type; not() takes integer or BOOL tensors", dtype);
        return unary("not()", Op.NOT);
    }

    /** Shift left; the count is masked to the bit width minus one (as Java). */
    public Tensor shiftLeft(Tensor count) {
        return Elementwise.shift("shiftLeft()", Op.SHL, this, count);
    }

    public Tensor shiftLeft(int count) {
        return Elementwise.shift("shiftLeft()", Op.SHL, this, full(dtype, count));
    }

    /** Shift right: arithmetic for signed, logical for unsigned types; count masked. */
    public Tensor shiftRight(Tensor count) {
        return Elementwise.shift("shiftRight()", Op.SHR, this, count);
    }

    public Tensor shiftRight(int count) {
        return Elementwise.shift("shiftRight()", Op.SHR, this, full(dtype, count));
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
        Objects.requireNonNull(target, "to(): dtype");
        checkUsable("to()");
        if (target == dtype) {
            return this;
        }
        return Derivatives.passThrough("to()", this, () -> Elementwise.mapTo("to()", this, target, n -> Tracer.cast(n, target)));
    }

    /** Reinterprets the bits as a dtype of the same width ({@code F32} as {@code U32}...). */
    public Tensor bitcast(DType target) {
        Objects.requireNonNull(target, "bitcast(): dtype");
        checkUsable("bitcast()");
        checkArgument(target.bytes() == dtype.bytes(), "bitcast(): %s (%s bytes) and %s (%s bytes) differ in width; "
                + "use to(%s) to convert values", dtype, dtype.bytes(), target, target.bytes(), target);
        return Elementwise.mapTo("bitcast()", this, target, n -> Tracer.bitcast(n, target));
    }

    /** A copy on another device (evaluates this tensor first). */
    public Tensor to(Device target) {
        Objects.requireNonNull(target, "to(): device");
        checkUsable("to()");
        target.checkOpen("to()");
        if (target == device) {
            return this;
        }
        return Derivatives.passThrough("to()", this, () -> {
            eval();
            Buffer copy = HostTransfer.copy(device, backing, target, newBuffer(target, dtype, numel()));
            return fromBuffer(copy, shape, target);
        });
    }

    private Tensor unary(String op, Op code) {
        checkUsable(op);
        if (dtype == DType.BOOL && code != Op.NOT) {
            throw new IllegalArgumentException(op + ": not defined for BOOL tensors; convert with to(DType.I32) first");
        }
        return Elementwise.map(op, this, n -> Tracer.unary(code, n));
    }

    private Tensor floatUnary(String op, Op code) {
        checkUsable(op);
        Tensor x = dtype.isFloat() ? this : to(DType.F32);
        return Elementwise.map(op, x, n -> Tracer.unary(code, n));
    }

    private Tensor binary(String op, Op code, Tensor o) {
        return Elementwise.binary(op, code, this, o);
    }

    private Tensor binary(String op, Op code, double o) {
        return Elementwise.binary(op, code, this, scalarLike(op, o));
    }

    /** A Java scalar as a literal of this tensor's dtype (DESIGN.md: a Java scalar takes the tensor's dtype). */
    Tensor scalarLike(String op, double v) {
        checkUsable(op);
        DType t = dtype == DType.BOOL ? DType.I32 : dtype;
        return Creation.broadcastNode(Tracer.literal(t, checkedScalar(op, t, v)), new long[0], t).onDevice(device);
    }

    private Tensor onDevice(Device d) {
        return d == device ? this : new Tensor(shape, dtype, d, nodes);
    }

    static double checkedScalar(String op, DType dtype, double v) {
        if (!dtype.isFloat() && dtype != DType.BOOL) {
            checkArgument(v == Math.rint(v) && !Double.isInfinite(v), "%s: the scalar %s is not an integer, but the "
                    + "tensor is %s; convert the tensor with to(DType.F32) first", op, v, dtype);
        }
        return v;
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
        checkUsable("squaredNorm()");
        return mul(this).sum(axis);
    }

    /** Matrix product of 2-D tensors, or batched over a leading axis for 3-D tensors. */
    public Tensor matmul(Tensor o) {
        return Derivatives.matmul(this, o);
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
        Tensor t = new Tensor(shape, dtype, device, nodes);
        t.backing = backing;
        return t;
    }

    /** This tensor's value for use inside a backward rule (no tracking). */
    Tensor detachedValue() {
        return ad == null ? this : detach();
    }

    /** Every element {@code value} in {@code shape}, on {@code device} (a literal; nothing is stored). */
    static Tensor fullOn(Device device, DType dtype, double value, long[] shape) {
        Node v = Tracer.literal(dtype, value);
        int count = Shapes.isFlat(shape) ? 1 : (int) Shapes.components(shape);
        Node[] ns = new Node[count];
        Arrays.fill(ns, v);
        return new Tensor(shape, dtype, device, ns);
    }

    Node[] nodes() {
        return nodes;
    }

    Buffer backing() {
        return backing;
    }

    boolean isFlatForm() {
        return Shapes.isFlat(shape);
    }

    long[] shapeRef() {
        return shape;
    }

    /** Throws if this tensor was freed by its scope or its device was closed. */
    void checkUsable(String op) {
        if (freed) {
            throw new IllegalStateException(op + ": the tensor (" + dtype + " " + Shapes.str(shape) + ") was freed when "
                    + "its Weft.scope() closed; keep it with scope.keep(t), hold it in a Parameter, or create it "
                    + "outside the scope");
        }
        device.checkOpen(op);
    }

    /**
     * Checks the operands of {@code op}: none null, none freed or on a closed device, all on the
     * device of the first.
     */
    static void checkOperands(String op, Tensor... operands) {
        for (int i = 0; i < operands.length; i++) {
            Objects.requireNonNull(operands[i], op + ": operand " + i + " is null");
            operands[i].checkUsable(op);
            checkSameDevice(op, operands[0], operands[i]);
        }
    }

    static void checkSameDevice(String op, Tensor a, Tensor b) {
        if (a.device != b.device) {
            throw new IllegalArgumentException(op + ": operands live on devices " + a.device + " and " + b.device
                    + "; move one with to(Device)");
        }
    }

    void pin() {
        pins++;
    }

    void unpin() {
        pins--;
    }

    boolean isPinned() {
        return pins > 0;
    }

    boolean isFreed() {
        return freed;
    }

    void markFreed() {
        freed = true;
        nodes = null;
        backing = null;
    }

    void moveTo(TensorScope parent) {
        scope = parent;
        if (parent != null) {
            parent.register(this);
        }
    }

    /** Buffers this tensor's nodes read. */
    Set<Buffer> buffersReferenced() {
        Set<Buffer> out = new LinkedHashSet<>();
        List<Node> stack = new ArrayList<>(Arrays.asList(nodes));
        Set<Node> seen = new HashSet<>();
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (!seen.add(n)) {
                continue;
            }
            if (n.ref() instanceof Buffer b) {
                out.add(b);
            }
            for (int i = 0; i < n.arity(); i++) {
                stack.add(n.arg(i));
            }
        }
        return out;
    }

    /** A new tensor of this device from nodes (the package's constructor of results). */
    static Tensor make(long[] shape, DType dtype, Device device, Node[] nodes) {
        return new Tensor(shape, dtype, device, nodes);
    }

    static Buffer newBuffer(Device device, DType dtype, long n) {
        return allocate(device, dtype, n, TensorScope.current());
    }
}
