package dev.weft;

import java.util.Arrays;

/**
 * Shape arithmetic: element counts, the component/lane split (DESIGN.md "Tensors, lanes and
 * components"), row-major strides and NumPy broadcasting.
 */
final class Shapes {
    /** Tensors with more components than this are traced flat (one node over all elements). */
    static final long MAX_COMPONENTS = 1024;

    private Shapes() {}

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Number of components: the product of all axes but the last (1 for rank 0 and 1). */
    static long components(long[] shape) {
        long c = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            c *= shape[i];
        }
        return c;
    }

    /** Lanes per component: the last axis (1 for rank 0). */
    static long lanes(long[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /**
     * Whether a tensor of this shape is traced flat, as one node over all its elements, rather
     * than as one node per component over the lanes of its last axis. Component form costs a node
     * per component in every operation and pays where the lanes are many and the components few
     * (positions {@code [2, N]}, colors {@code [3, N]}): so a tensor is flat when it has more than
     * {@link #MAX_COMPONENTS} components or fewer lanes than components ({@code [512, 1]}, {@code
     * [64, 3]}: data written {@code [batch, features]}). One component is one node either way.
     */
    static boolean isFlat(long[] shape) {
        long c = components(shape);
        return c > MAX_COMPONENTS || c > 1 && lanes(shape) < c;
    }

    /** Validates a shape given by a user; returns a copy. */
    static long[] checked(String op, long[] shape) {
        if (shape == null) {
            throw new NullPointerException(op + ": the shape is null; pass its dimensions, as in (2, 3), or none for "
                    + "a scalar");
        }
        long[] s = shape.clone();
        for (long d : s) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(s));
            }
        }
        long n;
        try {
            n = numel(s);
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(s) + " has " + n
                    + " elements; Weft tensors hold at most 2^31-1 elements");
        }
        return s;
    }

    static long[] rowMajorStrides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /**
     * The NumPy broadcast of two shapes.
     *
     * @throws IllegalArgumentException naming the operation, the shapes and the clashing axis
     */
    static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = dim(a, i - rank + a.length);
            long y = dim(b, i - rank + b.length);
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(String.format(
                        "%s: shapes %s and %s do not broadcast: axis %d has sizes %d and %d; make one of them 1 "
                                + "(reshape) or make them equal", op, Arrays.toString(a), Arrays.toString(b),
                        i - rank, x, y));
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    private static long dim(long[] shape, int i) {
        return i < 0 ? 1 : shape[i];
    }

    /**
     * Strides with which an operand of shape {@code operand}, broadcast to {@code target}, is
     * read in its own row-major order: 0 on broadcast axes.
     */
    static long[] broadcastStrides(long[] operand, long[] target) {
        long[] own = rowMajorStrides(operand);
        long[] st = new long[target.length];
        int shift = target.length - operand.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - shift;
            st[i] = j < 0 || operand[j] == 1 ? 0 : own[j];
        }
        return st;
    }

    static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (use 0.." + (rank - 1) + " or a negative axis counted from the end)");
        }
        return a;
    }

    static long[] without(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
