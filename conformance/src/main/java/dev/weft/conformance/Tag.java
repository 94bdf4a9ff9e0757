package dev.weft.conformance;

/**
 * Labels on a {@link ConformanceCase}, for filtering and for what a runner must know: the dtypes
 * a case exercises, and traits that change how it may be run.
 */
public enum Tag {
    F16, F32, F64, I32, U32, I64, U64, BOOL,
    /** Works on a million or more elements (seconds on the reference backend). */
    LARGE,
    /** Reads the process-wide {@code Weft.stats()} counters: must not run concurrently with other cases. */
    STATS,
    /** A row of DESIGN.md's edge-semantics table, with hand-computed numbers. */
    EDGE,
    /** A generated program (see {@link RandomPrograms}). */
    RANDOM;

    /** The tag naming {@code dtype}. */
    public static Tag of(dev.weft.DType dtype) {
        return valueOf(dtype.name());
    }
}
