package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Transcendentals ({@code exp2 log2 exp log sin cos tanh}, and {@code sigmoid} and {@code pow}
 * built on them) in F32, F64 and F16. The core lowers them to polynomials of bit-exact ops, so
 * they must be identical on every backend (checked against the reference backend); against the
 * independent {@code StrictMath} value (in double) they must be within 1 ulp in F32 (the core
 * states 0.8), 2 ulp in F64 (0.8 plus StrictMath's own error of up to 1 ulp) and 1 ulp in F16.
 * {@code rsqrt} ({@code 1/sqrt}) is two correctly rounded ops and so bit-exact.
 */
public final class TranscendentalCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "transcendental";
    private static final int N = 2000;

    private record Fn(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator exact, double lo, double hi) {}

    private static final double LN2 = StrictMath.log(2);

    private static final List<Fn> FUNCTIONS = List.of(
            new Fn("exp2", Tensor::exp2, x -> StrictMath.pow(2, x), -150, 130),
            new Fn("log2", Tensor::log2, x -> StrictMath.log(x) / LN2, 0, 1e30),
            new Fn("exp", Tensor::exp, StrictMath::exp, -105, 90),
            new Fn("log", Tensor::log, StrictMath::log, 0, 1e30),
            new Fn("sin", Tensor::sin, StrictMath::sin, -100, 100),
            new Fn("cos", Tensor::cos, StrictMath::cos, -100, 100),
            new Fn("tanh", Tensor::tanh, StrictMath::tanh, -12, 12));

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (Fn fn : FUNCTIONS) {
            for (DType t : List.of(DType.F32, DType.F64, DType.F16)) {
                out.add(within(fn.name(), t, fn.op(), fn.exact(), inputs(fn, t), t == DType.F64 ? 2 : 1));
            }
        }
        for (DType t : List.of(DType.F32, DType.F64)) {
            Fn sigmoid = new Fn("sigmoid", Tensor::sigmoid, x -> 1 / (1 + StrictMath.exp(-x)), -30, 30);
            out.add(within("sigmoid", t, sigmoid.op(), sigmoid.exact(), inputs(sigmoid, t), 4));
            // pow = exp2(y * log2|x|): the rounding error of t = y * log2|x| is amplified by exp2, about
            // 1.4 * |t| ulp at worst (no bound is stated; 11 ulp seen at |t| = 16); the bases stay in
            // [0.1, 10], |t| <= 8.3, where 8 ulp holds
            Fn pow = new Fn("pow-2.5", x -> x.pow(2.5), x -> StrictMath.pow(x, 2.5), 0.1, 10);
            out.add(within("pow-2.5", t, pow.op(), pow.exact(), inputs(pow, t), 8));
        }
        out.add(powSpecials());
        for (DType t : List.of(DType.F32, DType.F64, DType.F16)) {
            out.add(rsqrt(t));
        }
        return out;
    }

    /** Random inputs in the function's range (log-uniform for logarithms), then special values. */
    private static Values inputs(Fn fn, DType t) {
        SplittableRandom r = new SplittableRandom((fn.name() + t).hashCode());
        double[] special = {0, -0.0, 1, -1, 0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            1e-3, -1e-3, 1e-6, Float.MIN_NORMAL, Float.MIN_VALUE, 3, -3};
        if (fn.name().startsWith("pow")) {
            special = new double[0]; // pow's special values are in powSpecials, as its javadoc defines them
        }
        long[] b = new long[N + special.length];
        for (int i = 0; i < b.length; i++) {
            double x;
            if (i >= N) {
                x = special[i - N];
            } else if (fn.lo() == 0.1) {
                x = StrictMath.exp(r.nextDouble(StrictMath.log(fn.lo()), StrictMath.log(fn.hi())));
            } else if (fn.lo() == 0) {
                x = StrictMath.exp(r.nextDouble(StrictMath.log(t == DType.F16 ? 6e-8 : 1e-30),
                        StrictMath.log(t == DType.F16 ? 65000 : fn.hi())));
            } else {
                double hi = t == DType.F16 ? Math.min(fn.hi(), 11) : fn.hi();
                double lo = t == DType.F16 ? Math.max(fn.lo(), -11) : fn.lo();
                x = r.nextDouble(lo, hi);
            }
            b[i] = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(x)); // an exact input of t
        }
        return new Values(t, new long[] {b.length}, b);
    }

    private static ConformanceCase within(String name, DType t, UnaryOperator<Tensor> op, DoubleUnaryOperator exact,
                                          Values in, double ulps) {
        String id = GROUP + "/" + name + "/" + t;
        return Checks.program(id, GROUP, ResultClass.POLYNOMIAL, "x." + (name.startsWith("pow") ? "pow(2.5)" : name + "()") + " over " + in.size() + " " + t
                        + " values, within " + ulps + " ulp of StrictMath", () -> op.apply(DeviceIo.upload(in)),
                () -> {
                    double[] e = new double[in.size()];
                    for (int i = 0; i < e.length; i++) {
                        e[i] = exact.applyAsDouble(in.value(i));
                    }
                    return new Expected.Ulps(t, in.shape(), e, ulps);
                }, Tag.of(t));
    }

    /** pow with negative bases, zero bases and zero exponents, as its javadoc defines them. */
    private static ConformanceCase powSpecials() {
        float inf = Float.POSITIVE_INFINITY;
        float[] base = {-2, -2, -2, 0, 0, 5, -0.5f, 2, -inf, inf, -inf, Float.NaN};
        float[] exponent = {3, 2, 0.5f, 2, -1, 0, -3, 10, 2.5f, 2, 3, 0};
        double[] exact = {-8, 4, Double.NaN, 0, Double.POSITIVE_INFINITY, 1, -8, 1024, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1};
        return Checks.program(GROUP + "/pow-specials/F32", GROUP, ResultClass.POLYNOMIAL,
                "x.pow(y): negative bases take the sign of an integral exponent's parity, NaN otherwise; 0^-1 = inf; "
                        + "x^0 = 1 (NaN included)",
                () -> Tensor.of(base).pow(Tensor.of(exponent)),
                () -> new Expected.Ulps(DType.F32, new long[] {base.length}, exact, 8), Tag.F32);
    }

    private static ConformanceCase rsqrt(DType t) {
        SplittableRandom r = new SplittableRandom(("rsqrt" + t).hashCode());
        Values in = SampleValues.random(t, 500, r);
        return Checks.program(GROUP + "/rsqrt/" + t, GROUP, ResultClass.BIT_EXACT,
                "x.rsqrt() = 1 / sqrt(x), each rounded (F16: in F32, rounded once to F16)",
                () -> DeviceIo.upload(in).rsqrt(),
                () -> {
                    long[] e = new long[in.size()];
                    for (int i = 0; i < e.length; i++) {
                        e[i] = switch (t) {
                            case F16 -> {
                                float s = (float) Math.sqrt(in.value(i));
                                yield Float.floatToFloat16(1f / s);
                            }
                            case F32 -> Float.floatToRawIntBits(1f / (float) Math.sqrt(in.value(i)));
                            default -> Double.doubleToRawLongBits(1 / Math.sqrt(in.value(i)));
                        };
                    }
                    return new Expected.Exact(new Values(t, in.shape(), e));
                }, Tag.of(t));
    }
}
