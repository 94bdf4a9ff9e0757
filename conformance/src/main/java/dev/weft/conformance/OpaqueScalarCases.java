package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.EnumSet;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * Opaque scalars and launch parameters (DESIGN.md "Parameters of a kernel"): running the same
 * program again with another opaque value, or over another domain size, compiles nothing
 * ({@code Weft.stats().kernelsCompiled()} unchanged) and gives the right values for the new
 * value. Bit-exact; these cases read process-wide counters ({@link Tag#STATS}).
 */
public final class OpaqueScalarCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "opaque";

    @Override
    public List<ConformanceCase> get() {
        return List.of(
                opaque(DType.F32, 0.5, 3.25),
                opaque(DType.F64, 0.1, 1e300),
                opaque(DType.I32, 7, -3),
                opaque(DType.U32, 7, 4000000000.0),
                opaque(DType.F16, 0.5, 3),
                comparison(),
                domainSize());
    }

    /** {@code arange(t, 37) * opaque(v) + 1}, on the host. */
    private static Values expected(DType t, int n, double v) {
        long s = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(v));
        long one = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(1));
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            long x = HostArithmetic.cast(DType.I32, t, i);
            b[i] = HostArithmetic.binary(ElementOp.ADD, t, HostArithmetic.binary(ElementOp.MUL, t, x, s), one);
        }
        return Values.of(t, b);
    }

    private static ConformanceCase opaque(DType t, double first, double second) {
        DoubleFunction<Tensor> program = v -> Tensor.arange(t, 37).mul(Tensor.opaque(t, v)).add(1);
        return twice(GROUP + "/another-value-compiles-nothing/" + t, "arange(" + t + ", 37).mul(opaque(" + t + ", v))"
                + ".add(1) for v = " + first + ", then v = " + second, program, first, second,
                v -> expected(t, 37, v), t);
    }

    private static ConformanceCase comparison() {
        DoubleFunction<Tensor> program = v -> Tensor.where(Tensor.arange(DType.I32, 20).lt(Tensor.opaque(DType.I32, v)),
                Tensor.full(DType.I32, 1, 20), Tensor.full(DType.I32, -1, 20));
        return twice(GROUP + "/another-value-compiles-nothing/where-lt", "where(arange(I32, 20).lt(opaque(I32, v)), 1, -1)"
                + " for v = 5, then v = 13", program, 5, 13, v -> {
                    long[] b = new long[20];
                    for (int i = 0; i < 20; i++) {
                        b[i] = i < v ? 1 : -1;
                    }
                    return Values.of(DType.I32, b);
                }, DType.I32);
    }

    /** The domain size is a launch parameter too. */
    private static ConformanceCase domainSize() {
        DoubleFunction<Tensor> program = n -> Tensor.arange(DType.F32, (long) n).mul(2);
        return twice(GROUP + "/another-size-compiles-nothing", "arange(F32, n).mul(2) for n = 50, then n = 77",
                program, 50, 77, n -> {
                    float[] f = new float[(int) n];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = i * 2f;
                    }
                    return Values.ofFloats(f);
                }, DType.F32);
    }

    private static ConformanceCase twice(String id, String text, DoubleFunction<Tensor> program, double first,
                                         double second, DoubleFunction<Values> host, DType t) {
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.of(t), Tag.STATS), ResultClass.BIT_EXACT, text, device -> {
            Outcome o = new Expected.Exact(host.apply(first)).compare(DeviceIo.read(program.apply(first)))
                    .withContext("first value " + first + ":");
            if (!o.isPassed()) {
                return o;
            }
            long compiled = Weft.stats().kernelsCompiled();
            Values again = DeviceIo.read(program.apply(second));
            long more = Weft.stats().kernelsCompiled() - compiled;
            if (more != 0) {
                return Outcome.failed("the second run (value " + second + ") compiled " + more + " kernel(s); "
                        + "an opaque scalar or the domain size must not be compiled in");
            }
            return new Expected.Exact(host.apply(second)).compare(again).withContext("second value " + second + ":");
        });
    }
}
