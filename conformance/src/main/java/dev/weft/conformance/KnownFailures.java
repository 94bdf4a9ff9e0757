package dev.weft.conformance;

import java.util.Map;

/**
 * Cases that fail because of a known bug in the core, with the bug in words. A known failure is
 * reported as skipped with that description, so the suite passes while the bug is open; once the
 * case passes, it is reported as failed ("remove it from KnownFailures"), so this list cannot
 * go stale. The case itself is never weakened.
 */
public final class KnownFailures {
    private KnownFailures() {}

    /** Case id to the bug in words; empty while no core bug is known. */
    private static final Map<String, String> KNOWN = Map.of();

    /** The bug that makes {@code id} fail, or null. */
    public static String reason(String id) {
        return KNOWN.get(id);
    }

    /** {@code o} as seen through this list: a known failure is skipped, a known failure that passes fails. */
    public static Outcome apply(ConformanceCase c, Outcome o) {
        return apply(c, o, KNOWN);
    }

    /** {@code o} as seen through {@code known}, a map of case id to bug. */
    static Outcome apply(ConformanceCase c, Outcome o, Map<String, String> known) {
        String bug = known.get(c.id());
        if (bug == null) {
            return o;
        }
        return switch (o.status()) {
            case FAILED -> Outcome.skipped("known failure, " + bug + "\n" + o.detail());
            case PASSED -> Outcome.failed(c.id() + " is listed in KnownFailures but passes now; remove it from "
                    + "the list (" + bug + ")");
            case SKIPPED -> o;
        };
    }
}
