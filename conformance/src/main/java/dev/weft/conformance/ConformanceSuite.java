package dev.weft.conformance;

import dev.weft.Device;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The JUnit adapter: a backend module runs the whole suite on itself with one small test class.
 *
 * {@snippet :
 * class CpuConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected Device device() {
 *         return Device.of("cpu");
 *     }
 * }
 * }
 *
 * <p>Each group becomes a container and each case a test named by its id; a failing case reports
 * its id, result class, program, and the first differing elements (with hex bits for floats). If
 * {@link #device()} throws (the backend cannot run here), the whole suite is skipped with the
 * reason. The system property {@code weft.conformance.filter} keeps only cases whose id contains
 * it; {@code weft.conformance.programs} sets the number of random programs.
 */
public abstract class ConformanceSuite {
    /** The device under test. */
    protected abstract Device device();

    /** Which cases to run on this backend; all by default. */
    protected Predicate<ConformanceCase> include() {
        String filter = System.getProperty("weft.conformance.filter", "");
        return c -> c.id().contains(filter);
    }

    @TestFactory
    Stream<DynamicContainer> conformance() {
        Device device;
        try {
            device = device();
        } catch (RuntimeException e) {
            Assumptions.abort("device not available: " + e.getMessage());
            throw e;
        }
        Predicate<ConformanceCase> include = include();
        return CaseGroups.all().stream().map(g -> DynamicContainer.dynamicContainer(g.name(),
                g.cases().get().stream().filter(include)
                        .map(c -> DynamicTest.dynamicTest(c.id(), () -> check(c, device)))));
    }

    private static void check(ConformanceCase c, Device device) {
        Outcome o = CaseRunner.run(c, device);
        switch (o.status()) {
            case FAILED -> Assertions.fail(o.detail());
            case SKIPPED -> Assumptions.abort(o.detail());
            case PASSED -> { }
        }
    }
}
