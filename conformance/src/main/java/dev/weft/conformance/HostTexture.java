package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Texture2.FilterMode;
import dev.weft.Texture2.WrapMode;

/**
 * The host's model of a texture lookup, written from reference-semantics.md §7 with
 * {@link HostArithmetic} (Java's IEEE arithmetic) and nothing from the core. §7 fixes every
 * rounding of a bilinear lookup: per axis {@code u = fma(pos, res, -0.5)}, {@code i0 = floor(u)},
 * {@code w1 = u - i0}, {@code w0 = 1 - w1}; corner weights {@code w_x * w_y}; the channel value
 * accumulated from 0 by {@code fma(texel, weight, acc)} over the corners 00, 10, 01, 11 (x bit
 * first), all in the positions' dtype, so the model gives the exact bits in F16, F32 and F64.
 * In F64 it is also the "double" model the gradient cases differentiate: for F32 (or F16)
 * positions and texels {@code u}, {@code w1} and {@code w0} are exact in double and only the
 * weight products and the sum round, at 2^-53.
 *
 * <p>Nearest filtering reads texel {@code floor(pos * res)}; indices are wrapped per axis by
 * {@link #wrap}. Memory index of channel {@code ch} of texel {@code (x, y)}:
 * {@code (y * W + x) * C + ch}.
 *
 * @param height  texels along y (the first axis of the {@code [H, W, C]} texel tensor)
 * @param width   texels along x
 * @param channels values per texel
 */
record HostTexture(int height, int width, int channels, FilterMode filter, WrapMode wrap) {

    /**
     * The texels one lookup reads (offsets of their channel 0) with their weights (bits of the
     * positions' dtype) and the derivatives of the weights by x and by y (in double, from those
     * weights: {@code d(w_x * w_y)/dx = ±res_x * w_y}, the sign of the corner's x bit; 0 for
     * nearest filtering, whose {@code floor} is flat).
     */
    record Lookup(int[] offsets, long[] weights, double[] dx, double[] dy) {}

    /** §7's wrap rule: an index along an axis of {@code res} texels, mapped into {@code [0, res)}. */
    static int wrap(WrapMode mode, long i, int res) {
        return switch (mode) {
            case CLAMP -> (int) Math.clamp(i, 0, res - 1);
            case REPEAT -> (int) Math.floorMod(i, (long) res);
            case MIRROR -> {
                // period index by truncating division of (i + 1 if i < 0 else i); m when (q even) XOR (i < 0)
                int m = (int) Math.floorMod(i, (long) res);
                boolean negative = i < 0;
                long q = (negative ? i + 1 : i) / res;
                yield ((q % 2 == 0) ^ negative) ? m : res - 1 - m;
            }
        };
    }

    /** The lookup at position {@code (x, y)}, given as bits of dtype {@code t}, in {@code t}'s arithmetic. */
    Lookup lookup(DType t, long x, long y) {
        if (filter == FilterMode.NEAREST) {
            int ix = wrap(wrap, index(t, floor(t, mul(t, x, width))), width);
            int iy = wrap(wrap, index(t, floor(t, mul(t, y, height))), height);
            return new Lookup(new int[] {offset(ix, iy)}, new long[] {constant(t, 1)}, new double[1], new double[1]);
        }
        long[] ax = axis(t, x, width);
        long[] ay = axis(t, y, height);
        int[] offsets = new int[4];
        long[] weights = new long[4];
        double[] dx = new double[4];
        double[] dy = new double[4];
        for (int c = 0; c < 4; c++) {
            int bx = c & 1;
            int by = c >> 1;
            long wx = ax[1 + bx];
            long wy = ay[1 + by];
            offsets[c] = offset(wrap(wrap, ax[0] + bx, width), wrap(wrap, ay[0] + by, height));
            weights[c] = HostArithmetic.binary(ElementOp.MUL, t, wx, wy);
            dx[c] = (bx == 1 ? width : -width) * Values.toDouble(t, wy);
            dy[c] = (by == 1 ? height : -height) * Values.toDouble(t, wx);
        }
        return new Lookup(offsets, weights, dx, dy);
    }

    /**
     * Channel {@code ch} at {@code (x, y)} (bits of {@code t}) over {@code texels}
     * ({@code [H, W, C]}), as bits of {@code t}.
     */
    long eval(Values texels, DType t, long x, long y, int ch) {
        Lookup l = lookup(t, x, y);
        long acc = constant(t, 0);
        for (int c = 0; c < l.offsets().length; c++) {
            long texel = HostArithmetic.cast(texels.dtype(), t, texels.bits()[l.offsets()[c] + ch]);
            acc = l.offsets().length == 1 ? texel : HostArithmetic.fma(t, texel, l.weights()[c], acc);
        }
        return acc;
    }

    /** Every channel at every position of {@code positions} ({@code [2, N]}: row 0 x, row 1 y): {@code [C, N]}. */
    Values eval(Values texels, Values positions) {
        DType t = positions.dtype();
        int n = (int) positions.shape()[1];
        long[] out = new long[channels * n];
        for (int ch = 0; ch < channels; ch++) {
            for (int i = 0; i < n; i++) {
                out[ch * n + i] = eval(texels, t, positions.bits()[i], positions.bits()[n + i], ch);
            }
        }
        return new Values(t, new long[] {channels, n}, out);
    }

    /** {@code [i0, w0, w1]} along one axis: {@code i0} as an integer, the weights as bits of {@code t}. */
    private static long[] axis(DType t, long pos, int res) {
        long u = HostArithmetic.fma(t, pos, constant(t, res), constant(t, -0.5));
        long lower = floor(t, u);
        long w1 = HostArithmetic.binary(ElementOp.SUB, t, u, lower);
        long w0 = HostArithmetic.binary(ElementOp.SUB, t, constant(t, 1), w1);
        return new long[] {index(t, lower), w0, w1};
    }

    private int offset(int ix, int iy) {
        return (iy * width + ix) * channels;
    }

    private static long floor(DType t, long v) {
        return HostArithmetic.unary(ElementOp.FLOOR, t, v);
    }

    private static long mul(DType t, long a, double b) {
        return HostArithmetic.binary(ElementOp.MUL, t, a, constant(t, b));
    }

    /** An integral float as an index (positions stay far inside the int range). */
    private static long index(DType t, long v) {
        return (long) Values.toDouble(t, v);
    }

    /** A small constant (exact in every float dtype) as bits of {@code t}. */
    static long constant(DType t, double v) {
        return HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(v));
    }
}
