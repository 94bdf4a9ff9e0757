package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Gathers with out-of-range indices (they give 0, for every index dtype, including 64-bit
 * indices that would wrap onto a valid element if narrowed) and scatter-adds with colliding
 * indices (repeated positions accumulate, out-of-range positions are skipped, the source tensor
 * is left as it was). Integer and integer-valued float accumulations are exact in any order and
 * so bit-exact; other float accumulations are ordered sums.
 */
public final class IndexingCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "indexing";

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        Values table = BroadcastCases.random(DType.F32, r, 10);
        out.add(gather("i32-index-out-of-range", table,
                Values.ofInts(new int[] {-1, 0, 9, 10, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE, 3})));
        out.add(gather("i64-index-beyond-i32", table, Values.of(DType.I64,
                new long[] {(1L << 32) + 1, -1, 5, 1L << 31, -(1L << 32) + 2, Long.MIN_VALUE + 4})));
        out.add(gather("u32-index-high-bit", table, Values.of(DType.U32, new long[] {1L << 31, 0xFFFF_FFFFL, 4, 0})));
        out.add(gather("u64-index-huge", table, Values.of(DType.U64, new long[] {Long.MIN_VALUE, -1L, (1L << 32) + 3, 3})));
        for (DType t : List.of(DType.F16, DType.F64, DType.I32, DType.U32, DType.I64, DType.U64, DType.BOOL)) {
            Values src = BroadcastCases.random(t, r, 37);
            out.add(gather("source-" + t, src, randomIndex(r, 64, -5, 42)));
        }
        out.add(gather("2d-source-2d-index", BroadcastCases.random(DType.I32, r, 4, 5),
                new Values(DType.I32, new long[] {3, 50}, randomIndex(r, 150, -3, 23).bits())));
        out.add(gather("large-100003-from-1031", BroadcastCases.random(DType.F32, r, 1031),
                randomIndex(r, 100_003, -100, 1131), Tag.LARGE));
        out.add(gather("empty-index", table, Values.ofInts(new int[0])));
        out.add(gather("empty-source", Values.ofFloats(new float[0]), Values.ofInts(new int[] {0, 1, -1})));
        out.add(lazyGather());

        // hand-computed: bins 0 <- 1+2+3, 3 <- 4+5, 7 <- 6; 8, -1 and 100 are out of range
        int[] idx = {0, 0, 0, 3, 3, 7, 8, -1, 100};
        int[] val = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        out.add(scatter("i32-collisions-hand", Values.ofInts(new int[8]), Values.ofInts(idx), Values.ofInts(val),
                Values.ofInts(new int[] {6, 0, 0, 9, 0, 0, 0, 6}), true));
        out.add(scatter("f32-collisions-hand", Values.ofFloats(new float[8]), Values.ofInts(idx),
                Values.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                Values.ofFloats(new float[] {6, 0, 0, 9, 0, 0, 0, 6}), true));
        out.add(scatter("f64-into-nonzero-target", Values.ofDoubles(new double[] {0.5, 1.5, -2, 4}),
                Values.ofInts(new int[] {1, 1, 3, 4, -4}), Values.ofDoubles(new double[] {0.25, 0.25, 1, 99, 99}),
                Values.ofDoubles(new double[] {0.5, 2.0, -2, 5}), true));
        out.add(scatter("i64-index-beyond-i32-skipped", Values.ofInts(new int[4]),
                Values.of(DType.I64, new long[] {(1L << 32) + 1, 1, -1, 2}), Values.ofInts(new int[] {10, 20, 30, 40}),
                Values.ofInts(new int[] {0, 20, 40, 0}), true));
        out.add(scatter("u32-index-high-bit-skipped", Values.ofInts(new int[3]),
                Values.of(DType.U32, new long[] {1L << 31, 2, 0xFFFF_FFFFL}), Values.ofInts(new int[] {10, 20, 30}),
                Values.ofInts(new int[] {0, 0, 20}), true));
        out.add(scatter("values-broadcast", Values.ofInts(new int[5]), Values.ofInts(new int[] {4, 4, 0, 9}),
                Values.ofInts(new int[] {3}), Values.ofInts(new int[] {3, 0, 0, 0, 6}), true));
        out.add(scatter("f16-integer-collisions", Values.of(DType.F16, new long[] {0x3C00, 0, 0}),
                Values.ofInts(new int[] {0, 2, 2, 2, 5}),
                Values.of(DType.F16, new long[] {0x4000, 0x3C00, 0x3C00, 0x3C00, 0x3C00}),
                Values.of(DType.F16, new long[] {0x4200, 0, 0x4200}), true)); // 1+2 = 3, 1+1+1 = 3
        out.add(scatterLarge(DType.I32, r));
        out.add(scatterLarge(DType.F32, r));
        out.add(scatterFloat(r));
        out.add(sourceUnchanged());
        return out;
    }

    static Values randomIndex(SplittableRandom r, int n, int lo, int hi) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(lo, hi);
        }
        return Values.ofInts(v);
    }

    /** The index as an exact value, or -1 if it is out of [0, n). */
    private static long position(Values idx, int i, long n) {
        long b = idx.bits()[i];
        boolean unsigned = idx.dtype().isUnsigned();
        boolean in = unsigned ? Long.compareUnsigned(b, n) < 0 : b >= 0 && b < n;
        return in ? b : -1;
    }

    static Values gathered(Values src, Values idx) {
        long[] out = new long[idx.size()];
        for (int i = 0; i < out.length; i++) {
            long p = position(idx, i, src.size());
            out[i] = p < 0 ? 0 : src.bits()[(int) p];
        }
        return new Values(src.dtype(), idx.shape(), out);
    }

    private static ConformanceCase gather(String name, Values src, Values idx, Tag... more) {
        return Checks.program(GROUP + "/gather/" + name, GROUP, ResultClass.BIT_EXACT, "x.gather(index) with x "
                        + src.summary() + ", index " + idx.summary() + ": out of range gives 0",
                () -> DeviceIo.upload(src).gather(DeviceIo.upload(idx)),
                () -> new Expected.Exact(gathered(src, idx)), Checks.tags(new DType[] {src.dtype(), idx.dtype()}, more));
    }

    /** Gather from a source that is still lazy (the gather evaluates it). */
    private static ConformanceCase lazyGather() {
        Values idx = Values.ofInts(new int[] {5, -2, 99, 100, 0});
        return Checks.program(GROUP + "/gather/lazy-source", GROUP, ResultClass.BIT_EXACT,
                "arange(F32, 100).mul(3).gather({5, -2, 99, 100, 0})",
                () -> Tensor.arange(DType.F32, 100).mul(3).gather(DeviceIo.upload(idx)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {15, 0, 297, 0, 0})), Tag.F32);
    }

    /** The host's scatter-add: target plus every in-range value at its position, in index order. */
    static Values scattered(Values target, Values idx, Values vals) {
        long[] out = target.bits().clone();
        Values v = HostShapes.expand(vals, idx.shape());
        for (int i = 0; i < idx.size(); i++) {
            long p = position(idx, i, target.size());
            if (p >= 0) {
                out[(int) p] = HostArithmetic.binary(ElementOp.ADD, target.dtype(), out[(int) p],
                        HostArithmetic.cast(v.dtype(), target.dtype(), v.bits()[i]));
            }
        }
        return new Values(target.dtype(), target.shape(), out);
    }

    private static ConformanceCase scatter(String name, Values target, Values idx, Values vals, Values expected,
                                           boolean exact) {
        return Checks.program(GROUP + "/scatterAdd/" + name, GROUP, exact ? ResultClass.BIT_EXACT : ResultClass.ORDERED_SUM,
                "x.scatterAdd(index, values) with x " + target.summary() + ", index " + idx.summary() + ", values "
                        + vals.summary(),
                () -> DeviceIo.upload(target).scatterAdd(DeviceIo.upload(idx), DeviceIo.upload(vals)),
                () -> {
                    Values host = scattered(target, idx, vals);
                    if (!host.equals(expected)) { // the hand-computed table and the host model must agree
                        throw new AssertionError("hand-computed " + expected + " != host model " + host);
                    }
                    return new Expected.Exact(expected);
                }, Tag.of(target.dtype()));
    }

    /** 100003 small integer values into 7 bins (and some out of range): exact in any order. */
    private static ConformanceCase scatterLarge(DType t, SplittableRandom r) {
        Values idx = randomIndex(r, 100_003, -2, 9);
        long[] v = new long[idx.size()];
        for (int i = 0; i < v.length; i++) {
            int x = r.nextInt(-8, 9);
            v[i] = t == DType.F32 ? Float.floatToRawIntBits(x) : x;
        }
        Values vals = new Values(t, idx.shape(), v);
        Values target = new Values(t, new long[] {7}, new long[7]);
        return Checks.program(GROUP + "/scatterAdd/large-7-bins/" + t, GROUP, ResultClass.BIT_EXACT,
                "zeros(" + t + ", 7).scatterAdd(100003 indices in [-2, 9), integers in [-8, 8])",
                () -> DeviceIo.upload(target).scatterAdd(DeviceIo.upload(idx), DeviceIo.upload(vals)),
                () -> new Expected.Exact(scattered(target, idx, vals)), Tag.of(t), Tag.LARGE);
    }

    /** Non-integer F32 values colliding in 13 bins: an ordered sum per bin. */
    private static ConformanceCase scatterFloat(SplittableRandom r) {
        Values idx = randomIndex(r, 5000, 0, 13);
        Values vals = ReductionCases.inputs(DType.F32, r, new long[] {5000});
        Values target = ReductionCases.inputs(DType.F32, r, new long[] {13});
        return Checks.program(GROUP + "/scatterAdd/f32-ordered-sums", GROUP, ResultClass.ORDERED_SUM,
                "x.scatterAdd(5000 indices in [0, 13), F32 values in [-1, 1))",
                () -> DeviceIo.upload(target).scatterAdd(DeviceIo.upload(idx), DeviceIo.upload(vals)),
                () -> {
                    List<List<Double>> terms = new ArrayList<>();
                    for (int b = 0; b < 13; b++) {
                        terms.add(new ArrayList<>(List.of(target.value(b))));
                    }
                    for (int i = 0; i < idx.size(); i++) {
                        terms.get((int) idx.bits()[i]).add(vals.value(i));
                    }
                    double[] exact = new double[13];
                    double[] bound = new double[13];
                    for (int b = 0; b < 13; b++) {
                        double[] t = terms.get(b).stream().mapToDouble(Double::doubleValue).toArray();
                        exact[b] = SumBounds.exactSum(t);
                        bound[b] = SumBounds.bound(DType.F32, t, exact[b]);
                    }
                    return new Expected.Bounded(DType.F32, new long[] {13}, exact, bound);
                }, Tag.F32);
    }

    private static ConformanceCase sourceUnchanged() {
        Values x = Values.ofInts(new int[] {1, 2, 3});
        return Checks.program(GROUP + "/scatterAdd/source-unchanged", GROUP, ResultClass.BIT_EXACT,
                "x = {1, 2, 3}; y = x.scatterAdd({0, 2}, {10, 10}); concat(x, y, x)", () -> {
                    Tensor t = DeviceIo.upload(x);
                    Tensor y = t.scatterAdd(Tensor.of(new int[] {0, 2}), Tensor.of(new int[] {10, 10}));
                    return Tensor.concat(0, t, y, t);
                }, () -> new Expected.Exact(Values.ofInts(new int[] {1, 2, 3, 11, 2, 13, 1, 2, 3})), Tag.I32);
    }
}
