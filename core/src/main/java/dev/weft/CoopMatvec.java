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
 * {@link CoopVec#matvec}: one {@code MATVEC} IR node per product, its components read with
 * {@code EXTRACT}, and its reverse-mode rule (reference-semantics.md §4.4): the input's
 * cotangent is the transposed product of the output's, the weight gradient an outer-product
 * accumulation ({@code OUTER_ADD}) over all lanes into the gradient buffer of the tensor behind
 * the view, the bias gradient the same with a vector of ones. Products accumulate in F32 (F64
 * for F64 vectors) and round once per output (DESIGN.md "Numbers").
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
        TensorValue.checkOperands(op, x.component(0), w);
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
            TensorValue.checkOperands(op, x.component(0), b);
        }
        MatrixAccess m = new MatrixAccess(a.rows(), a.cols(), a.offset(), a.stride(), t);
        return record(x, w, m, b, bias);
    }

    private static DType accumulator(DType t) {
        return t == DType.F64 ? DType.F64 : DType.F32;
    }

    private static CoopVec record(CoopVec x, Tensor w, MatrixAccess m, Tensor b, MatrixView bias) {
        DType type = x.dtype();
        DType acc = accumulator(type);
        Tensor wv = w.eval(); // the tensor itself, so every view of the same value reuses one buffer
        Node[] bnodes = new Node[0];
        if (b != null) {
            Tensor bv = b.eval();
            bnodes = new Node[m.outputLength()];
            for (int r = 0; r < bnodes.length; r++) {
                bnodes[r] = Tracer.cast(Tracer.load(bv.value.backing(), TensorValue.offset(bias.offset() + r)), acc);
            }
        }
        Node[] xs = widened(x.components(), acc);
        Node vec = Tracer.matvec(wv.value.backing(), m, xs, bnodes, acc);
        long width = x.width();
        Tensor[] ys = new Tensor[m.outputLength()];
        for (int r = 0; r < ys.length; r++) {
            Node y = Tracer.cast(Tracer.extract(vec, r), type);
            ys[r] = TensorValue.make(new long[] {vec.size() == 1 ? 1 : width}, type, x.device(), new Node[] {y});
        }
        Tensor[] inputs = new Tensor[x.length() + 2];
        System.arraycopy(x.components(), 0, inputs, 0, x.length());
        inputs[x.length()] = w;
        inputs[x.length() + 1] = b;
        if (Autodiff.tracks(inputs)) {
            recordAdjoint(x, wv, m, b, bias, ys, inputs);
        }
        return new CoopVec(ys);
    }

    private static Node[] widened(Tensor[] components, DType acc) {
        Node[] out = new Node[components.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tracer.cast(components[i].value.nodes()[0], acc);
        }
        return out;
    }

    /**
     * One vertex with a slot per output component (the products need every output's cotangent
     * at once), and a projection vertex per output tensor into its slot.
     */
    private static void recordAdjoint(CoopVec x, Tensor wv, MatrixAccess m, Tensor b, MatrixView bias, Tensor[] ys,
                                      Tensor[] inputs) {
        int n = x.length();
        DType type = x.dtype();
        DType acc = accumulator(type);
        int domain = (int) Math.max(x.width(), 1);
        AdNode group = AdNode.of("matvec()", ys[0], ys.length, Autodiff.vertices(inputs), (g, out) -> {
            Node[] gs = new Node[g.length];
            boolean any = false;
            for (int r = 0; r < g.length; r++) {
                any |= g[r] != null;
                gs[r] = g[r] == null ? Tracer.literal(acc, 0) : Tracer.cast(g[r].value.nodes()[0], acc);
            }
            if (!any) {
                return;
            }
            int widest = domain;
            for (Node gr : gs) {
                widest = Math.max(widest, gr.size());
            }
            int lanes = widest;
            // input: op(A)^T g
            boolean needX = false;
            for (int j = 0; j < n; j++) {
                needX |= out.input(j) != null;
            }
            if (needX) {
                MatrixAccess mt = new MatrixAccess(m.rows(), m.cols(), m.offset(), m.stride(), !m.transpose());
                Node vec = Tracer.matvec(wv.value.backing(), mt, gs, new Node[0], acc);
                for (int j = 0; j < n; j++) {
                    Node xj = Tracer.cast(Tracer.extract(vec, j), type);
                    long[] shape = {vec.size() == 1 ? 1 : lanes};
                    out.add(j, TensorValue.make(shape, type, x.device(), new Node[] {xj}));
                }
            }
            // weights: outer products over all lanes, into the gradient buffer of the tensor behind the view
            Node[] xs = widened(x.components(), acc);
            MatrixAccess stored = new MatrixAccess(m.rows(), m.cols(), m.offset(), m.stride(), false);
            out.addInto(n, buffer -> outerAdd(buffer, stored, m.transpose() ? xs : gs, m.transpose() ? gs : xs, lanes));
            if (b != null) {
                MatrixAccess column = new MatrixAccess(gs.length, 1, bias.offset(), 1, false);
                out.addInto(n + 1, buffer -> outerAdd(buffer, column, gs, new Node[] {Tracer.literal(acc, 1)}, lanes));
            }
        });
        for (int r = 0; r < ys.length; r++) {
            int slot = r;
            ys[r].setAd(AdNode.of("matvec()", ys[r], 1, new AdNode[] {group}, (g, out) -> out.addSlot(0, slot, g[0])));
        }
    }

    private static void outerAdd(Buffer target, MatrixAccess m, Node[] u, Node[] v, int lanes) {
        Scheduler.record(new Effect.Scatter(Tracer.outerAdd(target, m, u, v, lanes)));
    }
}
