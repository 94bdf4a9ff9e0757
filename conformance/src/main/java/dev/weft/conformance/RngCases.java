package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Rng;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link Rng}: the streams of {@code random}, {@code uniform}, {@code normal} and
 * {@code integers} in every dtype they take, for several seeds and sizes (1, 4, 5, 17, 1000 and
 * 2-D shapes), successive draws on one generator (one counter step per draw, more after
 * {@code integers} retries), {@code copy()}, and bad arguments. Expected values come from
 * {@link HostPhilox}, the host's model of reference-semantics.md §6 written without the core, and
 * from the document's anchor numbers.
 *
 * <p>Result classes: {@code random}, {@code uniform} and {@code integers} are integer operations,
 * a bit-exact conversion ({@code (u >> 9 | 0x3F800000)} as a float minus 1 is exact; F16 is one
 * correct rounding of it) and, for {@code uniform}, one {@code fma}, so they are
 * {@link ResultClass#BIT_EXACT} against the host model. {@code normal} is Box–Muller with
 * {@code log2}, {@code sqrt}, {@code sin}: {@link ResultClass#POLYNOMIAL}, checked against
 * {@code sin(2π a) * sqrt(-log2(1 - r)) * sqrt(2 ln 2)} in double ({@code StrictMath}) within the
 * bound derived at {@link Draw#normal}.
 */
public final class RngCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "rng";

    private static final long SEED_A = 0x1234_5678_9ABC_DEF0L;
    private static final long SEED_B = 0xDEAD_BEEF_CAFE_F00DL;
    /** The seed whose key is (1, 0): nn's default (reference-semantics.md §10). */
    private static final long SEED_2_32 = 1L << 32;

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        anchors(out);

        // random(): every dtype, sizes 1, 4, 5, 17, 1000 and tensors, seeds whose key words differ
        out.add(sequence("random/F32/seed-0/n1", 0, random(DType.F32, 1)));
        out.add(sequence("random/F32/seed-1/n4", 1, random(DType.F32, 4)));
        out.add(sequence("random/F32/seed-2^32/n5", SEED_2_32, random(DType.F32, 5)));
        out.add(sequence("random/F32/seed-A/n17", SEED_A, random(DType.F32, 17)));
        out.add(sequence("random/F32/seed-max/n1000", -1L, random(DType.F32, 1000)));
        out.add(sequence("random/F32/seed-B/3x7", SEED_B, random(DType.F32, 3, 7)));
        out.add(sequence("random/F32/seed-5/2x3x4", 5, random(DType.F32, 2, 3, 4)));
        out.add(sequence("random/F64/seed-0/n1", 0, random(DType.F64, 1)));
        out.add(sequence("random/F64/seed-A/n5", SEED_A, random(DType.F64, 5)));
        out.add(sequence("random/F64/seed-11/n1000", 11, random(DType.F64, 1000)));
        out.add(sequence("random/F64/seed-B/4x5", SEED_B, random(DType.F64, 4, 5)));
        out.add(sequence("random/F16/seed-3/n17", 3, random(DType.F16, 17)));
        out.add(sequence("random/F16/seed-3/n1000", 3, random(DType.F16, 1000)));
        out.add(sequence("random/F16/seed-2^32/2x9", SEED_2_32, random(DType.F16, 2, 9)));
        out.add(sequence("random/F32/empty", 4, random(DType.F32, 0, 3)));

        // uniform(): fma(random, high - low, low) with the interval and low rounded to the dtype
        out.add(sequence("uniform/F32/-3..0.1/2x600", 4, uniform(DType.F32, -3.0, 0.1, 2, 600)));
        out.add(sequence("uniform/F32/0..1/n17", 0, uniform(DType.F32, 0, 1, 17)));
        out.add(sequence("uniform/F32/-1e3..1e-3/n5", SEED_A, uniform(DType.F32, -1e3, 1e-3, 5)));
        out.add(sequence("uniform/F32/near-interval/n1000", SEED_B, uniform(DType.F32, 1, 1.0000001, 1000)));
        out.add(sequence("uniform/F64/-1..1/n1000", 12, uniform(DType.F64, -1, 1, 1000)));
        out.add(sequence("uniform/F64/1e10..1e10+1/n4", 13, uniform(DType.F64, 1e10, 1e10 + 1, 4)));
        out.add(sequence("uniform/F16/-2..3.7/n1000", 14, uniform(DType.F16, -2, 3.7, 1000)));
        out.add(sequence("uniform/F16/0.1..0.3/5x5", 15, uniform(DType.F16, 0.1, 0.3, 5, 5)));

        // normal(): the last Box–Muller output of each lane's block
        out.add(sequence("normal/F32/seed-6/n1000", 6, normal(DType.F32, 1000)));
        out.add(sequence("normal/F32/seed-0/n17", 0, normal(DType.F32, 17)));
        out.add(sequence("normal/F32/seed-A/8x9", SEED_A, normal(DType.F32, 8, 9)));
        out.add(sequence("normal/F64/seed-8/n1000", 8, normal(DType.F64, 1000)));
        out.add(sequence("normal/F64/seed-B/n5", SEED_B, normal(DType.F64, 5)));
        out.add(sequence("normal/F16/seed-12/n1000", 12, normal(DType.F16, 1000)));
        out.add(sequence("normal/F16/seed-2^32/n4", SEED_2_32, normal(DType.F16, 4)));

        // integers(): Lemire's multiply-shift, rejections redrawn at base + i
        out.add(sequence("integers/I32/0..6/n1000", 26, integers(DType.I32, 0, 6, 1000)));
        out.add(sequence("integers/I32/-5..5/n17", 0, integers(DType.I32, -5, 5, 17)));
        out.add(sequence("integers/I32/-8..8-power-of-two/n1000", 23, integers(DType.I32, -8, 8, 1000)));
        out.add(sequence("integers/I32/one-value/n5", 7, integers(DType.I32, 41, 42, 5)));
        out.add(sequence("integers/I32/half-rejected/40x25", 21,
                integers(DType.I32, -(1L << 30), (1L << 30) + 1, 40, 25)));
        out.add(sequence("integers/U32/3e9..4e9+1/n777", 22, integers(DType.U32, 3_000_000_000L, 4_000_000_001L, 777)));
        out.add(sequence("integers/U32/whole-range/n50", 24, integers(DType.U32, 0, 1L << 32, 50)));
        out.add(sequence("integers/I32/whole-range/n50", 25, integers(DType.I32, Integer.MIN_VALUE, 1L << 31, 50)));
        out.add(sequence("integers/I32/negative-range/4x4", SEED_B, integers(DType.I32, -1000, -3, 4, 4)));

        // successive draws: each advances the counter by one, whatever it draws
        out.add(sequence("successive/F32/third-draw", 9,
                random(DType.F32, 4), random(DType.F32, 4), random(DType.F32, 4)));
        out.add(sequence("successive/mixed-dtypes-then-F32", 5, random(DType.F32, 10), uniform(DType.F64, -1, 1, 3),
                normal(DType.F16, 2, 2), integers(DType.I32, 0, 16, 100), random(DType.F32, 1000)));
        out.add(sequence("successive/sizes-differ", SEED_A, random(DType.F32, 1000), random(DType.F64, 1),
                random(DType.F32, 2, 3)));
        out.add(sequence("successive/normal-after-uniform", 3, uniform(DType.F32, 0, 10, 7), normal(DType.F32, 17)));
        // after rejections the counter is base + the most retries: the next draw shows it
        out.add(sequence("successive/random-after-retries", 21, integers(DType.I32, -(1L << 30), (1L << 30) + 1, 1000),
                random(DType.F32, 5)));
        out.add(sequence("successive/integers-after-retries", 31, integers(DType.U32, 0, 3_000_000_000L, 300),
                integers(DType.U32, 0, 3_000_000_000L, 300)));

        // copy(): the same seed and counter, its own state afterwards
        out.add(copy("copy/continues-the-stream", 1, 0));
        out.add(copy("copy/is-not-moved-by-the-original", 1, 2));
        out.add(copy("copy/of-a-fresh-generator", 0, 3));

        badInput(out);
        return out;
    }

    // ---- draws: one call, on the device and on the host model alike -------------------------

    private enum Method { RANDOM, UNIFORM, NORMAL, INTEGERS }

    /** One call on a generator; {@link #host} applies it to the host model (advancing it). */
    private record Draw(Method method, DType dtype, double low, double high, long[] shape) {
        Tensor on(Rng r) {
            return switch (method) {
                case RANDOM -> r.random(dtype, shape);
                case UNIFORM -> r.uniform(dtype, low, high, shape);
                case NORMAL -> r.normal(dtype, shape);
                case INTEGERS -> r.integers(dtype, (long) low, (long) high, shape);
            };
        }

        int n() {
            return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }

        Expected host(HostPhilox.Stream s) {
            int n = n();
            return switch (method) {
                case RANDOM -> new Expected.Exact(switch (dtype) {
                    case F32 -> Values.ofFloats(s.randomF32(n), shape);
                    case F64 -> Values.ofDoubles(s.randomF64(n), shape);
                    default -> Values.of(DType.F16, s.randomF16(n), shape);
                });
                case UNIFORM -> new Expected.Exact(uniformHost(s, n));
                case NORMAL -> normal(s, n);
                case INTEGERS -> new Expected.Exact(Values.of(dtype, s.integers((long) low, (long) high, n), shape));
            };
        }

        /** {@code fma(random, high - low, low)}: the interval in double, rounded once to the dtype, as §6.3. */
        private Values uniformHost(HostPhilox.Stream s, int n) {
            double range = high - low;
            return switch (dtype) {
                case F32 -> {
                    float[] u = s.randomF32(n);
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = Math.fma(u[i], (float) range, (float) low);
                    }
                    yield Values.ofFloats(v, shape);
                }
                case F64 -> {
                    double[] u = s.randomF64(n);
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = Math.fma(u[i], range, low);
                    }
                    yield Values.ofDoubles(v, shape);
                }
                default -> {
                    long[] u = s.randomF16(n);
                    long r = HalfRounding.fromDouble(range) & 0xFFFFL;
                    long l = HalfRounding.fromDouble(low) & 0xFFFFL;
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = HostArithmetic.fma(DType.F16, u[i], r, l);
                    }
                    yield Values.of(DType.F16, v, shape);
                }
            };
        }

        /**
         * {@code sin(2π a) * sqrt(-log2(1 - r)) * sqrt(2 ln 2)} in double with {@code StrictMath}
         * ({@code 1 - r} is exact), within a bound derived from the F32 (F64) evaluation: the
         * angle {@code a * 2π} carries two roundings, at most {@code 2π * 2^-23} absolute
         * ({@code 2π * 2^-52}), and {@code sin} adds 1 ulp (2 in F64) of a value below 1, so the
         * sine is off by at most {@code 13.6 * 2^-24} ({@code 7.3 * 2^-52}, plus the host's own
         * {@code 3.6 * 2^-52}), taken as {@code 16} units times the radius; the radius and the
         * product carry {@code log2}'s 1 ulp (halved by {@code sqrt}), {@code sqrt}, the rounded
         * constant and two multiplications, about 5 (F64: 6) relative units, taken as 8 times the
         * value. F16 is the F32 value rounded once more: half an F16 ulp on top.
         */
        private Expected normal(HostPhilox.Stream s, int n) {
            double ln2 = StrictMath.log(2);
            double[][] in = new double[n][];
            if (dtype == DType.F64) {
                in = s.normalInputsF64(n);
            } else {
                float[][] f = s.normalInputsF32(n);
                for (int i = 0; i < n; i++) {
                    in[i] = new double[] {f[i][0], f[i][1]};
                }
            }
            double unit = dtype == DType.F64 ? 0x1p-52 : 0x1p-24;
            double[] exact = new double[n];
            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                double radius = StrictMath.sqrt(-(StrictMath.log(1 - in[i][1]) / ln2)) * StrictMath.sqrt(2 * ln2);
                exact[i] = StrictMath.sin(2 * StrictMath.PI * in[i][0]) * radius;
                bound[i] = unit * (16 * radius + 8 * Math.abs(exact[i]));
                if (dtype == DType.F16) {
                    bound[i] += 0x1p-11 * (Math.abs(exact[i]) + bound[i]) + 0x1p-25;
                }
            }
            return new Expected.Bounded(dtype, shape, exact, bound);
        }

        String text() {
            String s = Arrays.toString(shape);
            return switch (method) {
                case RANDOM -> "random(" + dtype + ", " + s + ")";
                case UNIFORM -> "uniform(" + dtype + ", " + low + ", " + high + ", " + s + ")";
                case NORMAL -> "normal(" + dtype + ", " + s + ")";
                case INTEGERS -> "integers(" + dtype + ", " + (long) low + ", " + (long) high + ", " + s + ")";
            };
        }
    }

    private static Draw random(DType t, long... shape) {
        return new Draw(Method.RANDOM, t, 0, 0, shape);
    }

    private static Draw uniform(DType t, double low, double high, long... shape) {
        return new Draw(Method.UNIFORM, t, low, high, shape);
    }

    private static Draw normal(DType t, long... shape) {
        return new Draw(Method.NORMAL, t, 0, 0, shape);
    }

    private static Draw integers(DType t, long low, long high, long... shape) {
        return new Draw(Method.INTEGERS, t, low, high, shape);
    }

    /**
     * A case drawing {@code draws} in order from {@code Rng.seed(seed)} and checking the last one
     * against the host model after the same draws ({@code normal} is polynomial, the rest bit-exact).
     */
    private static ConformanceCase sequence(String name, long seed, Draw... draws) {
        Draw last = draws[draws.length - 1];
        StringBuilder text = new StringBuilder("Rng.seed(" + Long.toUnsignedString(seed) + ")");
        for (Draw d : draws) {
            text.append(", ").append(d.text());
        }
        if (draws.length > 1) {
            text.append(": the last draw");
        }
        return Checks.program(GROUP + "/" + name, GROUP,
                last.method() == Method.NORMAL ? ResultClass.POLYNOMIAL : ResultClass.BIT_EXACT, text.toString(),
                () -> {
                    Rng r = Rng.seed(seed);
                    for (int i = 0; i < draws.length - 1; i++) {
                        draws[i].on(r);
                    }
                    return last.on(r);
                },
                () -> {
                    HostPhilox.Stream s = new HostPhilox.Stream(seed);
                    for (int i = 0; i < draws.length - 1; i++) {
                        draws[i].host(s);
                    }
                    return last.host(s);
                }, Tag.of(last.dtype()));
    }

    /**
     * {@code a = Rng.seed(seed)} draws {@code before} times, {@code b = a.copy()}, {@code a}
     * draws {@code after} more times, then {@code b}'s next draw is the host's draw at counter
     * {@code before}: the copy has the seed and counter, and its own state.
     */
    private static ConformanceCase copy(String name, int before, int after) {
        long seed = 9;
        return Checks.program(GROUP + "/" + name, GROUP, ResultClass.BIT_EXACT,
                "a = Rng.seed(9); " + before + " x a.random(F32, 4); b = a.copy(); " + after
                        + " x a.random(F32, 8); b.random(F32, 8)",
                () -> {
                    Rng a = Rng.seed(seed);
                    for (int i = 0; i < before; i++) {
                        a.random(DType.F32, 4);
                    }
                    Rng b = a.copy();
                    for (int i = 0; i < after; i++) {
                        a.random(DType.F32, 8);
                    }
                    return b.random(DType.F32, 8);
                },
                () -> {
                    HostPhilox.Stream s = new HostPhilox.Stream(seed);
                    for (int i = 0; i < before; i++) {
                        s.randomF32(4);
                    }
                    return new Expected.Exact(Values.ofFloats(s.randomF32(8)));
                }, Tag.F32);
    }

    // ---- the document's numbers ------------------------------------------------------------

    /**
     * reference-semantics.md §6.3's anchors for {@code dr.rng(seed=0)}: the first two
     * {@code random(Float32, 4)} and lane 0 of the 11th draw. The document gives 8 (11th draw: 6)
     * decimals, so each value must be within 1e-8 (1e-6) of the decimal.
     */
    private static void anchors(List<ConformanceCase> out) {
        double[] first = {0.31034911, 0.57552576, 0.78145897, 0.37085009};
        double[] second = {0.61318469, 0.50570691, 0.02552807, 0.03097570};
        out.add(anchor("anchor/seed-0/first-draw", "Rng.seed(0).random(F32, 4)", 0, first, 1e-8));
        out.add(anchor("anchor/seed-0/second-draw", "Rng.seed(0): random(F32, 4) twice, the second", 1, second, 1e-8));
        out.add(anchor("anchor/seed-0/eleventh-draw", "Rng.seed(0): 10 x random(F32, 3), then random(F32, 1)", 10,
                new double[] {0.467727}, 1e-6));
    }

    private static ConformanceCase anchor(String name, String program, int drawsBefore, double[] decimals,
                                         double within) {
        double[] bound = new double[decimals.length];
        Arrays.fill(bound, within);
        return Checks.program(GROUP + "/" + name, GROUP, ResultClass.BIT_EXACT,
                program + " = " + Arrays.toString(decimals) + " (reference-semantics.md §6.3)",
                () -> {
                    Rng r = Rng.seed(0);
                    for (int i = 0; i < drawsBefore; i++) {
                        r.random(DType.F32, decimals.length == 1 ? 3 : 4);
                    }
                    return r.random(DType.F32, decimals.length);
                },
                () -> new Expected.Bounded(DType.F32, new long[] {decimals.length}, decimals, bound), Tag.F32);
    }

    // ---- bad arguments ---------------------------------------------------------------------

    /**
     * Each bad call throws {@link IllegalArgumentException} (Rng's documented error) whose message
     * names the method and the offending value, and leaves the counter alone: the generator's
     * next {@code random(F32, 1)} is still the host's first draw.
     */
    private static void badInput(List<ConformanceCase> out) {
        long[] four = {4};
        out.add(rejects("random-integer-dtype", "Rng.seed(0).random(I32, 4)", r -> r.random(DType.I32, 4),
                "Rng.random()", "I32"));
        out.add(rejects("random-bool-dtype", "Rng.seed(0).random(BOOL, 4)", r -> r.random(DType.BOOL, 4),
                "Rng.random()", "BOOL"));
        out.add(rejects("random-negative-shape", "Rng.seed(0).random(F32, 3, -1)", r -> r.random(DType.F32, 3, -1),
                "Rng.random()", "negative", "[3, -1]"));
        out.add(rejects("normal-unsigned-dtype", "Rng.seed(0).normal(U32, 4)", r -> r.normal(DType.U32, 4),
                "Rng.normal()", "U32"));
        out.add(rejects("normal-too-many-elements", "Rng.seed(0).normal(F32, 2^20, 2^20)",
                r -> r.normal(DType.F32, 1L << 20, 1L << 20), "Rng.normal()", "2^31"));
        out.add(rejects("uniform-low-equals-high", "Rng.seed(0).uniform(F32, 1, 1, [4])",
                r -> r.uniform(DType.F32, 1, 1, four), "Rng.uniform()", "low = 1.0"));
        out.add(rejects("uniform-low-above-high", "Rng.seed(0).uniform(F64, 2, -2, [4])",
                r -> r.uniform(DType.F64, 2, -2, four), "Rng.uniform()", "low = 2.0", "high = -2.0"));
        out.add(rejects("uniform-nan-bound", "Rng.seed(0).uniform(F32, 0, NaN, [4])",
                r -> r.uniform(DType.F32, 0, Double.NaN, four), "Rng.uniform()", "not finite"));
        out.add(rejects("uniform-interval-overflows", "Rng.seed(0).uniform(F64, -MAX, MAX, [4])",
                r -> r.uniform(DType.F64, -Double.MAX_VALUE, Double.MAX_VALUE, four), "Rng.uniform()", "overflows"));
        out.add(rejects("integers-low-equals-high", "Rng.seed(0).integers(I32, 5, 5, [4])",
                r -> r.integers(DType.I32, 5, 5, four), "Rng.integers()", "low = 5", "high = 5"));
        out.add(rejects("integers-beyond-i32", "Rng.seed(0).integers(I32, 0, 2^32, [4])",
                r -> r.integers(DType.I32, 0, 1L << 32, four), "Rng.integers()", "I32", "2147483648"));
        out.add(rejects("integers-negative-u32", "Rng.seed(0).integers(U32, -1, 3, [4])",
                r -> r.integers(DType.U32, -1, 3, four), "Rng.integers()", "U32"));
        out.add(rejects("integers-float-dtype", "Rng.seed(0).integers(F32, 0, 3, [4])",
                r -> r.integers(DType.F32, 0, 3, four), "Rng.integers()", "F32"));
        out.add(rejects("integers-i64-dtype", "Rng.seed(0).integers(I64, 0, 3, [4])",
                r -> r.integers(DType.I64, 0, 3, four), "Rng.integers()", "I64"));
    }

    private static ConformanceCase rejects(String name, String program, java.util.function.Consumer<Rng> call,
                                           String... fragments) {
        float first = new HostPhilox.Stream(0).randomF32(1)[0];
        return Checks.throwing(GROUP + "/bad-input/" + name, GROUP, program + " throws IllegalArgumentException naming "
                        + Arrays.toString(fragments) + "; the next random(F32, 1) is still the first draw",
                () -> {
                    Rng r = Rng.seed(0);
                    try {
                        call.accept(r);
                    } catch (IllegalArgumentException e) {
                        for (String f : fragments) {
                            if (e.getMessage() == null || !e.getMessage().contains(f)) {
                                throw new IllegalStateException("the message does not name '" + f + "': " + e);
                            }
                        }
                        float next = r.random(DType.F32, 1).toFloatArray()[0];
                        if (Float.floatToRawIntBits(next) != Float.floatToRawIntBits(first)) {
                            throw new IllegalStateException("the failed call moved the counter: the next draw is "
                                    + next + ", the first draw of seed 0 is " + first, e);
                        }
                        throw e;
                    }
                }, IllegalArgumentException.class);
    }
}
