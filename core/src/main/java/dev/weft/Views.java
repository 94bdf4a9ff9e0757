package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.Arrays;

/**
 * Slices, reshapes, transposes and broadcasts as affine re-indexing: element {@code r} of the
 * result is element {@code offset + sum(r[k] * stride[k])} of the source, in the source's flat
 * order. A lazy source is re-indexed ({@link Tracer#reindex}), not materialized; only a source
 * of several components whose elements must be mixed across lanes is evaluated first and read
 * back through loads (DESIGN.md: "reshapes and transposes that mix components and lanes
 * materialize their input").
 */
final class Views {
    private Views() {}

    static Tensor slice(Tensor t, int axis, long from, long to) {
        String op = "slice()";
        t.value.checkUsable(op);
        long[] s = t.value.shape;
        int a = Shapes.axis(op, axis, s.length);
        checkArgument(0 <= from && from <= to && to <= s[a], "slice(): range %s..%s is outside axis %s of size %s; "
                + "use 0 <= from <= to <= %s", from, to, axis, s[a], s[a]);
        long[] rs = s.clone();
        rs[a] = to - from;
        long[] st = Shapes.rowMajorStrides(s);
        return view(t, rs, from * st[a], st);
    }

    static Tensor get(Tensor t, long i) {
        String op = "get()";
        t.value.checkUsable(op);
        long[] s = t.value.shape;
        checkArgument(s.length > 0, "get(): the tensor is a scalar (shape []); read it with item()");
        checkArgument(0 <= i && i < s[0], "get(): index %s is out of range for axis 0 of size %s", i, s[0]);
        long[] st = Shapes.rowMajorStrides(s);
        return view(t, Arrays.copyOfRange(s, 1, s.length), i * st[0], Arrays.copyOfRange(st, 1, st.length));
    }

    static Tensor reshape(Tensor t, long[] requested) {
        String op = "reshape()";
        t.value.checkUsable(op);
        long[] s = resolve(t, requested);
        long[] old = t.value.shape;
        if (t.value.backing() != null) {
            return TensorValue.fromBuffer(t.value.backing(), s, t.device()); // same elements, same buffer
        }
        boolean sameSplit = Shapes.components(s) == Shapes.components(old) && Shapes.lanes(s) == Shapes.lanes(old);
        if (sameSplit || (Shapes.isFlat(s) && Shapes.isFlat(old))) {
            return TensorValue.make(s, t.dtype(), t.device(), t.value.nodes());
        }
        return view(t, s, 0, Shapes.rowMajorStrides(s));
    }

    private static long[] resolve(Tensor t, long[] requested) {
        long[] s = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                checkArgument(unknown < 0, "reshape(): more than one -1 in %s", Arrays.toString(requested));
                unknown = i;
            } else {
                checkArgument(s[i] >= 0, "reshape(): negative dimension in %s", Arrays.toString(requested));
                known *= s[i];
            }
        }
        long n = t.numel();
        if (unknown >= 0) {
            checkArgument(known != 0 && n % known == 0, "reshape(): cannot infer -1 in %s for %s elements",
                    Arrays.toString(requested), n);
            s[unknown] = n / known;
        }
        checkArgument(Shapes.numel(s) == n, "reshape(): shape %s holds %s elements but the tensor %s has %s",
                Arrays.toString(s), Shapes.numel(s), Shapes.str(t.value.shape), n);
        return s;
    }

    static Tensor transpose(Tensor t) {
        t.value.checkUsable("transpose()");
        long[] s = t.value.shape;
        long[] st = Shapes.rowMajorStrides(s);
        long[] rs = new long[s.length];
        long[] rst = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            rs[i] = s[s.length - 1 - i];
            rst[i] = st[s.length - 1 - i];
        }
        return view(t, rs, 0, rst);
    }

    /**
     * The result of shape {@code rs} whose element {@code r} is source element
     * {@code offset + sum(r[k] * strides[k])}.
     */
    static Tensor view(Tensor t, long[] rs, long offset, long[] strides) {
        if (Shapes.isFlat(rs)) {
            Node element = elementAt(t, flatIndex(rs, offset, strides));
            return TensorValue.make(rs, t.dtype(), t.device(), new Node[] {element});
        }
        int c = (int) Shapes.components(rs);
        int n = (int) Shapes.lanes(rs);
        long laneStride = rs.length == 0 ? 0 : strides[rs.length - 1];
        Node lane = Tracer.lane(n);
        Node[] out = new Node[c];
        long[] idx = new long[Math.max(0, rs.length - 1)];
        for (int i = 0; i < c; i++) {
            long base = offset;
            for (int k = 0; k < idx.length; k++) {
                base += idx[k] * strides[k];
            }
            out[i] = run(t, base, laneStride, n, lane);
            for (int k = idx.length - 1; k >= 0; k--) {
                if (++idx[k] < rs[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return TensorValue.make(rs, t.dtype(), t.device(), out);
    }

    /**
     * One node per component of {@code t} (each over the lanes of its last axis), whatever its
     * form: its own nodes in component form, views of its elements when it is flat.
     */
    static Node[] componentNodes(Tensor t) {
        if (!t.value.isFlatForm()) {
            return t.value.nodes();
        }
        int c = (int) Shapes.components(t.value.shape);
        int n = (int) Shapes.lanes(t.value.shape);
        Node lane = Tracer.lane(n);
        Node[] out = new Node[c];
        for (int i = 0; i < c; i++) {
            out[i] = run(t, (long) i * n, 1, n, lane);
        }
        return out;
    }

    /** Source elements {@code base + lane * step} for lanes {@code 0..n-1}. */
    private static Node run(Tensor t, long base, long step, int n, Node lane) {
        if (t.numel() == 1) {
            return t.value.nodes()[0];
        }
        if (!t.value.isFlatForm() && t.value.backing() == null && n > 0) {
            long lanes = Shapes.lanes(t.value.shape);
            long comp = base / lanes;
            long first = base % lanes;
            long last = first + (n - 1) * step;
            if (step >= 0 && last < lanes) {
                Node node = t.value.nodes()[(int) comp];
                if (step == 1 && first == 0 && n == lanes) {
                    return node;
                }
                return Tracer.reindex(node, affine(lane, step, first));
            }
        }
        return elementAt(t, affine(lane, step, base));
    }

    /** {@code lane * step + base} as an I32 expression. */
    private static Node affine(Node lane, long step, long base) {
        Node x = step == 1 ? lane : Tracer.binary(Op.MUL, lane, Tracer.literal(DType.I32, step));
        return base == 0 ? x : Tracer.binary(Op.ADD, x, Tracer.literal(DType.I32, base));
    }

    /** The source index of each lane of a flat result: decompose the lane by {@code rs}, dot with strides. */
    private static Node flatIndex(long[] rs, long offset, long[] strides) {
        int n = (int) Shapes.numel(rs);
        Node lane = Tracer.lane(n);
        long[] inner = Shapes.rowMajorStrides(rs);
        Node index = Tracer.literal(DType.I32, offset);
        for (int k = 0; k < rs.length; k++) {
            if (strides[k] == 0 || rs[k] == 1) {
                continue;
            }
            Node coord = inner[k] == 1 ? lane : Tracer.binary(Op.DIV, lane, Tracer.literal(DType.I32, inner[k]));
            if (k > 0) {
                coord = Tracer.binary(Op.REM, coord, Tracer.literal(DType.I32, rs[k]));
            }
            Node term = strides[k] == 1 ? coord : Tracer.binary(Op.MUL, coord, Tracer.literal(DType.I32, strides[k]));
            index = Tracer.binary(Op.ADD, index, term);
        }
        return index;
    }

    /** {@code t} broadcast to a flat shape: one node over all its elements. */
    static Node broadcastFlat(Tensor t, long[] shape) {
        return elementAt(t, flatIndex(shape, 0, Shapes.broadcastStrides(t.value.shape, shape)));
    }

    /**
     * Element {@code flatIndex} of {@code t} (an I32 expression per lane, known to be in range):
     * a load if {@code t} is evaluated, a re-indexed expression if it is one node, otherwise
     * {@code t} is evaluated first.
     */
    static Node elementAt(Tensor t, Node flatIndex) {
        if (t.numel() == 1) {
            return t.value.nodes()[0];
        }
        if (t.value.backing() != null) {
            return Tracer.load(t.value.backing(), flatIndex);
        }
        if (t.value.nodes().length == 1) {
            return Tracer.reindex(t.value.nodes()[0], flatIndex);
        }
        t.eval();
        return Tracer.load(t.value.backing(), flatIndex);
    }
}
