package dev.weft.conformance;

import dev.weft.Device;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One conformance case as data: a program built through the public API on a given device and
 * checked against an expected value computed independently on the host (Java IEEE arithmetic,
 * {@code StrictMath}, {@code BigDecimal}, hand-computed numbers), never by Weft itself.
 *
 * <p>{@code run} does the whole check and reports an {@link Outcome}; it is called with the
 * device current ({@code Weft.device(device)}) inside a {@code Weft.scope()}, by
 * {@link CaseRunner}, which also turns exceptions into failures. Most cases are made with
 * {@link Checks#program}; a case that needs more (compile counters, several evaluations) writes
 * its own {@code run}.
 *
 * @param id          unique within the suite, stable, readable: {@code elementwise/add/F32}
 * @param group       the group the case belongs to ({@link CaseGroups})
 * @param tags        dtypes and traits (see {@link Tag})
 * @param resultClass how exactly the result must match (DESIGN.md "Numbers")
 * @param program     the program in words, shown when the case fails
 * @param run         the check, on the device given
 */
public record ConformanceCase(String id, String group, Set<Tag> tags, ResultClass resultClass, String program,
                              Function<Device, Outcome> run) {
    public ConformanceCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resultClass, "resultClass");
        Objects.requireNonNull(run, "run");
        tags = Set.copyOf(tags);
        program = program == null ? "" : program;
    }

    @Override
    public String toString() {
        return id + " [" + resultClass + "]";
    }
}
