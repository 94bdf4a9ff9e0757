package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;

/**
 * Gathers and scatters along a tensor's flat (row-major) order. The source of a gather is
 * evaluated into a buffer when the gather is traced; a scatter-add writes a fresh copy of its
 * target, so tensors stay immutable and the additions are a pending side effect that fuses into
 * the kernel computing the values.
 */
final class Indexing {
    private Indexing() {}

    static Tensor gather(Tensor t, Tensor index) {
        String op = "gather()";
        TensorValue.checkOperands(op, t, index);
        checkIndex(op, index);
        t.eval();
        Buffer source = t.value.backing();
        Node bound = TensorValue.offset(t.numel());
        Node yes = Tracer.literal(DType.BOOL, 1);
        return Elementwise.mapTo(op, index, t.dtype(),
                i -> Tracer.gather(source, narrow(i, t.numel()), bound, yes));
    }

    static Tensor scatterAdd(Tensor t, Tensor index, Tensor values) {
        String op = "scatterAdd()";
        TensorValue.checkOperands(op, t, index, values);
        checkIndex(op, index);
        checkArgument(t.dtype() != DType.BOOL, "scatterAdd(): the target is BOOL; convert with to(DType.I32) first");
        long[] ishape = index.value.shape;
        long[] shape = Shapes.broadcast(op, ishape, values.value.shape);
        checkArgument(java.util.Arrays.equals(shape, ishape), "scatterAdd(): values of shape %s do not fit indices "
                + "of shape %s; they must broadcast to the index shape", Shapes.str(values.value.shape),
                Shapes.str(ishape));
        checkArgument(Promotion.of(op, t.dtype(), values.dtype()) == t.dtype() || values.dtype().isFloat() == t.dtype().isFloat(),
                "scatterAdd(): %s values into a %s tensor; convert the values with to(%s)", values.dtype(), t.dtype(),
                t.dtype());
        Buffer target = copy(t);
        scatterAddInto(target, index, values);
        return TensorValue.fromBuffer(target, t.value.shape, t.device());
    }

    /**
     * Records the additions of {@code values} at flat positions {@code index} into {@code
     * target} as pending effects (values broadcast to the index shape and are converted to the
     * buffer's dtype; positions outside the buffer are skipped).
     */
    static void scatterAddInto(Buffer target, Tensor index, Tensor values) {
        long[] ishape = index.value.shape;
        Node[] idx = index.value.nodes().clone();
        for (int i = 0; i < idx.length; i++) {
            idx[i] = narrow(idx[i], target.length());
        }
        Node[] val = Elementwise.aligned(values, ishape, target.dtype());
        Node bound = TensorValue.offset(target.length());
        Node yes = Tracer.literal(DType.BOOL, 1);
        int domain = (int) (Shapes.isFlat(ishape) ? Shapes.numel(ishape) : Shapes.lanes(ishape));
        for (int i = 0; i < idx.length; i++) {
            Node s = Tracer.scatter(Op.SCATTER_ADD, target, idx[i], val[i], yes, bound, domain);
            Scheduler.record(new Effect.Scatter(s));
        }
    }

    /** A fresh buffer holding {@code t}'s values, written before anything is added to it. */
    static Buffer copy(Tensor t) {
        Buffer target = TensorValue.newBuffer(t.device(), t.dtype(), t.numel());
        Node[] nodes = t.value.nodes();
        boolean constant = nodes.length > 0 && nodes[0].isLiteral();
        for (Node n : nodes) {
            constant &= n == nodes[0];
        }
        if (constant && t.numel() > 0) {
            long bits = nodes[0].imm();
            Scheduler.locked(() -> {
                t.device().backend().fill(target.handle(), 0, t.numel(), bits);
                return null;
            });
            return target;
        }
        long lanes = t.value.isFlatForm() ? t.numel() : Shapes.lanes(t.value.shape);
        if (t.numel() > 0) {
            for (int c = 0; c < nodes.length; c++) {
                TensorValue.store(target, nodes[c], c * lanes, (int) lanes);
            }
        }
        Scheduler.evaluate(); // the copy must land before the additions, which may run in one kernel with it
        return target;
    }

    /**
     * An index as I32 for a buffer of {@code length} elements. 64-bit indices beyond the I32 range
     * become -1 (out of range) instead of wrapping onto a valid element; U32 indices of 2^31 and
     * more wrap to negative values, which are out of range too.
     */
    static Node narrow(Node index, long length) {
        if (index.type().bytes() < 8) {
            return Tracer.cast(index, DType.I32);
        }
        Node inRange = Tracer.binary(Op.LT, index, Tracer.launchValue(index.type(), length));
        if (!index.type().isUnsigned()) {
            inRange = Tracer.binary(Op.AND, inRange, Tracer.binary(Op.GE, index, Tracer.literal(index.type(), 0)));
        }
        return Tracer.select(inRange, Tracer.cast(index, DType.I32), Tracer.literal(DType.I32, -1));
    }

    /** A buffer of {@code n} elements set to {@code value} with the backend's fill (no kernel). */
    static Buffer filled(Device device, DType dtype, long n, double value) {
        Buffer b = TensorValue.newBuffer(device, dtype, n);
        long bits = ScalarOps.fromDouble(dtype, value);
        if (n > 0) {
            Scheduler.locked(() -> {
                device.backend().fill(b.handle(), 0, n, bits);
                return null;
            });
        }
        return b;
    }

    private static void checkIndex(String op, Tensor index) {
        checkArgument(index.dtype().isInteger(), "%s: the index tensor is %s; indices must be integers (convert with "
                + "to(DType.I32))", op, index.dtype());
    }
}
