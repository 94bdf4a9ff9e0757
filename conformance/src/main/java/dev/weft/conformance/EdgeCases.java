package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * DESIGN.md "Numbers", the edge-semantics table, row by row, with hand-computed numbers: integer
 * division and remainder by zero, shift counts at and beyond the bit width, float to integer of
 * NaN and out-of-range values, round half to even, min/max with NaN (and signed zeros, as
 * {@code Math.min}), BOOL as 0 or 1. (Out-of-range gathers are in {@link IndexingCases}.) All
 * bit-exact.
 */
public final class EdgeCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "edge";
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    private final List<ConformanceCase> out = new ArrayList<>();

    @Override
    public List<ConformanceCase> get() {
        out.clear();
        // integer division and remainder by zero give 0; MIN / -1 wraps (as Java)
        for (DType t : List.of(DType.I32, DType.U32, DType.I64, DType.U64)) {
            long[] x = {7, 0, 1, Values.canonical(t, -1)};
            add("div-by-zero/" + t, "x.div(0-tensor), x = 7, 0, 1, all ones",
                    () -> ints(t, x).div(ints(t, 0, 0, 0, 0)), Values.of(t, new long[] {0, 0, 0, 0}));
            add("rem-by-zero/" + t, "x.rem(0-tensor)", () -> ints(t, x).rem(ints(t, 0, 0, 0, 0)),
                    Values.of(t, new long[] {0, 0, 0, 0}));
            add("div-by-scalar-zero/" + t, "x.div(0)", () -> ints(t, x).div(0), Values.of(t, new long[] {0, 0, 0, 0}));
        }
        add("i32-min-div-minus-one-wraps", "MIN_VALUE / -1 = MIN_VALUE, MIN_VALUE % -1 = 0",
                () -> Tensor.concat(0, Tensor.of(new int[] {Integer.MIN_VALUE}).div(Tensor.of(new int[] {-1})),
                        Tensor.of(new int[] {Integer.MIN_VALUE}).rem(Tensor.of(new int[] {-1}))),
                Values.ofInts(new int[] {Integer.MIN_VALUE, 0}));
        add("i64-min-div-minus-one-wraps", "Long.MIN_VALUE / -1 = Long.MIN_VALUE",
                () -> ints(DType.I64, Long.MIN_VALUE).div(ints(DType.I64, -1)),
                Values.of(DType.I64, new long[] {Long.MIN_VALUE}));

        // shift counts are masked to the width minus one
        add("shl-i32-count-33", "1, 3, -1, 0x40000001 << 33 (= << 1)",
                () -> Tensor.of(new int[] {1, 3, -1, 0x4000_0001}).shiftLeft(33),
                Values.ofInts(new int[] {2, 6, -2, 0x8000_0002}));
        add("shl-i32-counts-0-31-32-33-64", "1 << {0, 31, 32, 33, 64}: counts & 31 = 0, 31, 0, 1, 0",
                () -> Tensor.of(new int[] {1, 1, 1, 1, 1}).shiftLeft(Tensor.of(new int[] {0, 31, 32, 33, 64})),
                Values.ofInts(new int[] {1, Integer.MIN_VALUE, 1, 2, 1}));
        add("shr-i32-arithmetic-masked", "{MIN, -1, -8, 8} >> {4, 31, 33, 33}",
                () -> Tensor.of(new int[] {Integer.MIN_VALUE, -1, -8, 8}).shiftRight(Tensor.of(new int[] {4, 31, 33, 33})),
                Values.ofInts(new int[] {0xF800_0000, -1, -4, 4}));
        add("shr-u32-logical-masked", "{0x80000000, 0xFFFFFFFF, 0xFFFFFFFF} >>> {4, 31, 33}",
                () -> ints(DType.U32, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFFL).shiftRight(ints(DType.U32, 4, 31, 33)),
                Values.of(DType.U32, new long[] {0x0800_0000L, 1, 0x7FFF_FFFFL}));
        add("shl-i64-count-65", "{1, 3, 2^40, -1} << 65 (= << 1)",
                () -> ints(DType.I64, 1, 3, 1L << 40, -1).shiftLeft(65),
                Values.of(DType.I64, new long[] {2, 6, 1L << 41, -2}));
        add("shr-u64-logical-masked", "(2^64-1) >>> {60, 124, 64}: counts & 63 = 60, 60, 0",
                () -> ints(DType.U64, -1, -1, -1).shiftRight(ints(DType.U64, 60, 124, 64)),
                Values.of(DType.U64, new long[] {15, 15, -1}));
        add("shr-i64-arithmetic", "Long.MIN_VALUE >> 63 = -1",
                () -> ints(DType.I64, Long.MIN_VALUE).shiftRight(63), Values.of(DType.I64, new long[] {-1}));

        // float to integer: NaN gives 0, out of range saturates, truncation toward zero
        add("f32-to-i32", "{NaN, 3e9, -3e9, inf, -inf, 2147483520, -2.7}.to(I32)",
                () -> Tensor.of(new float[] {NAN, 3e9f, -3e9f, INF, -INF, 2147483520f, -2.7f}).to(DType.I32),
                Values.ofInts(new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
                    2147483520, -2}));
        add("f64-to-i32", "{2147483647.9, 2147483648, -2147483648.9, -2147483649, NaN}.to(I32)",
                () -> Tensor.of(new double[] {2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0, Double.NaN})
                        .to(DType.I32),
                Values.ofInts(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, 0}));
        add("f32-to-u32", "{NaN, -1, -0.5, -1e30, 5e9, inf, 4294967040, 3.9}.to(U32): negatives give 0",
                () -> Tensor.of(new float[] {NAN, -1f, -0.5f, -1e30f, 5e9f, INF, 4294967040f, 3.9f}).to(DType.U32),
                Values.of(DType.U32, new long[] {0, 0, 0, 0, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 4294967040L, 3}));
        add("f32-to-i64", "{NaN, 1e20, -1e20, -inf, 2^62, -1.5}.to(I64)",
                () -> Tensor.of(new float[] {NAN, 1e20f, -1e20f, -INF, 0x1p62f, -1.5f}).to(DType.I64),
                Values.of(DType.I64, new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 1L << 62, -1}));
        add("f64-to-u64", "{NaN, -5, 2^64, 1.8e19, 2^63, 1e300}.to(U64)",
                () -> Tensor.of(new double[] {Double.NaN, -5, 0x1p64, 1.8e19, 0x1p63, 1e300}).to(DType.U64),
                Values.of(DType.U64, new long[] {0, 0, -1L, 0xF9CC_D8A1_C508_0000L, Long.MIN_VALUE, -1L}));
        add("f16-to-integers", "F16 {NaN, inf, -inf, 65504, -2.5}.to(I32)",
                () -> DeviceIo.upload(Values.of(DType.F16, new long[] {0x7E00, 0x7C00, 0xFC00, 0x7BFF, 0xC100}))
                        .to(DType.I32),
                Values.ofInts(new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE, 65504, -2}));

        // round half to even
        add("round-f32", "{0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 0.49999997}.round()",
                () -> Tensor.of(new float[] {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.5f, 0.49999997f}).round(),
                Values.ofFloats(new float[] {0f, 2f, 2f, -0f, -2f, -2f, 4f, 0f}));
        add("round-f64", "{2.5, 2^52 - 0.5, -4.5}.round()",
                () -> Tensor.of(new double[] {2.5, 0x1p52 - 0.5, -4.5}).round(),
                Values.ofDoubles(new double[] {2, 0x1p52, -4}));
        add("round-f16", "F16 {2.5, 0.5, 1.5}.round()",
                () -> DeviceIo.upload(Values.of(DType.F16, new long[] {0x4100, 0x3800, 0x3E00})).round(),
                Values.of(DType.F16, new long[] {0x4000, 0x0000, 0x4000}));

        // min/max: NaN if either is NaN; -0 < +0 as Math.min
        add("min-nan", "min({NaN, 1, NaN}, {1, NaN, -inf})",
                () -> Tensor.of(new float[] {NAN, 1, NAN}).min(Tensor.of(new float[] {1, NAN, -INF})),
                Values.ofFloats(new float[] {NAN, NAN, NAN}));
        add("max-nan", "max({NaN, 1, -inf}, {1, NaN, NaN})",
                () -> Tensor.of(new float[] {NAN, 1, -INF}).max(Tensor.of(new float[] {1, NAN, NAN})),
                Values.ofFloats(new float[] {NAN, NAN, NAN}));
        add("min-max-signed-zero", "concat(min({0, -0}, {-0, 0}), max({0, -0}, {-0, 0})) = {-0, -0, 0, 0}",
                () -> {
                    Tensor a = Tensor.of(new float[] {0f, -0f});
                    Tensor b = Tensor.of(new float[] {-0f, 0f});
                    return Tensor.concat(0, a.min(b), a.max(b));
                }, Values.ofFloats(new float[] {-0f, -0f, 0f, 0f}));
        add("min-nan-f64", "min(NaN, 1), max(1, NaN) in F64",
                () -> Tensor.concat(0, Tensor.of(new double[] {Double.NaN}).min(1), Tensor.of(new double[] {1}).max(Double.NaN)),
                Values.ofDoubles(new double[] {Double.NaN, Double.NaN}));

        // BOOL is 0 or 1
        add("bool-to-i32", "{-2, 0, 0.5, NaN, -0}.to(BOOL).to(I32): nonzero (NaN included) is 1",
                () -> Tensor.of(new float[] {-2, 0, 0.5f, NAN, -0f}).to(DType.BOOL).to(DType.I32),
                Values.ofInts(new int[] {1, 0, 1, 1, 0}));
        add("bool-from-comparison-to-f32", "x.gt(1).to(F32) over {0, 1, 2, 3}",
                () -> Tensor.of(new float[] {0, 1, 2, 3}).gt(1).to(DType.F32),
                Values.ofFloats(new float[] {0, 0, 1, 1}));
        add("bool-sum-counts-in-i32", "x.gt(0).sum() over 1000 values, 500 of them positive",
                () -> Tensor.arange(DType.I32, 1000).rem(2).to(DType.BOOL).sum(),
                new Values(DType.I32, new long[0], new long[] {500}));
        add("bool-to-u64-and-i64", "{true, false}.to(U64), .to(I64) = 1, 0",
                () -> Tensor.concat(0, Tensor.of(new int[] {5, 0}).to(DType.BOOL).to(DType.U64).bitcast(DType.I64),
                        Tensor.of(new int[] {-5, 0}).to(DType.BOOL).to(DType.I64)),
                Values.of(DType.I64, new long[] {1, 0, 1, 0}));
        return List.copyOf(out);
    }

    /** An integer tensor of {@code t} holding {@code v} (bits as given, through a 64-bit upload). */
    static Tensor ints(DType t, long... v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Values.canonical(t, v[i]);
        }
        return DeviceIo.upload(Values.of(t, b));
    }

    private void add(String name, String program, Supplier<Tensor> build, Values expected) {
        out.add(Checks.program(GROUP + "/" + name, GROUP, ResultClass.BIT_EXACT, program, build,
                () -> new Expected.Exact(expected), Tag.of(expected.dtype()), Tag.EDGE));
    }
}
