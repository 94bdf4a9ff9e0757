package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * NumPy broadcasting in both of the core's forms: component form ({@code [3, 1] + [1, 5]},
 * {@code [2, N] + [N]}) and flat form ({@code [2000, 3] + [3]}, more than 1024 components), with
 * scalars ({@code []}), size-1 axes on either side, empty results, and three-operand
 * {@code fma}/{@code where}. Expected values from {@link HostShapes}; all bit-exact.
 */
public final class BroadcastCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "broadcast";

    private static final long[][][] PAIRS = {
        {{7}, {1}}, {{1}, {7}}, {{1031}, {}}, {{}, {513}}, {{3, 1}, {1, 5}}, {{2, 513}, {513}}, {{2, 513}, {2, 1}},
        {{2000, 3}, {3}}, {{2000, 3}, {2000, 1}}, {{3}, {2000, 1}}, {{4, 1, 6}, {5, 1}}, {{1, 1}, {1}},
        {{0}, {1}}, {{3, 0}, {3, 1}}, {{1100, 2}, {1, 2}},
    };

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (long[][] p : PAIRS) {
            out.add(binary(ElementOp.ADD, DType.F32, p[0], p[1]));
            out.add(binary(ElementOp.MUL, DType.I32, p[0], p[1]));
            out.add(binary(ElementOp.SUB, DType.F16, p[0], p[1]));
            out.add(binary(ElementOp.LT, DType.F64, p[0], p[1]));
        }
        out.add(ternary(ElementOp.FMA, DType.F32, new long[] {3, 1}, new long[] {1, 64}, new long[] {64}));
        out.add(ternary(ElementOp.FMA, DType.F64, new long[] {1500, 1}, new long[] {1, 4}, new long[] {}));
        out.add(ternary(ElementOp.WHERE, DType.I32, new long[] {2, 100}, new long[] {1}, new long[] {100}));
        out.add(ternary(ElementOp.WHERE, DType.F16, new long[] {1100, 3}, new long[] {1100, 1}, new long[] {3}));
        return out;
    }

    static Values random(DType t, SplittableRandom r, long... shape) {
        long[] b = new long[(int) HostShapes.numel(shape)];
        for (int i = 0; i < b.length; i++) {
            b[i] = SampleValues.random(t, r);
        }
        return new Values(t, shape, b);
    }

    private static String str(long[] s) {
        return Arrays.toString(s);
    }

    private static ConformanceCase binary(ElementOp op, DType t, long[] a, long[] b) {
        String id = GROUP + "/" + op.method() + "/" + t + "/" + str(a) + "x" + str(b);
        SplittableRandom r = new SplittableRandom(id.hashCode());
        Values x = random(t, r, a);
        Values y = random(t, r, b);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "x." + op.method() + "(y), x " + t + str(a) + ", y "
                + str(b), () -> op.apply(DeviceIo.upload(x), DeviceIo.upload(y)),
                () -> new Expected.Exact(HostShapes.map(op, t, x, y)), Tag.of(t));
    }

    private static ConformanceCase ternary(ElementOp op, DType t, long[] a, long[] b, long[] c) {
        String id = GROUP + "/" + op.method() + "/" + t + "/" + str(a) + "x" + str(b) + "x" + str(c);
        SplittableRandom r = new SplittableRandom(id.hashCode());
        Values x = random(op == ElementOp.WHERE ? DType.BOOL : t, r, a);
        Values y = random(t, r, b);
        Values z = random(t, r, c);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, op.method() + " of shapes " + str(a) + ", " + str(b)
                        + ", " + str(c) + " (" + t + ")",
                () -> op.apply(DeviceIo.upload(x), DeviceIo.upload(y), DeviceIo.upload(z)),
                () -> new Expected.Exact(HostShapes.map(op, t, x, y, z)), Tag.of(t));
    }
}
