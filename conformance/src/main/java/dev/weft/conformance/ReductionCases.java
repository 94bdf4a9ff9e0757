package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reductions of size 0, 1, odd and 2^20: {@code sum()}, {@code mean()}, {@code max()},
 * {@code sum(axis)}, {@code mean(axis)} and {@code squaredNorm(axis)} in every form (over lanes,
 * over components, flat). Float sums are {@link ResultClass#ORDERED_SUM} against a compensated
 * double sum ({@link SumBounds}); integer sums (wrapping) and maxima are bit-exact; BOOL sums
 * count in I32. The mean or maximum of nothing throws.
 */
public final class ReductionCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "reduction";
    static final long[] SIZES = {0, 1, 7, 1031, 1 << 20};

    /** The reductions, with the axis they run over (-1: all elements). */
    enum Kind { SUM, MEAN, MAX, SQUARED_NORM }

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (long n : SIZES) {
            long[] flat = {n};
            for (DType t : List.of(DType.F32, DType.F64, DType.F16, DType.I32, DType.U32, DType.I64, DType.BOOL)) {
                out.add(reduce(Kind.SUM, -1, t, flat));
                if (n > 0 && t != DType.BOOL) {
                    out.add(reduce(Kind.MAX, -1, t, flat));
                }
            }
            if (n > 0) {
                for (DType t : List.of(DType.F32, DType.F64, DType.F16, DType.I32)) {
                    out.add(reduce(Kind.MEAN, -1, t, flat));
                }
            }
            out.add(reduce(Kind.SQUARED_NORM, 0, DType.F32, flat));
            if (n <= 1031) {
                long[] comps = {3, n};
                out.add(reduce(Kind.SUM, 0, DType.F32, comps));
                out.add(reduce(Kind.SUM, 1, DType.F32, comps));
                out.add(reduce(Kind.SUM, -1, DType.F32, comps));
                out.add(reduce(Kind.SUM, 1, DType.I32, comps));
                out.add(reduce(Kind.SQUARED_NORM, 0, DType.F32, comps));
                out.add(reduce(Kind.SQUARED_NORM, 1, DType.F16, comps));
                if (n > 0) {
                    out.add(reduce(Kind.MEAN, 1, DType.F64, comps));
                }
            }
        }
        for (long[] s : new long[][] {{1031, 3}, {2000, 3}, {1100, 1}}) {
            out.add(reduce(Kind.SUM, 0, DType.F32, s));
            out.add(reduce(Kind.SUM, 1, DType.F32, s));
            out.add(reduce(Kind.SUM, -1, DType.F32, s));
            out.add(reduce(Kind.SUM, 0, DType.I32, s));
            out.add(reduce(Kind.MEAN, 0, DType.F64, s));
            out.add(reduce(Kind.MAX, -1, DType.F32, s));
        }
        out.add(reduce(Kind.SUM, 0, DType.F32, new long[] {0, 5}));
        out.add(reduce(Kind.SUM, 0, DType.F32, new long[] {4, 3, 5}));
        out.add(reduce(Kind.SUM, 1, DType.F32, new long[] {4, 3, 5}));
        out.add(special("sum-with-nan", Kind.SUM, new float[] {1, Float.NaN, 2}));
        out.add(special("sum-with-inf", Kind.SUM, new float[] {1, Float.POSITIVE_INFINITY, 2}));
        out.add(special("sum-with-both-infinities", Kind.SUM, new float[] {Float.NEGATIVE_INFINITY, 1, Float.POSITIVE_INFINITY}));
        out.add(special("max-with-nan", Kind.MAX, new float[] {1, Float.NaN, 2}));
        out.add(special("max-of-negative-zero-and-zero", Kind.MAX, new float[] {-0f, 0f, -0f}));
        out.add(Checks.throwing(GROUP + "/mean-of-empty-throws", GROUP, "Tensor.zeros(F32, 0).mean()",
                () -> Tensor.zeros(DType.F32, 0).mean(), IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/max-of-empty-throws", GROUP, "Tensor.zeros(F32, 0).max()",
                () -> Tensor.zeros(DType.F32, 0).max(), IllegalArgumentException.class, Tag.F32));
        out.add(Checks.throwing(GROUP + "/mean-over-empty-axis-throws", GROUP, "Tensor.zeros(F32, 3, 0).mean(1)",
                () -> Tensor.zeros(DType.F32, 3, 0).mean(1), IllegalArgumentException.class, Tag.F32));
        return out;
    }

    /** Inputs that keep float sums finite: uniform in [-1, 1) scaled by a power of two; integers anywhere. */
    static Values inputs(DType t, SplittableRandom r, long[] shape) {
        long[] b = new long[(int) HostShapes.numel(shape)];
        double scale = Math.scalb(1.0, r.nextInt(-3, 4));
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (t) {
                case F16 -> Float.floatToFloat16((float) (r.nextDouble(-1, 1) * scale)); // any half value will do
                case F32 -> Float.floatToRawIntBits((float) (r.nextDouble(-1, 1) * scale));
                case F64 -> Double.doubleToRawLongBits(r.nextDouble(-1, 1) * scale);
                case BOOL -> r.nextInt(2);
                default -> Values.canonical(t, r.nextLong());
            };
        }
        return new Values(t, shape, b);
    }

    private static ConformanceCase reduce(Kind kind, int axis, DType t, long[] shape) {
        String call = switch (kind) {
            case SUM -> axis < 0 ? "sum()" : "sum(" + axis + ")";
            case MEAN -> axis < 0 ? "mean()" : "mean(" + axis + ")";
            case MAX -> "max()";
            case SQUARED_NORM -> "squaredNorm(" + axis + ")";
        };
        String id = GROUP + "/" + call + "/" + t + "/" + Arrays.toString(shape);
        Supplier<Values> inputs = () -> {
            SplittableRandom r = new SplittableRandom(id.hashCode());
            return t == DType.I32 && kind == Kind.MEAN ? small(r, shape) : inputs(t, r, shape);
        };
        boolean exact = !t.isFloat() || kind == Kind.MAX;
        UnaryOperator<Tensor> op = x -> switch (kind) {
            case SUM -> axis < 0 ? x.sum() : x.sum(axis);
            case MEAN -> axis < 0 ? x.mean() : x.mean(axis);
            case MAX -> x.max();
            case SQUARED_NORM -> x.squaredNorm(axis);
        };
        Tag[] tags = HostShapes.numel(shape) >= 1 << 20 ? new Tag[] {Tag.of(t), Tag.LARGE} : new Tag[] {Tag.of(t)};
        return Checks.program(id, GROUP, exact ? ResultClass.BIT_EXACT : ResultClass.ORDERED_SUM,
                "x." + call + " over " + t + Arrays.toString(shape), inputs, in -> op.apply(DeviceIo.upload(in)),
                in -> expected(kind, axis, in), tags);
    }

    private static Values small(SplittableRandom r, long[] shape) {
        long[] b = new long[(int) HostShapes.numel(shape)];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(-1000, 1000);
        }
        return new Values(DType.I32, shape, b);
    }

    private static ConformanceCase special(String name, Kind kind, float[] v) {
        Values in = Values.ofFloats(v);
        ResultClass rc = kind == Kind.MAX ? ResultClass.BIT_EXACT : ResultClass.ORDERED_SUM;
        return Checks.program(GROUP + "/" + name, GROUP, rc, "x." + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + "() of " + Arrays.toString(v), () -> {
                    Tensor x = DeviceIo.upload(in);
                    return kind == Kind.SUM ? x.sum() : x.max();
                }, () -> expected(kind, -1, in), Tag.F32);
    }

    /** The host's reduction of {@code in} over {@code axis} (-1: everything). */
    static Expected expected(Kind kind, int axis, Values in) {
        DType t = in.dtype();
        long[] s = in.shape();
        long[] rs = axis < 0 ? new long[0] : without(s, axis);
        int outN = (int) HostShapes.numel(rs);
        int k = axis < 0 ? in.size() : (int) s[axis];
        double[][] terms = new double[outN][k];
        long[][] bits = new long[outN][k];
        int[] fill = new int[outN];
        long[] idx = new long[s.length];
        for (int i = 0; i < in.size(); i++) {
            int o = 0;
            for (int d = 0; d < s.length; d++) {
                if (d != axis && axis >= 0) {
                    o = (int) (o * s[d] + idx[d]);
                }
            }
            long b = in.bits()[i];
            if (kind == Kind.SQUARED_NORM) {
                b = HostArithmetic.binary(ElementOp.MUL, t, b, b);
            }
            bits[o][fill[o]] = b;
            terms[o][fill[o]++] = Values.toDouble(t, b);
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < s[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        if (!t.isFloat() || kind == Kind.MAX) {
            DType rt = kind == Kind.MEAN ? DType.F32 : t == DType.BOOL ? DType.I32 : t;
            long[] out = new long[outN];
            for (int o = 0; o < outN; o++) {
                long acc = kind == Kind.MAX ? bits[o][0] : 0;
                for (int j = 0; j < k; j++) {
                    acc = kind == Kind.MAX ? HostArithmetic.binary(ElementOp.MAX, t, acc, bits[o][j])
                            : Values.canonical(rt == DType.F32 ? DType.I32 : rt, acc + bits[o][j]);
                }
                out[o] = kind == Kind.MEAN ? Float.floatToRawIntBits((float) (int) acc / (float) k) : acc;
            }
            return new Expected.Exact(new Values(rt, rs, out));
        }
        double[] exact = new double[outN];
        double[] bound = new double[outN];
        for (int o = 0; o < outN; o++) {
            double sum = SumBounds.exactSum(terms[o]);
            if (kind == Kind.MEAN) {
                exact[o] = sum / k;
                bound[o] = SumBounds.meanBound(t, terms[o], exact[o]);
            } else {
                exact[o] = sum;
                bound[o] = SumBounds.bound(t, terms[o], sum);
            }
        }
        return new Expected.Bounded(t, rs, exact, bound);
    }

    private static long[] without(long[] s, int axis) {
        long[] out = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                out[j++] = s[i];
            }
        }
        return out;
    }
}
