package dev.weft.conformance;

import dev.weft.DType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Randomly generated programs ({@link ProgramGenerator}, fixed seeds), each run on the device
 * and compared with the host's evaluation of the same program: bit-exact, except a final float
 * {@code sum()}, which is an ordered sum. Every third program also runs with {@code eval()} at
 * random intermediate steps and must give the same bits. The number of programs is the system
 * property {@value #COUNT_PROPERTY} (default {@value #DEFAULT_COUNT}); a failing program is
 * reproduced by its id ({@code random/<seed>}) as a filter.
 */
public final class RandomPrograms implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "random";
    /** The system property giving the number of programs. */
    public static final String COUNT_PROPERTY = "weft.conformance.programs";
    static final int DEFAULT_COUNT = 1000;
    private static final long BASE_SEED = 0x5EED_0000L;

    @Override
    public List<ConformanceCase> get() {
        int count = Integer.getInteger(COUNT_PROPERTY, DEFAULT_COUNT);
        List<ConformanceCase> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(program(BASE_SEED + i, i % 3 == 0));
        }
        return out;
    }

    private static ConformanceCase program(long seed, boolean split) {
        RandomProgram p = ProgramGenerator.generate(seed);
        Set<Tag> tags = EnumSet.of(Tag.RANDOM);
        for (RandomProgram.Step s : p.steps()) {
            tags.add(Tag.of(s.dtype()));
        }
        boolean cuts = split && p.hasCuts();
        boolean orderedSum = p.sum() && p.output().dtype().isFloat();
        return new ConformanceCase(GROUP + "/" + seed, GROUP, tags,
                orderedSum ? ResultClass.ORDERED_SUM : ResultClass.BIT_EXACT,
                p.render() + (cuts ? "\n  (also run with eval() at the marked steps)" : ""), device -> {
                    Values[] host = p.evaluateOnHost();
                    RandomProgram q = p.sum() && !wellConditioned(host[host.length - 1]) ? p.withoutSum() : p;
                    Expected e = expected(q, host[host.length - 1]);
                    Values fused = DeviceIo.read(q.build(false));
                    Outcome o = e.compare(fused).withContext(q == p ? "fused:"
                            : "fused (without the final sum(), which could overflow in some orders):");
                    if (o.isPassed() && cuts) {
                        o = e.compare(DeviceIo.read(q.build(true))).withContext("with eval() at the marked steps:");
                    }
                    if (o.isPassed() && e instanceof Expected.Exact) {
                        o = CrossBackend.identical(device, () -> q.build(false), fused);
                    }
                    return o;
                });
    }

    /** Whether a float sum of these values is finite and cannot overflow in any order. */
    static boolean wellConditioned(Values out) {
        if (!out.dtype().isFloat()) {
            return true;
        }
        double limit = switch (out.dtype()) {
            case F16 -> 65504.0 / 2;
            case F32 -> Float.MAX_VALUE / 2;
            default -> Double.MAX_VALUE / 2;
        };
        double abs = 0;
        for (int i = 0; i < out.size(); i++) {
            abs += Math.abs(out.value(i));
        }
        return abs < limit; // false for NaN and infinities too
    }

    /** The host's result for {@code out}, the value of the last step: exact bits, or for a float sum an ordered-sum bound. */
    static Expected expected(RandomProgram p, Values out) {
        if (!p.sum()) {
            return new Expected.Exact(out);
        }
        DType t = out.dtype();
        if (!t.isFloat()) {
            DType rt = t == DType.BOOL ? DType.I32 : t;
            long acc = 0;
            for (long b : out.bits()) {
                acc += b;
            }
            return new Expected.Exact(new Values(rt, new long[0], new long[] {Values.canonical(rt, acc)}));
        }
        double[] terms = new double[out.size()];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = out.value(i);
        }
        double exact = SumBounds.exactSum(terms);
        return new Expected.Bounded(t, new long[0], new double[] {exact},
                new double[] {SumBounds.bound(t, terms, exact)});
    }
}
