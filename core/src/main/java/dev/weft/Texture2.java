package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * A 2-D texture: an image of {@code [H, W, C]} texels sampled at continuous positions in
 * {@code [0, 1]^2}, with the reference system's {@code Texture2f} semantics
 * (reference-semantics.md §7).
 *
 * <p>{@link #eval} takes positions of shape {@code [2, N]} (row 0 is x, across the width; row 1
 * is y, down the height) and returns {@code [C, N]}. Texel centres sit at {@code (i + 0.5) / res}.
 * Bilinear filtering computes, per axis, {@code u = fma(pos, res, -0.5)}, {@code i0 = floor(u)},
 * {@code w1 = u - i0}, {@code w0 = 1 - w1}, wraps {@code i0} and {@code i0 + 1}, and accumulates
 * the four corners from 0 by {@code fma(texel, w_x * w_y, acc)} in the order 00, 10, 01, 11 (x
 * bit first). Nearest filtering reads texel {@code floor(pos * res)}, wrapped. Arithmetic runs in
 * the positions' precision (F16, F32 or F64); texels are converted to it.
 *
 * <p>The lookup is built from ordinary tensor operations, gathers from the flat texel array
 * plus element-wise arithmetic, so it fuses into the kernel that uses it and is differentiable
 * in the texel values and in the positions wherever those operations are.
 *
 * {@snippet :
 * Tensor img = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2, 1);       // [H=2, W=2, C=1]
 * Texture2 tex = new Texture2(img);                                // bilinear, clamp
 * Tensor p = Tensor.of(new float[] {0.5f, 0.25f, 0.5f, 0.75f}, 2, 2); // x = (0.5, 0.25), y = (0.5, 0.75)
 * Tensor v = tex.eval(p);                                          // [1, 2]: [[1.5, 2.0]]
 * }
 *
 * <p>Bad input (a texel tensor that is not a non-empty float {@code [H, W, C]}, positions that
 * are not float {@code [2, N]}) throws {@link IllegalArgumentException} naming the shapes and the
 * fix, before anything runs.
 */
public final class Texture2 {
    /** How texels are combined at a position. */
    public enum FilterMode {
        /** The texel containing the position. */
        NEAREST,
        /** Bilinear interpolation between the four nearest texel centres. */
        LINEAR
    }

    /** What a texel index outside {@code [0, res)} reads. */
    public enum WrapMode {
        /** The border texel: {@code clip(i, 0, res - 1)}. */
        CLAMP,
        /** Periodic: {@code i mod res} (Euclidean). */
        REPEAT,
        /** Mirrored with the edge repeated: {@code -1 -> 0}, {@code -2 -> 1}, {@code res -> res - 1}. */
        MIRROR
    }

    private final Tensor value;
    private final int height;
    private final int width;
    private final int channels;
    private final FilterMode filterMode;
    private final WrapMode wrapMode;

    /** A bilinear texture with clamped borders over {@code hwc}, a float tensor {@code [H, W, C]}. */
    public Texture2(Tensor hwc) {
        this(hwc, FilterMode.LINEAR, WrapMode.CLAMP);
    }

    /**
     * A texture over {@code hwc}, a float tensor {@code [H, W, C]} with no empty axis, kept as
     * given (lookups gather from it, so gradients reach it).
     *
     * @throws IllegalArgumentException if {@code hwc} is not 3-D, has an empty axis or is not a
     *     float tensor
     */
    public Texture2(Tensor hwc, FilterMode filterMode, WrapMode wrapMode) {
        String op = "new Texture2()";
        Objects.requireNonNull(hwc, op + ": texels");
        this.filterMode = Objects.requireNonNull(filterMode, op + ": filter mode");
        this.wrapMode = Objects.requireNonNull(wrapMode, op + ": wrap mode");
        hwc.value.checkUsable(op);
        long[] s = hwc.value.shape;
        checkArgument(s.length == 3, "%s: the texels have shape %s; a texture needs [H, W, C] (height, width, "
                + "channels), e.g. reshape(H, W, 1) for a one-channel image", op, Shapes.str(s));
        checkArgument(s[0] > 0 && s[1] > 0 && s[2] > 0, "%s: the texels have shape %s with an empty axis; a "
                + "texture needs at least one texel and one channel", op, Shapes.str(s));
        checkArgument(hwc.dtype().isFloat(), "%s: the texels are %s; a texture holds F16, F32 or F64 values "
                + "(convert with to(DType.F32))", op, hwc.dtype());
        this.value = hwc;
        this.height = (int) s[0];
        this.width = (int) s[1];
        this.channels = (int) s[2];
    }

    /**
     * The texture at {@code positions} ({@code [2, N]}, F16, F32 or F64; row 0 = x, row 1 = y)
     * as {@code [C, N]} in the positions' dtype. Evaluates the texel tensor if it is still lazy
     * (it is read through gathers); the lookup itself stays lazy.
     *
     * @throws IllegalArgumentException if the positions are not a float {@code [2, N]} tensor or
     *     live on another device than the texels
     */
    public Tensor eval(Tensor positions) {
        String op = "Texture2.eval()";
        Objects.requireNonNull(positions, op + ": positions");
        positions.value.checkUsable(op);
        long[] s = positions.value.shape;
        checkArgument(s.length == 2 && s[0] == 2, "%s: positions have shape %s; they must be [2, N] (row 0 = x "
                + "across the width, row 1 = y down the height), e.g. Tensor.stack(x, y) or p.reshape(2, -1)",
                op, Shapes.str(s));
        checkArgument(positions.dtype().isFloat(), "%s: positions are %s; they must be F16, F32 or F64 in [0, 1] "
                + "(convert with to(DType.F32))", op, positions.dtype());
        TensorValue.checkSameDevice(op, value, positions);
        if (value.value.backing() == null) {
            value.eval(); // once, so that every lookup reads the same buffer instead of recomputing it
        }
        Tensor texels = value.reshape(-1);
        Tensor x = positions.get(0);
        Tensor y = positions.get(1);
        Tensor[] out = filterMode == FilterMode.LINEAR ? bilinear(texels, x, y) : nearest(texels, x, y);
        return Tensor.stack(out);
    }

    /** One lookup per channel: the four corners accumulated by fma in the order 00, 10, 01, 11. */
    private Tensor[] bilinear(Tensor texels, Tensor x, Tensor y) {
        Axis ax = axis(x, width);
        Axis ay = axis(y, height);
        Tensor[] corner = {texel(ax.i0, ay.i0), texel(ax.i1, ay.i0), texel(ax.i0, ay.i1), texel(ax.i1, ay.i1)};
        Tensor[] weight = {ax.w0.mul(ay.w0), ax.w1.mul(ay.w0), ax.w0.mul(ay.w1), ax.w1.mul(ay.w1)};
        Tensor zero = x.value.scalarLike("Texture2.eval()", 0);
        Tensor[] out = new Tensor[channels];
        for (int ch = 0; ch < channels; ch++) {
            Tensor acc = zero;
            for (int c = 0; c < 4; c++) {
                acc = fetch(texels, corner[c], ch, x.dtype()).fma(weight[c], acc);
            }
            out[ch] = acc;
        }
        return out;
    }

    private Tensor[] nearest(Tensor texels, Tensor x, Tensor y) {
        Tensor ix = wrap(x.mul(width).floor().to(DType.I32), width);
        Tensor iy = wrap(y.mul(height).floor().to(DType.I32), height);
        Tensor index = texel(ix, iy);
        Tensor[] out = new Tensor[channels];
        for (int ch = 0; ch < channels; ch++) {
            out[ch] = fetch(texels, index, ch, x.dtype());
        }
        return out;
    }

    /** The wrapped texel indices and the weights along one axis of resolution {@code res}. */
    private record Axis(Tensor i0, Tensor i1, Tensor w0, Tensor w1) {}

    private Axis axis(Tensor pos, int res) {
        String op = "Texture2.eval()";
        Tensor u = pos.fma(pos.value.scalarLike(op, res), pos.value.scalarLike(op, -0.5));
        Tensor lower = u.floor();
        Tensor w1 = u.sub(lower);
        Tensor w0 = pos.value.scalarLike(op, 1).sub(w1);
        Tensor i0 = lower.to(DType.I32);
        return new Axis(wrap(i0, res), wrap(i0.add(1), res), w0, w1);
    }

    /** Element offset of channel 0 of texel {@code (ix, iy)}: {@code (iy * W + ix) * C}. */
    private Tensor texel(Tensor ix, Tensor iy) {
        return iy.mul(width).add(ix).mul(channels);
    }

    private static Tensor fetch(Tensor texels, Tensor offset, int ch, DType type) {
        return texels.gather(ch == 0 ? offset : offset.add(ch)).to(type);
    }

    /** An I32 texel index mapped into {@code [0, res)} by the wrap mode. */
    private Tensor wrap(Tensor i, int res) {
        return switch (wrapMode) {
            case CLAMP -> i.max(0).min(res - 1);
            case REPEAT -> euclideanMod(i, res);
            case MIRROR -> {
                // period index q by truncating division of (i < 0 ? i + 1 : i); even periods run
                // forwards, odd ones backwards, and negative indices the other way round
                Tensor m = euclideanMod(i, res);
                Tensor negative = i.lt(0);
                Tensor q = Tensor.where(negative, i.add(1), i).div(res);
                Tensor forwards = q.rem(2).eq(0).ne(negative);
                yield Tensor.where(forwards, m, m.neg().add(res - 1));
            }
        };
    }

    private static Tensor euclideanMod(Tensor i, int res) {
        Tensor r = i.rem(res);
        return Tensor.where(r.lt(0), r.add(res), r);
    }

    /** Texels along x (the second axis of the texel tensor). */
    public int width() {
        return width;
    }

    /** Texels along y (the first axis of the texel tensor). */
    public int height() {
        return height;
    }

    /** Values per texel (the last axis of the texel tensor). */
    public int channels() {
        return channels;
    }

    /** How texels are combined ({@link FilterMode#LINEAR} unless given). */
    public FilterMode filterMode() {
        return filterMode;
    }

    /** What indices beyond the edges read ({@link WrapMode#CLAMP} unless given). */
    public WrapMode wrapMode() {
        return wrapMode;
    }

    /** The texel tensor {@code [H, W, C]}, as given to the constructor. */
    public Tensor value() {
        return value;
    }

    @Override
    public String toString() {
        return "Texture2[" + height + "x" + width + "x" + channels + ", " + filterMode + ", " + wrapMode + "]";
    }
}
