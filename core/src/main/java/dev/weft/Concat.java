package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.memory.Buffer;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code concat} and {@code stack}: joining along a leading axis of a tensor in component form
 * lists the inputs' component nodes (nothing runs); otherwise each input is stored into its
 * region of a new buffer, as pending stores that fuse with the kernels computing the inputs.
 */
final class Concat {
    private Concat() {}

    static Tensor of(int axis, Tensor... tensors) {
        String op = "concat()";
        checkArgument(tensors.length > 0, "concat(): needs at least one tensor");
        TensorValue.checkOperands(op, tensors);
        long[] first = tensors[0].value.shape;
        checkArgument(first.length > 0, "concat(): scalars (shape []) have no axis to join; use stack()");
        int a = Shapes.axis(op, axis, first.length);
        DType t = tensors[0].dtype();
        long total = 0;
        for (int i = 0; i < tensors.length; i++) {
            long[] s = tensors[i].value.shape;
            checkArgument(s.length == first.length, "concat(): tensor %s has rank %s but tensor 0 has rank %s", i,
                    s.length, first.length);
            for (int k = 0; k < s.length; k++) {
                checkArgument(k == a || s[k] == first[k], "concat(): tensor %s has shape %s, tensor 0 has %s; they "
                        + "may differ only along axis %s", i, Shapes.str(s), Shapes.str(first), axis);
            }
            t = Promotion.of(op, t, tensors[i].dtype());
            total += s[a];
        }
        long[] rs = first.clone();
        rs[a] = total;
        rs = Shapes.checked(op, rs);
        Device device = tensors[0].device();
        if (!Shapes.isFlat(rs) && a < rs.length - 1) {
            return TensorValue.make(rs, t, device, joinComponents(a, rs, t, tensors));
        }
        return joinInBuffer(a, rs, t, device, tensors);
    }

    private static Node[] joinComponents(int axis, long[] rs, DType t, Tensor[] tensors) {
        long outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= rs[k];
        }
        List<Node> out = new ArrayList<>();
        for (long o = 0; o < outer; o++) {
            for (Tensor x : tensors) {
                Node[] nodes = Elementwise.aligned(x, x.value.shape, t);
                int block = nodes.length / (int) outer;
                for (int j = 0; j < block; j++) {
                    out.add(nodes[(int) (o * block + j)]);
                }
            }
        }
        return out.toArray(Node[]::new);
    }

    private static Tensor joinInBuffer(int axis, long[] rs, DType t, Device device, Tensor[] tensors) {
        Buffer target = TensorValue.newBuffer(device, t, Shapes.numel(rs));
        long[] rStrides = Shapes.rowMajorStrides(rs);
        long start = 0;
        for (Tensor x : tensors) {
            long[] s = x.value.shape;
            if (x.numel() > 0) {
                long shift = start * rStrides[axis];
                Node[] nodes = Elementwise.aligned(x, s, t);
                if (x.value.isFlatForm()) {
                    TensorValue.storeAt(target, nodes[0], targetIndex(s, rStrides, shift), (int) x.numel());
                } else {
                    int lanes = (int) Shapes.lanes(s);
                    long[] lead = Arrays.copyOf(s, s.length - 1);
                    long[] idx = new long[lead.length];
                    for (Node n : nodes) {
                        long base = shift;
                        for (int k = 0; k < idx.length; k++) {
                            base += idx[k] * rStrides[k];
                        }
                        TensorValue.store(target, n, base, lanes);
                        for (int k = idx.length - 1; k >= 0; k--) {
                            if (++idx[k] < lead[k]) {
                                break;
                            }
                            idx[k] = 0;
                        }
                    }
                }
            }
            start += s[axis];
        }
        return TensorValue.fromBuffer(target, rs, device);
    }

    /** For a flat input: the target position of each of its elements. */
    private static Node targetIndex(long[] s, long[] rStrides, long shift) {
        int n = (int) Shapes.numel(s);
        Node lane = Tracer.lane(n);
        long[] inner = Shapes.rowMajorStrides(s);
        Node index = Tracer.literal(DType.I32, shift);
        for (int k = 0; k < s.length; k++) {
            Node coord = inner[k] == 1 ? lane : Tracer.binary(Op.DIV, lane, Tracer.literal(DType.I32, inner[k]));
            if (k > 0) {
                coord = Tracer.binary(Op.REM, coord, Tracer.literal(DType.I32, s[k]));
            }
            index = Tracer.binary(Op.ADD, index, Tracer.binary(Op.MUL, coord, Tracer.literal(DType.I32, rStrides[k])));
        }
        return index;
    }
}
