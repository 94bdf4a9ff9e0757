package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * F16 rounding and subnormals, with hand-computed bits: conversions to F16 (ties to even,
 * overflow to infinity, subnormals, one rounding from F64), F16 arithmetic rounding once per op,
 * F16 {@code fma} rounding once, F16 sums and means accumulated in F32, and subnormal F32/F64
 * arithmetic (no flush to zero on any backend). All bit-exact.
 *
 * <p>Half bits used below: 1.0 = 0x3C00, 1+2^-10 = 0x3C01, 1+2^-9 = 0x3C02, 2048 = 0x6800 (then
 * 2050 = 0x6801, 2052 = 0x6802), 65504 = 0x7BFF (the largest half), inf = 0x7C00, 2^-24 = 0x0001
 * (the smallest subnormal), 2^-14 = 0x0400 (the smallest normal), 256 = 0x5C00, 0.5 = 0x3800.
 */
public final class F16Cases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "f16";

    private final List<ConformanceCase> out = new ArrayList<>();

    @Override
    public List<ConformanceCase> get() {
        out.clear();
        // F32 -> F16: every input is an exact float; the expected half is worked out in the comment
        toHalf("tie-to-even-down", 1 + 0x1p-11f, 0x3C00);        // halfway 1 and 1+2^-10: even mantissa 0
        toHalf("tie-to-even-up", 1 + 3 * 0x1p-11f, 0x3C02);      // halfway 1+2^-10 and 1+2^-9: even is 2
        toHalf("above-tie", 1 + 0x1p-11f + 0x1p-20f, 0x3C01);
        toHalf("2049", 2049f, 0x6800);                           // spacing 2 at 2048: halfway, even 2048
        toHalf("2051", 2051f, 0x6802);                           // halfway 2050 (odd) and 2052 (even)
        toHalf("65519", 65519f, 0x7BFF);                         // below the midpoint 65520: 65504
        toHalf("65520-overflows", 65520f, 0x7C00);               // midpoint, even side is 65536: infinity
        toHalf("minus-65520-overflows", -65520f, 0xFC00);
        toHalf("1e6-overflows", 1e6f, 0x7C00);
        toHalf("subnormal-tie-to-zero", 0x1p-25f, 0x0000);       // halfway 0 and 2^-24: even is 0
        toHalf("negative-subnormal-tie-to-minus-zero", -0x1p-25f, 0x8000);
        toHalf("subnormal-tie-up", 3 * 0x1p-25f, 0x0002);        // halfway 2^-24 and 2^-23: even is 2
        toHalf("subnormal-above-tie", 0x1p-25f + 0x1p-40f, 0x0001);
        toHalf("largest-subnormal-tie-to-normal", 0x1p-14f - 0x1p-25f, 0x0400); // 1023 (odd) vs 1024
        toHalf("exact-subnormal", 5 * 0x1p-24f, 0x0005);
        toHalf("below-half-smallest", 0x1p-26f, 0x0000);
        toHalf("0.1", 0.1f, 0x2E66);                             // 2^-4 * (1 + 614/1024), 614.4 rounds down

        // F64 -> F16 rounds once (through F32 it would land on a tie first)
        f64ToHalf("one-rounding-above-tie", 1 + 0x1p-11 + 0x1p-40, 0x3C01);
        f64ToHalf("one-rounding-subnormal", 0x1p-25 + 0x1p-60, 0x0001);
        f64ToHalf("65519.99", 65519.99, 0x7BFF);
        f64ToHalf("65520", 65520.0, 0x7C00);

        // F16 arithmetic: computed exactly (in F32), rounded once to F16
        binary("add-2048+1-tie", 0x6800, 0x3C00, Tensor::add, 0x6800);           // 2049: even 2048
        binary("add-2048+3-tie", 0x6800, 0x4200, Tensor::add, 0x6802);           // 2051: even 2052
        binary("add-overflow", 0x7BFF, 0x4C00, Tensor::add, 0x7C00);             // 65504 + 16 = 65520: inf
        binary("add-below-overflow", 0x7BFF, 0x4B80, Tensor::add, 0x7BFF);       // 65504 + 15 = 65519
        binary("mul-overflow", 0x5C00, 0x5C00, Tensor::mul, 0x7C00);             // 256 * 256 = 65536
        binary("div-1/3", 0x3C00, 0x4200, Tensor::div, 0x3555);                  // 2^-2 * (1 + 341/1024)
        binary("mul-subnormal-tie-to-zero", 0x0001, 0x3800, Tensor::mul, 0x0000); // 2^-25
        binary("mul-subnormal-tie-up", 0x0003, 0x3800, Tensor::mul, 0x0002);     // 1.5 * 2^-24
        binary("div-to-subnormal", 0x0400, 0x4400, Tensor::div, 0x0100);         // 2^-14 / 4 = 2^-16
        binary("sub-to-largest-subnormal", 0x0400, 0x0001, Tensor::sub, 0x03FF);
        unary("sqrt-2", 0x4000, Tensor::sqrt, 0x3DA8);                            // 1 + 424/1024
        // a = 1+2^-10, a*a - (1+2^-9) = 2^-20 exactly = 16 * 2^-24; rounded product first gives 0
        add("fma-rounds-once", "h(0x3C01).fma(h(0x3C01), h(0xBC02))",
                () -> h(0x3C01).fma(h(0x3C01), h(0xBC02)), half(0x0010));
        add("mul-then-add-rounds-twice", "h(0x3C01).mul(h(0x3C01)).add(h(0xBC02))",
                () -> h(0x3C01).mul(h(0x3C01)).add(h(0xBC02)), half(0x0000));
        add("fma-overflow", "h(65504).fma(h(2), h(-65504))", () -> h(0x7BFF).fma(h(0x4000), h(0xFBFF)),
                half(0x7BFF)); // exact 65504: no intermediate overflow

        // F16 reductions accumulate in F32 and round once
        add("sum-4096-ones", "4096 F16 ones, sum(): 4096 (an F16 accumulator would stop at 2048)", () -> {
            long[] ones = new long[4096];
            java.util.Arrays.fill(ones, 0x3C00);
            return DeviceIo.upload(Values.of(DType.F16, ones)).sum();
        }, scalarHalf(0x6C00));
        add("mean-2048-1-1", "h(2048, 1, 1).mean(): 2050/3 = 683.33 in F32, rounded once to 683.5",
                () -> DeviceIo.upload(Values.of(DType.F16, new long[] {0x6800, 0x3C00, 0x3C00})).mean(),
                scalarHalf(0x6157)); // 512 * (1 + 343/1024) = 683.5 (an F16 sum would give 682.5)

        // subnormals are kept (no flush to zero)
        add("f32-min-value-times-one", "f(MIN_VALUE).mul(1)", () -> f(Float.MIN_VALUE).mul(1f),
                Values.of(DType.F32, new long[] {0x0000_0001}));
        add("f32-min-normal-over-4", "f(MIN_NORMAL).div(4)", () -> f(Float.MIN_NORMAL).div(4),
                Values.of(DType.F32, new long[] {0x0020_0000})); // 2^-128
        add("f32-subnormal-ties", "f(MIN_VALUE, 3 * MIN_VALUE).div(2)",
                () -> Tensor.of(new float[] {Float.MIN_VALUE, 3 * Float.MIN_VALUE}).div(2),
                Values.of(DType.F32, new long[] {0, 2})); // 0.5 -> 0, 1.5 -> 2 (ties to even)
        add("f32-subnormal-add", "f(1e-40).add(f(1e-40))", () -> f(1e-40f).add(f(1e-40f)),
                Values.ofFloats(new float[] {1e-40f + 1e-40f}));
        add("f64-subnormal-ties", "d(MIN_VALUE, 3 * MIN_VALUE).div(2)",
                () -> Tensor.of(new double[] {Double.MIN_VALUE, 3 * Double.MIN_VALUE}).div(2),
                Values.of(DType.F64, new long[] {0, 2}));
        add("f16-subnormal-to-f32", "h(0x0001).to(F32) = 2^-24", () -> h(0x0001).to(DType.F32),
                Values.of(DType.F32, new long[] {0x3380_0000}));
        return List.copyOf(out);
    }

    private static Tensor h(int bits) {
        return DeviceIo.upload(Values.of(DType.F16, new long[] {bits}));
    }

    private static Tensor f(float v) {
        return Tensor.of(new float[] {v});
    }

    private static Values half(int bits) {
        return Values.of(DType.F16, new long[] {bits});
    }

    private static Values scalarHalf(int bits) {
        return new Values(DType.F16, new long[0], new long[] {bits});
    }

    private void toHalf(String name, float x, int bits) {
        add("f32-to-f16/" + name, "f(" + x + " = " + Float.toHexString(x) + ").to(F16)",
                () -> f(x).to(DType.F16), half(bits));
    }

    private void f64ToHalf(String name, double x, int bits) {
        add("f64-to-f16/" + name, "d(" + Double.toHexString(x) + ").to(F16)",
                () -> Tensor.of(new double[] {x}).to(DType.F16), half(bits));
    }

    private void binary(String name, int a, int b, java.util.function.BinaryOperator<Tensor> op, int bits) {
        add(name, String.format("h(0x%04X) op h(0x%04X)", a, b), () -> op.apply(h(a), h(b)), half(bits));
    }

    private void unary(String name, int a, java.util.function.UnaryOperator<Tensor> op, int bits) {
        add(name, String.format("op(h(0x%04X))", a), () -> op.apply(h(a)), half(bits));
    }

    private void add(String name, String program, Supplier<Tensor> build, Values expected) {
        out.add(Checks.program(GROUP + "/" + name, GROUP, ResultClass.BIT_EXACT, program, build,
                () -> new Expected.Exact(expected), Tag.of(expected.dtype())));
    }
}
