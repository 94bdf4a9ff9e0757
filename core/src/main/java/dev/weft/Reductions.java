package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums, means and maxima. Reducing over leading axes adds component nodes (nothing runs);
 * reducing over lanes is a scatter-add into a small buffer, a side effect fused into the kernel
 * that computes its input (DESIGN.md "Tensors, lanes and components"). F16 reduces in F32 and
 * rounds once; BOOL sums count in I32.
 */
final class Reductions {
    private Reductions() {}

    static DType accumulator(DType t) {
        return switch (t) {
            case F16 -> DType.F32;
            case BOOL -> DType.I32;
            default -> t;
        };
    }

    static Tensor sum(Tensor t) {
        t.value.checkUsable("sum()");
        DType result = t.dtype() == DType.BOOL ? DType.I32 : t.dtype();
        return Elementwise.mapTo("sum()", sumAccumulated(t), result, n -> Tracer.cast(n, result));
    }

    /** The total in the accumulator type, shape {@code []}. */
    private static Tensor sumAccumulated(Tensor t) {
        DType acc = accumulator(t.dtype());
        if (t.numel() == 0) {
            return TensorValue.make(new long[0], acc, t.device(), new Node[] {Tracer.literal(acc, 0)});
        }
        Node total = acrossComponents(t, Op.ADD, acc);
        int lanes = lanesOf(t);
        if (lanes == 1) {
            return TensorValue.make(new long[0], acc, t.device(), new Node[] {total});
        }
        return laneReduce(t.device(), Op.SCATTER_ADD, acc, 0, new Node[] {total}, lanes, new long[0]);
    }

    static Tensor sum(Tensor t, int axis) {
        t.value.checkUsable("sum()");
        DType result = t.dtype() == DType.BOOL ? DType.I32 : t.dtype();
        return Elementwise.mapTo("sum()", sumAccumulated(t, axis), result, n -> Tracer.cast(n, result));
    }

    private static Tensor sumAccumulated(Tensor t, int axis) {
        long[] s = t.value.shape;
        int a = Shapes.axis("sum()", axis, s.length);
        long[] rs = Shapes.without(s, a);
        DType acc = accumulator(t.dtype());
        if (s[a] == 0 || Shapes.numel(rs) == 0) {
            return TensorValue.make(rs, acc, t.device(), zeros(rs, acc));
        }
        if (!t.value.isFlatForm() && a < s.length - 1) {
            return sumComponents(t, a, rs, acc);
        }
        if (!t.value.isFlatForm()) {
            // over the lane axis: one accumulator per component
            int lanes = (int) Shapes.lanes(s);
            return laneReduce(t.device(), Op.SCATTER_ADD, acc, 0, cast(t.value.nodes(), acc), lanes, rs);
        }
        return flatReduce(t, a, rs, acc);
    }

    /** Sum over a leading axis: add the components that differ only in that axis. */
    private static Tensor sumComponents(Tensor t, int axis, long[] rs, DType acc) {
        long[] s = t.value.shape;
        long[] lead = java.util.Arrays.copyOf(s, s.length - 1);
        long[] leadStrides = Shapes.rowMajorStrides(lead);
        int rc = (int) Shapes.components(rs);
        long[] rLead = java.util.Arrays.copyOf(rs, rs.length - 1);
        Node[] out = new Node[rc];
        long[] idx = new long[rLead.length];
        for (int i = 0; i < rc; i++) {
            long base = 0;
            for (int k = 0, src = 0; src < lead.length; src++) {
                if (src == axis) {
                    continue;
                }
                base += idx[k++] * leadStrides[src];
            }
            List<Node> terms = new ArrayList<>();
            for (long j = 0; j < s[axis]; j++) {
                terms.add(Tracer.cast(t.value.nodes()[(int) (base + j * leadStrides[axis])], acc));
            }
            out[i] = combine(Op.ADD, terms.toArray(Node[]::new));
            for (int k = idx.length - 1; k >= 0; k--) {
                if (++idx[k] < rLead[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return TensorValue.make(rs, acc, t.device(), out);
    }

    /** Flat source: each element adds into the result position it maps to, over all elements. */
    private static Tensor flatReduce(Tensor t, int axis, long[] rs, DType acc) {
        long[] s = t.value.shape;
        int n = (int) t.numel();
        Node lane = Tracer.lane(n);
        long[] inner = Shapes.rowMajorStrides(s);
        long[] rStrides = Shapes.rowMajorStrides(rs);
        Node index = Tracer.literal(DType.I32, 0);
        for (int k = 0, r = 0; k < s.length; k++) {
            if (k == axis) {
                continue;
            }
            Node coord = inner[k] == 1 ? lane : Tracer.binary(Op.DIV, lane, Tracer.literal(DType.I32, inner[k]));
            if (k > 0) {
                coord = Tracer.binary(Op.REM, coord, Tracer.literal(DType.I32, s[k]));
            }
            index = Tracer.binary(Op.ADD, index, Tracer.binary(Op.MUL, coord, Tracer.literal(DType.I32, rStrides[r++])));
        }
        Buffer target = Indexing.filled(t.device(), acc, Shapes.numel(rs), 0);
        Node s1 = Tracer.scatter(Op.SCATTER_ADD, target, index, Tracer.cast(t.value.nodes()[0], acc),
                Tracer.literal(DType.BOOL, 1), TensorValue.offset(target.length()), n);
        Scheduler.record(new Effect.Scatter(s1));
        return TensorValue.fromBuffer(target, rs, t.device());
    }

    static Tensor mean(Tensor t) {
        t.value.checkUsable("mean()");
        checkArgument(t.numel() > 0, "mean(): the tensor is empty (shape %s); the mean of nothing is undefined",
                Shapes.str(t.value.shape));
        return divide(sumAccumulated(t), t.numel(), t.dtype());
    }

    static Tensor mean(Tensor t, int axis) {
        t.value.checkUsable("mean()");
        int a = Shapes.axis("mean()", axis, t.rank());
        checkArgument(t.value.shape[a] > 0, "mean(): axis %s is empty; the mean of nothing is undefined", axis);
        return divide(sumAccumulated(t, a), t.value.shape[a], t.dtype());
    }

    /** The mean from an accumulated sum: divided in the accumulator (F32 for F16), rounded once. */
    private static Tensor divide(Tensor sum, long count, DType original) {
        DType result = original.isFloat() ? original : DType.F32;
        DType compute = accumulator(result);
        return Elementwise.mapTo("mean()", sum, result, n -> Tracer.cast(
                Tracer.binary(Op.DIV, Tracer.cast(n, compute), Tracer.literal(compute, count)), result));
    }

    static Tensor max(Tensor t) {
        t.value.checkUsable("max()");
        checkArgument(t.numel() > 0, "max(): the tensor is empty (shape %s); the maximum of nothing is undefined",
                Shapes.str(t.value.shape));
        DType acc = accumulator(t.dtype());
        Node total = acrossComponents(t, Op.MAX, acc);
        int lanes = lanesOf(t);
        Tensor r;
        if (lanes == 1) {
            r = TensorValue.make(new long[0], acc, t.device(), new Node[] {total});
        } else {
            double lowest = acc.isFloat() ? Double.NEGATIVE_INFINITY : acc == DType.I32 ? Integer.MIN_VALUE
                    : acc == DType.I64 ? Long.MIN_VALUE : 0;
            r = laneReduce(t.device(), Op.SCATTER_MAX, acc, lowest, new Node[] {total}, lanes, new long[0]);
        }
        DType result = t.dtype() == DType.BOOL ? DType.I32 : t.dtype();
        return Elementwise.mapTo("max()", r, result, n -> Tracer.cast(n, result));
    }

    /** The sum over {@code lanes} lanes of each of {@code values} (of type {@code acc}), as a tensor of {@code shape}. */
    static Tensor laneSums(Device device, DType acc, Node[] values, int lanes, long[] shape) {
        return laneReduce(device, Op.SCATTER_ADD, acc, 0, values, lanes, shape);
    }

    /**
     * Reduces each value over its lanes into its own slot of a fresh buffer (filled with the
     * identity {@code init}); all of them in the kernel of their domain.
     */
    private static Tensor laneReduce(Device device, Op op, DType acc, double init, Node[] values, int lanes,
                                     long[] resultShape) {
        Buffer target = Indexing.filled(device, acc, values.length, init);
        Node bound = TensorValue.offset(values.length);
        Node yes = Tracer.literal(DType.BOOL, 1);
        for (int i = 0; i < values.length; i++) {
            Node s = Tracer.scatter(op, target, Tracer.literal(DType.I32, i), values[i], yes, bound, lanes);
            Scheduler.record(new Effect.Scatter(s));
        }
        return TensorValue.fromBuffer(target, resultShape, device);
    }

    /** The components of {@code t} combined with {@code op} into one node (its single node if flat). */
    private static Node acrossComponents(Tensor t, Op op, DType acc) {
        return t.value.isFlatForm() ? Tracer.cast(t.value.nodes()[0], acc) : combine(op, cast(t.value.nodes(), acc));
    }

    /** The lanes that {@link #acrossComponents} leaves to reduce. */
    private static int lanesOf(Tensor t) {
        return (int) (t.value.isFlatForm() ? t.numel() : Shapes.lanes(t.value.shape));
    }

    /** Pairwise combination (a balanced tree keeps float error growth logarithmic). */
    private static Node combine(Op op, Node[] terms) {
        if (terms.length == 1) {
            return terms[0];
        }
        int half = terms.length / 2;
        return Tracer.binary(op, combine(op, java.util.Arrays.copyOfRange(terms, 0, half)),
                combine(op, java.util.Arrays.copyOfRange(terms, half, terms.length)));
    }

    private static Node[] cast(Node[] nodes, DType t) {
        Node[] out = new Node[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            out[i] = Tracer.cast(nodes[i], t);
        }
        return out;
    }

    private static Node[] zeros(long[] shape, DType t) {
        Node[] out = new Node[Shapes.isFlat(shape) ? 1 : (int) Shapes.components(shape)];
        java.util.Arrays.fill(out, Tracer.literal(t, 0));
        return out;
    }
}
