package dev.weft.conformance;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The registry of case groups: the one list that the JUnit adapter ({@link ConformanceSuite})
 * and the command line ({@link ConformanceMain}) run, in this order. A group is one file that
 * supplies its cases; to add one, write a {@code Supplier<List<ConformanceCase>>} and add a line
 * here (see the package documentation).
 */
public final class CaseGroups {
    private CaseGroups() {}

    /** A named group of cases, built when asked for (building may compute expected values). */
    public record Group(String name, Supplier<List<ConformanceCase>> cases) {
        public Group {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(cases, "cases");
        }
    }

    private static final List<Group> ALL = List.of(
            new Group(ElementwiseCases.GROUP, new ElementwiseCases()),
            new Group(F16Cases.GROUP, new F16Cases()),
            new Group(EdgeCases.GROUP, new EdgeCases()),
            new Group(TranscendentalCases.GROUP, new TranscendentalCases()),
            new Group(BroadcastCases.GROUP, new BroadcastCases()),
            new Group(SizeCases.GROUP, new SizeCases()),
            new Group(ReductionCases.GROUP, new ReductionCases()),
            new Group(IndexingCases.GROUP, new IndexingCases()),
            new Group(ViewCases.GROUP, new ViewCases()),
            new Group(MatmulCases.GROUP, new MatmulCases()),
            new Group(OpaqueScalarCases.GROUP, new OpaqueScalarCases()),
            new Group(FusionCases.GROUP, new FusionCases()),
            new Group(GradientCases.GROUP, new GradientCases()),
            new Group(AutodiffCases.GROUP, new AutodiffCases()),
            new Group(CoopVecCases.GROUP, new CoopVecCases()),
            new Group(RngCases.GROUP, new RngCases()),
            new Group(TextureCases.GROUP, new TextureCases()),
            new Group(OptimizerCases.GROUP, new OptimizerCases()),
            new Group(RandomPrograms.GROUP, new RandomPrograms()));

    /** Every group, in the order they run. */
    public static List<Group> all() {
        return ALL;
    }
}
