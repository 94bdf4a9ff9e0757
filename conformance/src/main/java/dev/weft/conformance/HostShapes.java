package dev.weft.conformance;

import java.util.Arrays;

/**
 * The host's model of shapes: NumPy broadcasting, slices, transposes and element-wise
 * application over {@link Values}, by plain row-major index arithmetic (independent of the
 * core's component/flat machinery).
 */
public final class HostShapes {
    private HostShapes() {}

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The NumPy broadcast of two shapes. */
    public static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i - rank + a.length < 0 ? 1 : a[i - rank + a.length];
            long y = i - rank + b.length < 0 ? 1 : b[i - rank + b.length];
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** {@code v} repeated to {@code shape} (which it must broadcast to). */
    public static Values expand(Values v, long[] shape) {
        long[] s = v.shape();
        int n = (int) numel(shape);
        long[] out = new long[n];
        long[] idx = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long src = 0;
            for (int k = 0; k < s.length; k++) {
                int rk = k + shape.length - s.length;
                src = src * s[k] + (s[k] == 1 ? 0 : idx[rk]);
            }
            out[i] = v.bits()[(int) src];
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new Values(v.dtype(), shape, out);
    }

    /** {@code op} element by element in dtype {@code t} over operands broadcast together (WHERE: operand 0 is the mask). */
    public static Values map(ElementOp op, dev.weft.DType t, Values... in) {
        long[] shape = in[0].shape();
        for (Values v : in) {
            shape = broadcast(shape, v.shape());
        }
        Values[] x = new Values[in.length];
        for (int k = 0; k < in.length; k++) {
            x[k] = expand(in[k], shape);
        }
        int n = (int) numel(shape);
        long[] out = new long[n];
        long[] args = new long[in.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < in.length; k++) {
                args[k] = x[k].bits()[i];
            }
            out[i] = HostArithmetic.apply(op, t, args);
        }
        return new Values(op.resultType(t), shape, out);
    }

    /** Elements {@code from..to-1} along {@code axis}. */
    public static Values slice(Values v, int axis, long from, long to) {
        long[] s = v.shape();
        long[] rs = s.clone();
        rs[axis] = to - from;
        long outer = numel(Arrays.copyOf(s, axis));
        long inner = numel(Arrays.copyOfRange(s, axis + 1, s.length));
        long[] out = new long[(int) numel(rs)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (long a = from; a < to; a++) {
                for (long i = 0; i < inner; i++) {
                    out[p++] = v.bits()[(int) ((o * s[axis] + a) * inner + i)];
                }
            }
        }
        return new Values(v.dtype(), rs, out);
    }

    /** Axes reversed. */
    public static Values transpose(Values v) {
        long[] s = v.shape();
        int r = s.length;
        long[] rs = new long[r];
        for (int i = 0; i < r; i++) {
            rs[i] = s[r - 1 - i];
        }
        long[] st = new long[r];
        long stride = 1;
        for (int i = r - 1; i >= 0; i--) {
            st[i] = stride;
            stride *= s[i];
        }
        int n = v.size();
        long[] out = new long[n];
        long[] idx = new long[r];
        for (int i = 0; i < n; i++) {
            long src = 0;
            for (int k = 0; k < r; k++) {
                src += idx[k] * st[r - 1 - k];
            }
            out[i] = v.bits()[(int) src];
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < rs[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new Values(v.dtype(), rs, out);
    }

    /** The same elements in another shape. */
    public static Values reshape(Values v, long... shape) {
        return new Values(v.dtype(), shape, v.bits());
    }

    /** Values joined along {@code axis}. */
    public static Values concat(int axis, Values... parts) {
        long[] rs = parts[0].shape().clone();
        rs[axis] = 0;
        for (Values p : parts) {
            rs[axis] += p.shape()[axis];
        }
        long outer = numel(Arrays.copyOf(rs, axis));
        long[] out = new long[(int) numel(rs)];
        int q = 0;
        for (long o = 0; o < outer; o++) {
            for (Values p : parts) {
                int block = (int) (numel(p.shape()) / Math.max(1, outer));
                for (int i = 0; i < block; i++) {
                    out[q++] = p.bits()[(int) (o * block + i)];
                }
            }
        }
        return new Values(parts[0].dtype(), rs, out);
    }
}
