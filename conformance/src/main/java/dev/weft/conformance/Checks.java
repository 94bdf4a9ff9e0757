package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the common kind of {@link ConformanceCase}: build a tensor on the device, read it, compare
 * with an {@link Expected} computed on the host, and, where the result class demands it, compare
 * with the reference backend ({@link CrossBackend}).
 *
 * {@snippet :
 * Checks.program("elementwise/add/F32", "elementwise", ResultClass.BIT_EXACT, "x.add(y)",
 *         () -> DeviceIo.upload(x).add(DeviceIo.upload(y)),
 *         () -> new Expected.Exact(hostSum), Tag.F32);
 * }
 */
public final class Checks {
    private Checks() {}

    /** A case running {@code build} on the device and comparing with {@code expected}. */
    public static ConformanceCase program(String id, String group, ResultClass resultClass, String program,
                                          Supplier<Tensor> build, Supplier<Expected> expected, Tag... tags) {
        return program(id, group, resultClass, program, () -> null, in -> build.get(), in -> expected.get(), tags);
    }

    /**
     * As above, with inputs made when the case runs (and dropped after), for cases whose inputs
     * are too large to keep in memory for the whole suite.
     */
    public static <I> ConformanceCase program(String id, String group, ResultClass resultClass, String program,
                                              Supplier<I> inputs, Function<I, Tensor> build,
                                              Function<I, Expected> expected, Tag... tags) {
        Set<Tag> tagSet = tags.length == 0 ? EnumSet.noneOf(Tag.class) : EnumSet.of(tags[0], tags);
        return new ConformanceCase(id, group, tagSet, resultClass, program, device -> {
            I in = inputs.get();
            Values actual = DeviceIo.read(build.apply(in));
            Outcome o = expected.apply(in).compare(actual);
            if (o.isPassed() && resultClass.identicalAcrossBackends()) {
                o = CrossBackend.identical(device, () -> build.apply(in), actual);
            }
            return o;
        });
    }

    /**
     * A case in which {@code program} must throw {@code expected} (a caller error detected while
     * tracing, before anything runs).
     */
    public static ConformanceCase throwing(String id, String group, String program, Runnable build,
                                           Class<? extends Exception> expected, Tag... tags) {
        Set<Tag> tagSet = tags.length == 0 ? EnumSet.noneOf(Tag.class) : EnumSet.of(tags[0], tags);
        return new ConformanceCase(id, group, tagSet, ResultClass.BIT_EXACT, program, device -> {
            try {
                build.run();
            } catch (Exception e) {
                return expected.isInstance(e) ? Outcome.passed()
                        : Outcome.failed("expected " + expected.getSimpleName() + ", threw " + e);
            }
            return Outcome.failed("expected " + expected.getSimpleName() + ", nothing was thrown");
        });
    }

    /** The tags naming {@code dtypes}, plus {@code more}. */
    public static Tag[] tags(DType[] dtypes, Tag... more) {
        Set<Tag> s = EnumSet.noneOf(Tag.class);
        for (DType d : dtypes) {
            s.add(Tag.of(d));
        }
        s.addAll(java.util.List.of(more));
        return s.toArray(Tag[]::new);
    }
}
