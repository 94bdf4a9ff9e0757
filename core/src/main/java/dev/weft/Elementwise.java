package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Element-wise operations: dtype promotion, NumPy broadcasting and the per-component (or flat)
 * application of an op. In component form, broadcasting only picks component nodes (a size-1
 * node stands for a value repeated over the lanes), so nothing is copied.
 *
 * <p>An operand in vector form (the tensor of a {@link CoopVec}) makes the result one vector
 * node, when the result has its components: the op applies to whole vectors, an operand with one
 * component takes part as a scalar (it stands for every component), and one of C components in
 * component form is {@code PACK}ed. So a CoopVec operation and each of its derivative terms is
 * one node, whatever the vector's length.
 */
final class Elementwise {
    private Elementwise() {}

    /** Applies {@code f} to every node of {@code x}; the result dtype is what {@code f} produces. */
    static Tensor map(String op, Tensor x, UnaryOperator<Node> f) {
        x.value.checkUsable(op);
        if (x.value.isVectorForm()) {
            Node y = f.apply(x.value.vector());
            return TensorValue.makeVector(x.value.shape, y.type(), x.device(), y);
        }
        Node[] in = x.value.nodes();
        Node[] out = new Node[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = f.apply(in[i]);
        }
        DType t = out.length > 0 ? out[0].type() : x.dtype();
        return TensorValue.make(x.value.shape, t, x.device(), out);
    }

    static Tensor mapTo(String op, Tensor x, DType target, UnaryOperator<Node> f) {
        x.value.checkUsable(op);
        if (x.value.isVectorForm()) {
            Node v = x.value.vector();
            Node y = f.apply(v);
            return y == v && target == x.dtype() ? x : TensorValue.makeVector(x.value.shape, target, x.device(), y);
        }
        Node[] in = x.value.nodes();
        Node[] out = new Node[in.length];
        boolean same = target == x.dtype();
        for (int i = 0; i < in.length; i++) {
            out[i] = f.apply(in[i]);
            same &= out[i] == in[i];
        }
        return same ? x : TensorValue.make(x.value.shape, target, x.device(), out); // keeps x's evaluated buffer
    }

    /** {@code code} on every element, in the operand's dtype ({@code NOT} is the only op on BOOL). */
    static Tensor unary(String op, Op code, Tensor x) {
        x.value.checkUsable(op);
        if (x.dtype() == DType.BOOL && code != Op.NOT) {
            throw new IllegalArgumentException(op + ": not defined for BOOL tensors; convert with to(DType.I32) first");
        }
        return map(op, x, n -> Tracer.unary(code, n));
    }

    /** {@code code} on every element of a float tensor; integer tensors are converted to F32 first. */
    static Tensor floatUnary(String op, Op code, Tensor x) {
        x.value.checkUsable(op);
        Tensor f = x.dtype().isFloat() ? x : x.to(DType.F32);
        return map(op, f, n -> Tracer.unary(code, n));
    }

    /** The value of {@code rsqrt()}: {@code 1 / sqrt(x)}; F16 computes in F32 and rounds once. */
    static Tensor rsqrt(Tensor x) {
        if (x.dtype() == DType.F16) {
            return x.to(DType.F32).rsqrt().to(DType.F16);
        }
        Tensor s = x.sqrt();
        return map("rsqrt()", s, n -> Tracer.binary(Op.DIV, Tracer.literal(n.type(), 1), n));
    }

    /** The value of {@code sigmoid()}: {@code 1 / (1 + exp(-x))}; F16 computes in F32 and rounds once. */
    static Tensor sigmoid(Tensor x) {
        if (x.dtype() == DType.F16) {
            return x.to(DType.F32).sigmoid().to(DType.F16);
        }
        Tensor e = floatUnary("sigmoid()", Op.NEG, x).exp();
        return map("sigmoid()", e, n -> Tracer.binary(Op.DIV, Tracer.literal(n.type(), 1),
                Tracer.binary(Op.ADD, Tracer.literal(n.type(), 1), n)));
    }

    /** {@code to(DType)}: every element converted; differentiable (between float types). */
    static Tensor cast(Tensor x, DType target) {
        Objects.requireNonNull(target, "to(): dtype");
        x.value.checkUsable("to()");
        if (target == x.dtype()) {
            return x;
        }
        return Derivatives.passThrough("to()", x, () -> mapTo("to()", x, target, n -> Tracer.cast(n, target)));
    }

    /** {@code bitcast(DType)}: every element's bits reinterpreted as a type of the same width. */
    static Tensor bitcast(Tensor x, DType target) {
        Objects.requireNonNull(target, "bitcast(): dtype");
        x.value.checkUsable("bitcast()");
        DType d = x.dtype();
        checkArgument(target.bytes() == d.bytes(), "bitcast(): %s (%s bytes) and %s (%s bytes) differ in width; "
                + "use to(%s) to convert values", d, d.bytes(), target, target.bytes(), target);
        return mapTo("bitcast()", x, target, n -> Tracer.bitcast(n, target));
    }

    /** {@code not()}: bitwise, logical on BOOL; integer and BOOL tensors only. */
    static Tensor not(Tensor x) {
        checkArgument(!x.dtype().isFloat(), "not(): %s is a float type; not() takes integer or BOOL tensors",
                x.dtype());
        return unary("not()", Op.NOT, x);
    }

    static Tensor binary(String op, Op code, Tensor a, double b) {
        return binary(op, code, a, a.value.scalarLike(op, b));
    }

    static Tensor binary(String op, Op code, Tensor a, Tensor b) {
        TensorValue.checkOperands(op, a, b);
        DType t = Promotion.of(op, a.dtype(), b.dtype());
        boolean arithmetic = code.kind() == Op.Kind.BINARY;
        boolean logical = code == Op.MIN || code == Op.MAX || code == Op.AND || code == Op.OR || code == Op.XOR;
        if (t == DType.BOOL && arithmetic && !logical) {
            throw new IllegalArgumentException(op + ": arithmetic on BOOL tensors; convert with to(DType.I32) first");
        }
        long[] shape = Shapes.broadcast(op, a.value.shape, b.value.shape);
        DType result = code.kind() == Op.Kind.COMPARE ? DType.BOOL : t;
        if (isVectorResult(shape, a, b)) {
            Node v = Tracer.binary(code, vectorOperand(a, shape, t), vectorOperand(b, shape, t));
            return TensorValue.makeVector(shape, result, a.device(), v);
        }
        Node[] out = zip(code, aligned(a, shape, t), aligned(b, shape, t));
        return TensorValue.make(shape, result, a.device(), out);
    }

    static Tensor bitwise(String op, Op code, Tensor a, Tensor b) {
        Objects.requireNonNull(b, op + ": operand");
        checkArgument(!a.dtype().isFloat() && !b.dtype().isFloat(), "%s: takes integer or BOOL tensors, not %s and %s; "
                + "use bitcast(DType.U32) to work on the bits of floats", op, a.dtype(), b.dtype());
        checkArgument((a.dtype() == DType.BOOL) == (b.dtype() == DType.BOOL), "%s: cannot mix BOOL and %s; convert "
                + "the BOOL operand with to(%s)", op, a.dtype() == DType.BOOL ? b.dtype() : a.dtype(),
                a.dtype() == DType.BOOL ? b.dtype() : a.dtype());
        return binary(op, code, a, b);
    }

    static Tensor shift(String op, Op code, Tensor a, Tensor count) {
        TensorValue.checkOperands(op, a, count);
        checkArgument(a.dtype().isInteger() && count.dtype().isInteger(), "%s: takes integer tensors, not %s shifted "
                + "by %s", op, a.dtype(), count.dtype());
        long[] shape = Shapes.broadcast(op, a.value.shape, count.value.shape);
        Node[] out = zip(code, aligned(a, shape, a.dtype()), aligned(count, shape, a.dtype()));
        return TensorValue.make(shape, a.dtype(), a.device(), out);
    }

    static Tensor fma(Tensor a, Tensor b, Tensor c) {
        String op = "fma()";
        TensorValue.checkOperands(op, a, b, c);
        DType t = Promotion.of(op, Promotion.of(op, a.dtype(), b.dtype()), c.dtype());
        checkArgument(t != DType.BOOL, "fma(): BOOL tensors; convert with to(DType.F32) first");
        long[] shape = Shapes.broadcast(op, Shapes.broadcast(op, a.value.shape, b.value.shape), c.value.shape);
        if (isVectorResult(shape, a, b, c)) {
            Node v = Tracer.fma(vectorOperand(a, shape, t), vectorOperand(b, shape, t), vectorOperand(c, shape, t));
            return TensorValue.makeVector(shape, t, a.device(), v);
        }
        Node[] x = aligned(a, shape, t);
        Node[] y = aligned(b, shape, t);
        Node[] z = aligned(c, shape, t);
        Node[] out = new Node[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tracer.fma(x[i], y[i], z[i]);
        }
        return TensorValue.make(shape, t, a.device(), out);
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        String op = "where()";
        TensorValue.checkOperands(op, mask, a, b);
        checkArgument(mask.dtype() == DType.BOOL, "where(): the mask is %s; it must be BOOL (a comparison such as "
                + "x.gt(0), or to(DType.BOOL))", mask.dtype());
        DType t = Promotion.of(op, a.dtype(), b.dtype());
        long[] shape = Shapes.broadcast(op, Shapes.broadcast(op, mask.value.shape, a.value.shape), b.value.shape);
        if (isVectorResult(shape, mask, a, b)) {
            Node v = Tracer.select(vectorOperand(mask, shape, DType.BOOL), vectorOperand(a, shape, t),
                    vectorOperand(b, shape, t));
            return TensorValue.makeVector(shape, t, a.device(), v);
        }
        Node[] m = aligned(mask, shape, DType.BOOL);
        Node[] x = aligned(a, shape, t);
        Node[] y = aligned(b, shape, t);
        Node[] out = new Node[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tracer.select(m[i], x[i], y[i]);
        }
        return TensorValue.make(shape, t, a.device(), out);
    }

    /**
     * {@code a ^ b} for floats: {@code exp2(b * log2|a|)}, negative bases allowed for integral
     * exponents (sign from the exponent's parity), NaN otherwise; {@code x^0 = 1}; a base of
     * zero gives 0 for positive and infinity for negative exponents.
     */
    static Tensor pow(Tensor a, Tensor b) {
        String op = "pow()";
        TensorValue.checkOperands(op, a, b);
        DType t = Promotion.of(op, a.dtype(), b.dtype());
        if (!t.isFloat()) {
            t = DType.F32;
        }
        DType ct = t == DType.F16 ? DType.F32 : t; // compute F16 in F32 and round once
        long[] shape = Shapes.broadcast(op, a.value.shape, b.value.shape);
        Node[] x = aligned(a, shape, ct);
        Node[] y = aligned(b, shape, ct);
        Node[] out = new Node[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tracer.cast(powNode(x[i], y[i]), t);
        }
        return TensorValue.make(shape, t, a.device(), out);
    }

    private static Node powNode(Node x, Node y) {
        DType t = x.type();
        Node zero = Tracer.literal(t, 0);
        Node one = Tracer.literal(t, 1);
        Node mag = Tracer.unary(Op.EXP2, Tracer.binary(Op.MUL, y, Tracer.unary(Op.LOG2, Tracer.unary(Op.ABS, x))));
        Node integral = Tracer.binary(Op.EQ, Tracer.unary(Op.FLOOR, y), y);
        Node half = Tracer.binary(Op.MUL, y, Tracer.literal(t, 0.5));
        Node odd = Tracer.binary(Op.NE, Tracer.unary(Op.FLOOR, half), half);
        Node negative = Tracer.binary(Op.LT, x, zero);
        Node signed = Tracer.select(odd, Tracer.unary(Op.NEG, mag), mag);
        Node nan = Tracer.literal(t, Double.NaN);
        Node r = Tracer.select(negative, Tracer.select(integral, signed, nan), mag);
        return Tracer.select(Tracer.binary(Op.EQ, y, zero), one, r);
    }

    /** {@code code} applied to aligned operand nodes, pair by pair. */
    private static Node[] zip(Op code, Node[] x, Node[] y) {
        Node[] out = new Node[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tracer.binary(code, x[i], y[i]);
        }
        return out;
    }

    /**
     * Whether a result of {@code shape} is in vector form: some operand is, with the result's
     * components (not broadcast along a new leading axis).
     */
    private static boolean isVectorResult(long[] shape, Tensor... operands) {
        if (shape.length != 2) {
            return false;
        }
        for (Tensor t : operands) {
            if (t.value.isVectorForm() && t.value.shape.length == 2 && t.value.shape[0] == shape[0]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The node of {@code t} as an operand of a vector-form result of shape {@code [C, W]},
     * converted to {@code type}: its vector, its one node if it has one component (a scalar for
     * every component), else the {@code PACK} of its components as seen in the result.
     */
    private static Node vectorOperand(Tensor t, long[] shape, DType type) {
        long[] s = t.value.shape;
        Node n;
        if (t.value.isVectorForm()) {
            n = t.value.vector();
        } else if (s.length < 2 || s[0] == 1) {
            n = t.value.nodes()[0];
        } else {
            n = Tracer.pack(alignedRaw(t, shape));
        }
        return Tracer.cast(n, type);
    }

    /**
     * The nodes of {@code t} as seen in a result of shape {@code shape} (one per result
     * component, or one flat node), converted to {@code type}.
     */
    static Node[] aligned(Tensor t, long[] shape, DType type) {
        Node[] raw = alignedRaw(t, shape);
        Node[] out = new Node[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Tracer.cast(raw[i], type);
        }
        return out;
    }

    private static Node[] alignedRaw(Tensor t, long[] shape) {
        if (java.util.Arrays.equals(t.value.shape, shape)) {
            return t.value.nodes();
        }
        boolean flat = Shapes.isFlat(shape);
        if (t.numel() == 1) {
            Node only = t.value.nodes()[0];
            Node[] out = new Node[flat ? 1 : (int) Shapes.components(shape)];
            java.util.Arrays.fill(out, only);
            return out;
        }
        if (flat) {
            return new Node[] {Views.broadcastFlat(t, shape)};
        }
        // component form: pick the operand's component for each result component (a flat operand has
        // fewer lanes than components, [3, 1] broadcast to [3, 4]: its components are views)
        Node[] components = Views.componentNodes(t);
        int rank = shape.length;
        int c = (int) Shapes.components(shape);
        long[] ts = t.value.shape;
        long[] tLead = ts.length == 0 ? new long[0] : java.util.Arrays.copyOf(ts, ts.length - 1);
        long[] rLead = java.util.Arrays.copyOf(shape, rank - 1);
        long[] strides = Shapes.broadcastStrides(tLead, rLead);
        Node[] out = new Node[c];
        long[] idx = new long[rLead.length];
        for (int i = 0; i < c; i++) {
            long ct = 0;
            for (int k = 0; k < idx.length; k++) {
                ct += idx[k] * strides[k];
            }
            out[i] = components[(int) ct];
            for (int k = idx.length - 1; k >= 0; k--) {
                if (++idx[k] < rLead[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return out;
    }
}
