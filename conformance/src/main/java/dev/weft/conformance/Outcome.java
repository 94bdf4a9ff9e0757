package dev.weft.conformance;

import java.util.Objects;

/**
 * What running one {@link ConformanceCase} on a device gave: passed, failed (with a report a
 * reader can act on: the program, expected against actual) or skipped (with the reason).
 */
public record Outcome(Status status, String detail) {
    /** The three results of a case. */
    public enum Status { PASSED, FAILED, SKIPPED }

    public Outcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static Outcome passed() {
        return new Outcome(Status.PASSED, "");
    }

    public static Outcome failed(String detail) {
        return new Outcome(Status.FAILED, detail);
    }

    public static Outcome skipped(String reason) {
        return new Outcome(Status.SKIPPED, reason);
    }

    public boolean isPassed() {
        return status == Status.PASSED;
    }

    public boolean isFailed() {
        return status == Status.FAILED;
    }

    /** This outcome if it failed or skipped, else {@code next} (checks run in sequence). */
    public Outcome then(java.util.function.Supplier<Outcome> next) {
        return isPassed() ? next.get() : this;
    }

    /** A failed outcome with {@code context} prepended to its detail; others unchanged. */
    public Outcome withContext(String context) {
        return isFailed() ? failed(context + "\n" + detail) : this;
    }
}
