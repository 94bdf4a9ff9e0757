package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.MatrixAccess;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.Objects;

/**
 * {@link CoopVec#matvec}: one {@code MATVEC} IR node per product, one autodiff vertex, and its
 * reverse-mode rule (reference-semantics.md §4.4): the input's cotangent is the transposed
 * product of the output's (one {@code MATVEC}), the weight gradient an outer-product
 * accumulation ({@code OUTER_ADD}) over all lanes into the gradient buffer of the tensor behind
 * the view, the bias gradient the same with a literal 1. Products accumulate in F32 (F64 for F64
 * vectors) and round once per output (DESIGN.md "Numbers").
 *
 * <p>The weight and bias tensors are scheduled, not evaluated: the product reads their buffers,
 * and the scheduler runs whatever writes them first, so tracing never launches a kernel. The
 * bias is one vector load at the view's offset (a literal: views belong to the matrix geometry,
 * which is part of the kernel's identity), the same on every lane.
 */
final class CoopMatvec {
    private CoopMatvec() {}

    static CoopVec apply(CoopVec x, MatrixView a, MatrixView bias, boolean transpose) {
        String op = "matvec()";
        Objects.requireNonNull(a, op + ": matrix");
        boolean t = transpose ^ a.transposed();
        int outLen = t ? a.cols() : a.rows();
        int inLen = t ? a.rows() : a.cols();
        checkArgument(x.length() == inLen, "matvec(): CoopVec length %s does not match the %s columns of the "
                + "MatrixView (%s x %s%s)", x.length(), inLen, a.rows(), a.cols(), t ? ", transposed" : "");
        checkArgument(a.dtype() == x.dtype(), "matvec(): a %s matrix and a %s CoopVec; convert the vector with "
                + "cast(DType.%s) or pack the weights as %s", a.dtype(), x.dtype(), a.dtype(), x.dtype());
        checkArgument(x.dtype() != DType.F64 || a.dtype() == DType.F64, "matvec(): F64 vectors need F64 weights");
        Tensor w = a.buffer();
        TensorValue.checkOperands(op, x.tensor(), w);
        checkArgument(a.offset() + a.size() <= w.numel(), "matvec(): the view ends at element %s but its buffer has "
                + "%s elements", a.offset() + a.size(), w.numel());
        Tensor b = null;
        if (bias != null) {
            checkArgument(bias.cols() == 1 && bias.rows() == outLen && !bias.transposed(), "matvec(): the bias "
                    + "view is %s x %s; it must be a vector (%s x 1) of the output length", bias.rows(), bias.cols(),
                    outLen);
            checkArgument(bias.dtype() == x.dtype(), "matvec(): a %s bias for a %s CoopVec; pack the bias as %s",
                    bias.dtype(), x.dtype(), x.dtype());
            b = bias.buffer();
            TensorValue.checkOperands(op, x.tensor(), b);
        }
        MatrixAccess m = new MatrixAccess(a.rows(), a.cols(), a.offset(), a.stride(), t);
        return record(x, w, m, b, bias);
    }

    private static DType accumulator(DType t) {
        return t == DType.F64 ? DType.F64 : DType.F32;
    }

    /** The buffer holding {@code t}'s elements once its pending writes have run (scheduled, not evaluated). */
    private static Buffer scheduled(Tensor t) {
        t.schedule();
        return t.value.backing();
    }

    private static CoopVec record(CoopVec x, Tensor w, MatrixAccess m, Tensor b, MatrixView bias) {
        DType type = x.dtype();
        DType acc = accumulator(type);
        Tensor xt = x.tensor();
        Buffer weights = scheduled(w);
        Node biasNode = b == null ? Tracer.literal(acc, 0) : Tracer.cast(biasVector(scheduled(b), bias), acc);
        long[] shape = {m.outputLength(), x.width()};
        Tensor y = Autodiff.op("matvec()", () -> {
            Node vec = Tracer.matvec(weights, m, Tracer.cast(xt.value.vector(), acc), biasNode, acc);
            return TensorValue.makeVector(shape, type, x.device(), Tracer.cast(vec, type));
        }, (g, value, out) -> backward(xt, weights, m, bias, g, out), xt, w, b);
        return new CoopVec(y);
    }

    /** The bias view's elements: one vector load (at a literal offset), or a pack of loads for a strided view. */
    private static Node biasVector(Buffer buffer, MatrixView bias) {
        if (bias.stride() == 1) {
            return Tracer.load(buffer, Tracer.literal(DType.I32, bias.offset()), bias.rows());
        }
        Node[] parts = new Node[bias.rows()];
        for (int r = 0; r < parts.length; r++) {
            parts[r] = Tracer.load(buffer, Tracer.literal(DType.I32, bias.offset() + r * bias.stride()));
        }
        return Tracer.pack(parts);
    }

    /**
     * The rule: {@code g} is the output's cotangent ({@code [outputLength, lanes]}); inputs 0, 1
     * and 2 are the vector, the weight tensor and the bias tensor.
     */
    private static void backward(Tensor xt, Buffer weights, MatrixAccess m, MatrixView bias, Tensor g,
                                 Backprop.Sink out) {
        DType type = xt.dtype();
        DType acc = accumulator(type);
        Node gs = Tracer.cast(g.value.vector(), acc);
        int lanes = (int) Math.max(xt.value.shape[1], g.value.shape[1]);
        if (out.input(0) != null) {
            // input: op(A)^T g
            MatrixAccess mt = new MatrixAccess(m.rows(), m.cols(), m.offset(), m.stride(), !m.transpose());
            Node vec = Tracer.matvec(weights, mt, gs, Tracer.literal(acc, 0), acc);
            long[] shape = {m.inputLength(), g.value.shape[1]};
            out.add(0, TensorValue.makeVector(shape, type, xt.device(), Tracer.cast(vec, type)));
        }
        // weights: outer products over all lanes, into the gradient buffer of the tensor behind the view
        Node xs = Tracer.cast(xt.value.vector(), acc);
        MatrixAccess stored = new MatrixAccess(m.rows(), m.cols(), m.offset(), m.stride(), false);
        out.addInto(1, buffer -> outerAdd(buffer, stored, m.transpose() ? xs : gs, m.transpose() ? gs : xs, lanes));
        if (bias != null) {
            MatrixAccess column = new MatrixAccess(bias.rows(), 1, bias.offset(), bias.stride(), false);
            out.addInto(2, buffer -> outerAdd(buffer, column, gs, Tracer.literal(acc, 1), lanes));
        }
    }

    private static void outerAdd(Buffer target, MatrixAccess m, Node u, Node v, int lanes) {
        Scheduler.record(new Effect.Scatter(Tracer.outerAdd(target, m, u, v, lanes)));
    }
}
